"""The permission policy itself: the table, the koordinator, the cache."""

import pytest

from posdaya.models import Membership
from posdaya.permissions import BRANCH_AREAS, Area, policy
from posdaya.services import grant_role, revoke_role

from ..factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_every_area_is_in_the_table():
    assert set(BRANCH_AREAS) == set(Area)


def test_areas_at_by_role(posdaya, other_posdaya, pengelola, petugas, koordinator):
    assert policy.areas_at(pengelola, posdaya) == {
        Area.DASHBOARD,
        Area.BRANCH,
        Area.PROFILE,
        Area.STAFF,
        Area.PRODUCTS,
        Area.ORDERS,
        Area.SETTLEMENT,
        Area.BANKSAMPAH,
        Area.MESSAGES,
    }
    assert policy.areas_at(petugas, posdaya) == {
        Area.DASHBOARD,
        Area.BRANCH,
        Area.BANKSAMPAH,
        Area.MESSAGES,
    }
    assert policy.areas_at(pengelola, other_posdaya) == frozenset()
    assert policy.areas_at(koordinator, other_posdaya) == frozenset(Area)


def test_areas_without_a_posdaya(pengelola, koordinator, shopper):
    assert policy.user_has_permission(pengelola, Area.DASHBOARD) is True
    assert policy.user_has_permission(shopper, Area.DASHBOARD) is False
    assert policy.user_has_permission(pengelola, Area.INDUK) is False
    assert policy.user_has_permission(pengelola, Area.PRODUCTS) is False
    assert policy.user_has_permission(koordinator, Area.INDUK) is True


def test_roles_are_read_once_per_user_object(
    posdaya, other_posdaya, pengelola, django_assert_num_queries
):
    with django_assert_num_queries(1):
        for area in Area:
            policy.user_has_permission(pengelola, area, posdaya)
            policy.user_has_permission(pengelola, area, other_posdaya)
        policy.may_enter_dashboard(pengelola)
        policy.roles_at(pengelola, posdaya)


def test_grant_and_revoke_forget_the_kept_roles(posdaya, shopper, koordinator):
    assert policy.user_has_permission(shopper, Area.PRODUCTS, posdaya) is False
    membership = grant_role(
        user=shopper, role=Membership.Role.PENGELOLA, posdaya=posdaya, by=koordinator
    )
    assert policy.user_has_permission(shopper, Area.PRODUCTS, posdaya) is True
    revoke_role(membership=membership, by=koordinator)
    assert policy.user_has_permission(shopper, Area.PRODUCTS, posdaya) is False


def test_roles_at_for_the_badges(posdaya, pengelola, koordinator, shopper):
    assert policy.roles_at(pengelola, posdaya) == {"pengelola"}
    assert policy.roles_at(koordinator, posdaya) == {
        "koordinator",
        "pengelola",
        "petugas",
    }
    assert policy.roles_at(shopper, posdaya) == frozenset()


def test_may_grant_koordinator(koordinator, pengelola):
    root = UserFactory(username="root", is_superuser=True)
    assert [
        policy.may_grant_koordinator(u) for u in (koordinator, root, pengelola)
    ] == [
        True,
        True,
        False,
    ]


def test_memberships_in_an_area(
    posdaya, other_posdaya, pengelola, petugas, koordinator
):
    MembershipFactory(posdaya=other_posdaya)
    found = policy.memberships_in(Area.ORDERS, [posdaya.pk])
    assert list(found.values_list("user__username", "role")) == [
        ("pengelola", "pengelola")
    ]
    found = policy.memberships_in(Area.BANKSAMPAH, [posdaya.pk]).order_by("role")
    assert list(found.values_list("user__username", flat=True)) == [
        "pengelola",
        "petugas",
    ]


def test_only_koordinator_or_superuser_names_a_koordinator(pengelola, shopper):
    from pasar.models import AuditLog
    from posdaya.services import RoleError

    with pytest.raises(RoleError, match="hanya dapat diberikan oleh koordinator"):
        grant_role(user=shopper, role="koordinator", posdaya=None, by=pengelola)
    assert (
        Membership.objects.filter(user=shopper).count(),
        AuditLog.objects.count(),
    ) == (
        0,
        0,
    )
    root = UserFactory(username="root", is_superuser=True)
    membership = grant_role(user=shopper, role="koordinator", posdaya=None, by=root)
    assert (membership.role, membership.posdaya) == ("koordinator", None)
    assert AuditLog.objects.get().actor == root
    assert policy.user_has_permission(shopper, Area.INDUK) is True
