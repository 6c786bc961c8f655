"""Fixtures shared by every test: POSDAYA, the five kinds of visitor, a matrix."""

import os
import threading
from dataclasses import dataclass

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

from posdaya.models import Membership

from .factories import MembershipFactory, PosdayaFactory, UserFactory, make_koordinator

# CI (which sets CI=true) explores the same generated inputs on every run, so a
# landing run is reproducible; developers' runs keep exploring new inputs.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _english_off(settings):
    """Tests read the Indonesian pages unless they switch language themselves."""
    settings.LANGUAGE_CODE = "id"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with empty caches (impact figures, rate limits, pages…)."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def posdaya(db):
    return PosdayaFactory(name="POSDAYA Bahagia", slug="bahagia", code="BHG")


@pytest.fixture
def other_posdaya(db):
    return PosdayaFactory(name="POSDAYA Flamboyan", slug="flamboyan", code="FLM")


@pytest.fixture
def pengelola(posdaya):
    return MembershipFactory(
        user=UserFactory(username="pengelola"), posdaya=posdaya
    ).user


@pytest.fixture
def petugas(posdaya):
    return MembershipFactory(
        user=UserFactory(username="petugas"),
        posdaya=posdaya,
        role=Membership.Role.PETUGAS,
    ).user


@pytest.fixture
def other_pengelola(other_posdaya):
    return MembershipFactory(
        user=UserFactory(username="pengelola-lain"), posdaya=other_posdaya
    ).user


@pytest.fixture
def other_petugas(other_posdaya):
    return MembershipFactory(
        user=UserFactory(username="petugas-lain"),
        posdaya=other_posdaya,
        role=Membership.Role.PETUGAS,
    ).user


@pytest.fixture
def koordinator(db):
    return make_koordinator(username="koordinator")


@pytest.fixture
def shopper(db):
    return UserFactory(username="pembeli")


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@dataclass
class Actors:
    """The five visitors of the permission matrix, each with a client."""

    anonymous: Client
    shopper: Client
    other_staff: Client
    own_staff: Client
    koordinator: Client

    def items(self):
        return {
            "anonymous": self.anonymous,
            "shopper": self.shopper,
            "other_staff": self.other_staff,
            "own_staff": self.own_staff,
            "koordinator": self.koordinator,
        }.items()


@pytest.fixture
def actors(shopper, pengelola, other_pengelola, koordinator):
    """Clients for: anonymous, shopper, other POSDAYA's pengelola, own, koordinator."""
    return Actors(
        anonymous=client_for(),
        shopper=client_for(shopper),
        other_staff=client_for(other_pengelola),
        own_staff=client_for(pengelola),
        koordinator=client_for(koordinator),
    )


# What each actor of the matrix gets from a koordinator-only (induk) page.
KOORDINATOR_ONLY = {
    "anonymous": "login",
    "shopper": 404,
    "other_staff": 404,
    "own_staff": 404,
    "koordinator": 200,
}


def status_matrix(actors: Actors, url: str, method: str = "get", data=None) -> dict:
    """Return {actor: status code} for one URL requested by each actor."""
    result = {}
    for name, client in actors.items():
        response = getattr(client, method)(url, data or {})
        status = response.status_code
        if status == 302 and "/akun/login/" in response["Location"]:
            status = "login"
        result[name] = status
    return result


def race(action, threads: int = 4) -> tuple[list, list[str]]:
    """Run `action()` in several threads released at once (PostgreSQL tests).

    Returns the results and the repr of any exception; each thread closes its
    own database connection.
    """
    from django.db import connection

    barrier = threading.Barrier(threads)
    lock = threading.Lock()
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            result = action()
            with lock:
                results.append(result)
        except Exception as error:  # any error fails the caller's assertions
            with lock:
                errors.append(repr(error))
        finally:
            connection.close()

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return results, errors
