"""What a user may see: every branch-scoped query starts here."""

from collections.abc import Iterable

from django.db.models import QuerySet

from .models import Membership, Posdaya

STAFF_ROLES = (Membership.Role.PENGELOLA, Membership.Role.PETUGAS)


def is_koordinator(user) -> bool:
    """Tell whether the user holds the koordinator role (cached on the user)."""
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_is_koordinator", None)
    if cached is None:
        cached = Membership.objects.filter(
            user=user, role=Membership.Role.KOORDINATOR
        ).exists()
        user._is_koordinator = cached
    return cached


def posdaya_for_user(user, roles: Iterable[str] = STAFF_ROLES) -> QuerySet[Posdaya]:
    """Return the POSDAYA where the user holds one of `roles`; all for a koordinator.

    Inactive POSDAYA stay visible to their staff so their data can be read.
    """
    if not user.is_authenticated:
        return Posdaya.objects.none()
    if is_koordinator(user):
        return Posdaya.objects.all()
    return Posdaya.objects.filter(
        memberships__user=user, memberships__role__in=list(roles)
    ).distinct()


def roles_at(user, posdaya: Posdaya) -> set[str]:
    """Return the roles the user holds at this POSDAYA (koordinator implies all)."""
    if is_koordinator(user):
        return {Membership.Role.KOORDINATOR, *STAFF_ROLES}
    if not user.is_authenticated:
        return set()
    return set(
        Membership.objects.filter(user=user, posdaya=posdaya).values_list(
            "role", flat=True
        )
    )


def is_staff_member(user) -> bool:
    """Tell whether the user may enter the dashboard at all."""
    if not user.is_authenticated:
        return False
    return is_koordinator(user) or Membership.objects.filter(user=user).exists()


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
    """Return every role held anywhere, for the koordinator's staff page."""
    return Membership.objects.select_related("user", "posdaya").order_by(
        "posdaya__name", "role", "user__username"
    )
