"""Sign-in, sign-up, logout and password reset through django-allauth."""

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from ..factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_sign_in_with_username_and_with_email(client):
    user = UserFactory(username="siti", email="siti@contoh.id")
    for login in ("siti", "siti@contoh.id"):
        response = client.post("/akun/login/", {"login": login, "password": PASSWORD})
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(user.pk)
        client.post("/akun/logout/")
        assert "_auth_user_id" not in client.session


def test_wrong_password_is_refused_with_a_message(client):
    UserFactory(username="siti")
    response = client.post("/akun/login/", {"login": "siti", "password": "salah"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "tidak benar" in response.content.decode()


def test_sign_up_creates_a_shopper_without_roles(client):
    response = client.post(
        "/akun/signup/",
        {
            "username": "pembeli-baru",
            "email": "baru@contoh.id",
            "password1": "kata-sandi-kuat-42",
            "password2": "kata-sandi-kuat-42",
        },
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="pembeli-baru")
    assert user.email == "baru@contoh.id"
    assert user.memberships.count() == 0
    assert client.get("/dasbor/").status_code == 403


def test_sign_up_with_mismatched_passwords_creates_nothing(client):
    response = client.post(
        "/akun/signup/",
        {
            "username": "x",
            "email": "x@contoh.id",
            "password1": "kata-sandi-kuat-42",
            "password2": "lain-sekali-99",
        },
    )
    assert response.status_code == 200
    assert not get_user_model().objects.filter(username="x").exists()


def test_password_reset_sends_an_email(client):
    UserFactory(username="siti", email="siti@contoh.id")
    response = client.post("/akun/password/reset/", {"email": "siti@contoh.id"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["siti@contoh.id"]


def test_login_page_is_in_indonesian(client):
    html = client.get("/akun/login/").content.decode()
    assert 'lang="id"' in html
    assert "Masuk" in html
