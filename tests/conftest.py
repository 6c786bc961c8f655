"""Fixtures shared by every test: POSDAYA, the five kinds of visitor, a matrix."""

import os
import threading
from dataclasses import dataclass
from urllib.parse import quote

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


# What the four actors without a right get from a koordinator-only write.
DENIED = {
    name: status for name, status in KOORDINATOR_ONLY.items() if name != "koordinator"
}


def answer_of(response, url: str):
    """Return the status code, or "login" for the sign-in redirect back to `url`.

    Only a redirect to the sign-in page that carries `next=<url>` counts as
    "login"; any other redirect stays a 302, so a matrix cannot mistake a
    success redirect for a refusal.
    """
    status = response.status_code
    if status == 302 and response["Location"] == f"/akun/login/?next={quote(url)}":
        return "login"
    return status


def status_matrix(actors: Actors, url: str, method: str = "get", data=None) -> dict:
    """Return {actor: status code} for one URL requested by each actor."""
    return {
        name: answer_of(getattr(client, method)(url, data or {}), url)
        for name, client in actors.items()
    }


def assert_denied(
    actors: Actors,
    url: str,
    state,
    *,
    expected: dict | None = None,
    method: str = "post",
    data=None,
) -> None:
    """Send the request as each actor in `expected`; each gets exactly its answer
    and `state()` (a snapshot of whatever the request would write) is the same
    after every one of them.

    `expected` defaults to DENIED: everyone but the koordinator.
    """
    expected = DENIED if expected is None else expected
    before = state()
    answers = {}
    for name in expected:
        client = dict(actors.items())[name]
        answers[name] = answer_of(getattr(client, method)(url, data or {}), url)
        assert state() == before, (url, name)
    assert answers == expected, url


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


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """collectstatic once, as production does it (hashed names, .gz and .br).

    Returns the folder; `use_collected_static(settings, folder)` points a test's
    settings at it.
    """
    from django.core.management import call_command
    from django.test import override_settings

    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(**production_static_settings(root)):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


def production_static_settings(root) -> dict:
    from django.conf import settings

    return {
        "STATIC_ROOT": root,
        "STORAGES": {
            **settings.STORAGES,
            "staticfiles": {
                "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
            },
        },
    }


def use_collected_static(settings, root) -> None:
    for name, value in production_static_settings(root).items():
        setattr(settings, name, value)
