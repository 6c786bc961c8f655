"""Where each kind of user lands after signing in, through the real sign-in POST."""

import pytest

from posdaya.models import Membership

from ..factories import PASSWORD, MemberFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def sign_in(client, username: str, **extra) -> str:
    response = client.post(
        "/akun/login/", {"login": username, "password": PASSWORD, **extra}
    )
    assert response.status_code == 302, username
    assert client.session["_auth_user_id"]
    return response["Location"]


@pytest.fixture
def both_at_a(posdaya):
    user = UserFactory(username="dua-peran")
    MembershipFactory(user=user, posdaya=posdaya)
    MembershipFactory(user=user, posdaya=posdaya, role=Membership.Role.PETUGAS)
    return user


@pytest.fixture
def at_two(posdaya, other_posdaya):
    user = UserFactory(username="dua-posdaya")
    MembershipFactory(user=user, posdaya=posdaya)
    MembershipFactory(user=user, posdaya=other_posdaya, role=Membership.Role.PETUGAS)
    return user


@pytest.mark.parametrize(
    ("who", "landing"),
    [
        ("pengelola", "/dasbor/bahagia/"),
        ("petugas", "/dasbor/bahagia/"),
        ("both_at_a", "/dasbor/bahagia/"),
        ("at_two", "/dasbor/"),
        ("koordinator", "/dasbor/induk/"),
    ],
)
def test_staff_land_on_their_dashboard(client, request, who, landing):
    user = request.getfixturevalue(who)
    assert sign_in(client, user.username) == landing
    assert client.get(landing).status_code == 200


@pytest.mark.parametrize("where", ["/", "/produk/", "/keranjang/"])
def test_staff_signing_in_from_a_public_page_still_land_on_the_dashboard(
    client, pengelola, where
):
    """The header's "Masuk" link carries the page it was on as `next`."""
    assert sign_in(client, "pengelola", next=where) == "/dasbor/bahagia/"


def test_staff_sent_to_sign_in_from_a_dashboard_page_get_back_to_it(
    client, posdaya, pengelola
):
    bounced = client.get(f"/dasbor/{posdaya.slug}/produk/")
    assert bounced["Location"] == "/akun/login/?next=/dasbor/bahagia/produk/"
    assert sign_in(client, "pengelola", next="/dasbor/bahagia/produk/") == (
        "/dasbor/bahagia/produk/"
    )


def test_shopper_returns_where_they_were(client, shopper):
    assert sign_in(client, "pembeli", next="/keranjang/") == "/keranjang/"


@pytest.mark.parametrize("extra", [{}, {"next": "https://jahat.example/"}])
def test_shopper_without_a_safe_next_goes_home(client, shopper, extra):
    assert sign_in(client, "pembeli", **extra) == "/"


def test_nasabah_is_a_shopper_here(client, posdaya):
    nasabah = UserFactory(username="nasabah")
    MemberFactory(posdaya=posdaya, user=nasabah)
    assert sign_in(client, "nasabah") == "/"
    client.post("/akun/logout/")
    assert sign_in(client, "nasabah", next="/tabungan/") == "/tabungan/"
