"""Who may enter the dashboard: the permission matrix for the shell pages."""

import pytest

from posdaya.models import Membership
from posdaya.permissions import Area, policy

from ..conftest import client_for, status_matrix
from ..factories import MembershipFactory, PosdayaFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_dashboard_home_matrix(actors):
    assert status_matrix(actors, "/dasbor/") == {
        "anonymous": "login",
        "shopper": 403,
        "other_staff": 200,
        "own_staff": 200,
        "koordinator": 200,
    }


def test_branch_home_matrix(actors, posdaya):
    assert status_matrix(actors, f"/dasbor/{posdaya.slug}/") == {
        "anonymous": "login",
        "shopper": 404,
        "other_staff": 404,
        "own_staff": 200,
        "koordinator": 200,
    }


def test_petugas_reaches_own_branch_only(posdaya, other_posdaya, petugas):
    client = client_for(petugas)
    assert client.get(f"/dasbor/{posdaya.slug}/").status_code == 200
    assert client.get(f"/dasbor/{other_posdaya.slug}/").status_code == 404


def test_unknown_branch_is_404_even_for_koordinator(koordinator):
    assert client_for(koordinator).get("/dasbor/tidak-ada/").status_code == 404


def test_koordinator_sees_every_posdaya_in_switcher(koordinator):
    branches = PosdayaFactory.create_batch(16)
    response = client_for(koordinator).get("/dasbor/")
    assert list(response.context["my_posdaya"]) == sorted(branches, key=str)
    for branch in branches:
        assert f'/dasbor/{branch.slug}/"' in response.content.decode()


def test_staff_with_two_posdaya_sees_both_and_no_other(posdaya, other_posdaya):
    third = PosdayaFactory(name="POSDAYA Melati")
    user = UserFactory(username="dua-posdaya")
    MembershipFactory(user=user, posdaya=posdaya)
    MembershipFactory(user=user, posdaya=other_posdaya, role=Membership.Role.PETUGAS)
    response = client_for(user).get("/dasbor/")
    assert set(response.context["my_posdaya"]) == {posdaya, other_posdaya}
    assert f"/dasbor/{third.slug}/" not in response.content.decode()


def test_posdaya_for_by_area(posdaya, other_posdaya, petugas):
    assert list(policy.posdaya_for(petugas, Area.BRANCH)) == [posdaya]
    assert list(policy.posdaya_for(petugas, Area.PRODUCTS)) == []


def test_admin_is_for_superusers_only(pengelola, koordinator):
    for user in (pengelola, koordinator):
        user.is_staff = True
        user.save()
        response = client_for(user).get("/admin/")
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert client_for(superuser).get("/admin/").status_code == 200
