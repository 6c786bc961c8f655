"""Reads of POSDAYA and staff roles.

Which POSDAYA a user may see is answered by the permission policy
(`posdaya.permissions.policy.posdaya_for`), which reads roles through here.
"""

from collections.abc import Iterable

from django.db.models import QuerySet

from .models import Membership, Posdaya


def roles_held(user) -> list[tuple[int | None, str]]:
    """Return (POSDAYA id, role) for every role `user` holds (None: the induk).

    Which role may do what is the permission policy's business
    (`posdaya.permissions`); this only reads the rows.
    """
    if not user.is_authenticated:
        return []
    return list(Membership.objects.filter(user=user).values_list("posdaya_id", "role"))


def memberships_at(posdaya_ids: Iterable[int], *, roles: Iterable[str]):
    """Return the roles among `roles` held at the POSDAYA `posdaya_ids`."""
    return Membership.objects.filter(
        posdaya__in=list(posdaya_ids), role__in=list(roles)
    )


def active_posdaya() -> QuerySet[Posdaya]:
    """Return the POSDAYA shown on the public site."""
    return Posdaya.objects.filter(is_active=True)


def staff_of(posdaya: Posdaya) -> QuerySet[Membership]:
    """Return the roles held at one POSDAYA, with their users."""
    return (
        Membership.objects.filter(posdaya=posdaya)
        .select_related("user")
        .order_by("role", "user__username")
    )


def all_memberships() -> QuerySet[Membership]:
    """Return every role held anywhere, for the induk's staff page."""
    return Membership.objects.select_related("user", "posdaya").order_by(
        "posdaya__name", "role", "user__username"
    )
