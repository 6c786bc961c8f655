"""Sign-in brute force: allauth's rate limits refuse guessing, per account and IP."""

import pytest
from django.conf import settings as project_settings
from django.core.cache import cache
from django.test import Client

from pasar.settings import base

from ..factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

REFUSED = "Terlalu banyak percobaan masuk yang gagal. Coba lagi nanti."


@pytest.fixture
def rate_limits(settings):
    """Switch on the production limits (the test settings turn them off)."""
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    cache.clear()
    yield
    cache.clear()


def test_production_limits_are_sensible():
    limits = base.ACCOUNT_RATE_LIMITS
    # Five wrong passwords per account in five minutes, ten per IP a minute.
    assert limits["login_failed"] == "10/m/ip,5/5m/key"
    assert project_settings.CACHES["default"]["BACKEND"].endswith("LocMemCache")


def test_account_is_locked_after_five_failures_even_with_the_right_password(
    client, rate_limits
):
    UserFactory(username="siti")
    UserFactory(username="ani")
    for _ in range(5):
        response = client.post("/akun/login/", {"login": "siti", "password": "salah"})
        assert response.status_code == 200
        assert "tidak benar" in response.content.decode()

    response = client.post("/akun/login/", {"login": "siti", "password": PASSWORD})
    assert response.status_code == 200  # a form error, not 429
    assert REFUSED in response.content.decode()
    assert "_auth_user_id" not in client.session

    # Another account from the same address still signs in.
    response = client.post("/akun/login/", {"login": "ani", "password": PASSWORD})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_one_address_guessing_many_accounts_is_slowed(client, rate_limits):
    users = [UserFactory(username=f"warga{i}") for i in range(11)]
    for user in users[:10]:
        client.post("/akun/login/", {"login": user.username, "password": "salah"})
    response = client.post(
        "/akun/login/", {"login": users[10].username, "password": PASSWORD}
    )
    assert REFUSED in response.content.decode()
    assert "_auth_user_id" not in client.session
    # A visitor from elsewhere is not affected.
    other = client_from("10.0.0.9")
    response = other.post(
        "/akun/login/", {"login": users[10].username, "password": PASSWORD}
    )
    assert response.status_code == 302


def client_from(address):
    return Client(REMOTE_ADDR=address)


def test_limits_are_off_in_the_test_settings():
    assert project_settings.ACCOUNT_RATE_LIMITS is False
