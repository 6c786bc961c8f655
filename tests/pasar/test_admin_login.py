"""Django admin signs in through the site's rate-limited sign-in, never its own form.

The admin's login form had no rate limit: 30 wrong guesses, then the right
password, and a superuser was in.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from pasar.settings import base

from ..conftest import client_for
from ..factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

TOO_MANY = "Terlalu banyak percobaan dalam waktu singkat."
SITE_LOGIN = "/akun/login/?next=/admin/"
NOT_ALLOWED = (
    "Anda diautentikasi sebagai %s, tapi tidak diperbolehkan untuk mengakses "
    "halaman ini."
)


@pytest.fixture
def rate_limits(settings):
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("akar", "akar@contoh.id", PASSWORD)


def test_thirty_guesses_then_the_right_password_on_the_admin_form(
    client, superuser, rate_limits
):
    for _ in range(30):
        response = client.post(
            "/admin/login/?next=/admin/", {"username": "akar", "password": "salah"}
        )
        assert (response.status_code, response["Location"]) == (302, SITE_LOGIN)
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "akar", "password": PASSWORD}
    )
    # The admin form checks no password at all: it sends the visitor on.
    assert (response.status_code, response["Location"]) == (302, SITE_LOGIN)
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_the_site_form_the_admin_sends_to_is_rate_limited(
    client, superuser, rate_limits
):
    page = client.get("/admin/", follow=True)
    assert page.redirect_chain == [
        ("/admin/login/?next=/admin/", 302),
        (SITE_LOGIN, 302),
    ]
    assert page.status_code == 200
    for _ in range(30):
        client.post(SITE_LOGIN, {"login": "akar", "password": "salah"})
    response = client.post(SITE_LOGIN, {"login": "akar", "password": PASSWORD})
    # Past ten failures a minute from one address, allauth answers 429.
    assert response.status_code == 429
    assert TOO_MANY in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_superuser_signs_in_on_the_site_form_and_reaches_the_admin(
    client, superuser, rate_limits
):
    response = client.post(SITE_LOGIN, {"login": "akar", "password": PASSWORD})
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert client.get("/admin/").status_code == 200
    # Signed in, the admin's login page sends the superuser to the admin.
    response = client.get("/admin/login/?next=/admin/pasar/auditlog/")
    assert response["Location"] == "/admin/pasar/auditlog/"


def test_a_foreign_next_is_not_followed(client, superuser):
    response = client.get("/admin/login/?next=https://jahat.example/")
    assert response["Location"] == "/akun/login/?next=/admin/"


@pytest.mark.parametrize("staff", [False, True], ids=["shopper", "staff"])
def test_signed_in_user_without_admin_rights_gets_the_admin_refusal(staff):
    user = UserFactory(username="warga", is_staff=staff)
    client = client_for(user)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain == [("/admin/login/?next=/admin/", 302)]
    assert response.status_code == 200
    assert NOT_ALLOWED % "warga" in response.content.decode()
    # Posting a password there checks nothing and grants nothing.
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "akar", "password": PASSWORD}
    )
    assert (response.status_code, response["Location"]) == (302, SITE_LOGIN)
    assert client.get("/admin/").status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk
