"""The one permission policy: which role may work in which area at which POSDAYA.

Every role question is answered here, by the table `BRANCH_AREAS` and
`policy`: the view mixins below, the `{% can %}` template tag that builds
menus and buttons, and the services' `can_*` helpers all ask it, so a link a
role can see is a page that role can open (Wagtail's permission policy is the
model).

Rules:

- the koordinator may do everything, at every POSDAYA and at the induk;
- a pengelola or petugas may work in an area at a POSDAYA where they hold a
  role that `BRANCH_AREAS` lists for that area;
- the dashboard entry is open to anyone holding a role anywhere;
- induk areas belong to the koordinator alone (refunds included);
- only the koordinator, or a superuser setting up a new site, may make
  someone koordinator.

Anonymous visitors are sent to sign in. Signed-in users outside their scope
get a 404 (the object is not admitted to exist); a shopper who opens the
dashboard itself gets a 403.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Membership, Posdaya
from .selectors import memberships_at, roles_held

Role = Membership.Role
STAFF_ROLES = frozenset({Role.PENGELOLA, Role.PETUGAS})


class Area(StrEnum):
    """A part of the back office; the names are used by the `{% can %}` tag."""

    DASHBOARD = "dashboard"  # the dashboard entry: anyone holding a role
    BRANCH = "branch"  # a POSDAYA's dashboard home
    PROFILE = "profile"  # its public profile
    STAFF = "staff"  # who works there
    PRODUCTS = "products"
    ORDERS = "orders"  # fulfilling its sub-orders
    SETTLEMENT = "settlement"  # its settlement statement
    BANKSAMPAH = "banksampah"  # members, weighing, savings, waste stock
    MESSAGES = "messages"  # WhatsApp messages it is to send by hand
    REFUNDS = "refunds"  # returns of completed sub-orders: induk only
    INDUK = "induk"  # everything under /dasbor/induk/ and payments


# Which branch roles may work in each area; an empty set means koordinator only.
BRANCH_AREAS: dict[Area, frozenset[str]] = {
    Area.DASHBOARD: STAFF_ROLES,
    Area.BRANCH: STAFF_ROLES,
    Area.PROFILE: frozenset({Role.PENGELOLA}),
    Area.STAFF: frozenset({Role.PENGELOLA}),
    Area.PRODUCTS: frozenset({Role.PENGELOLA}),
    Area.ORDERS: frozenset({Role.PENGELOLA}),
    Area.SETTLEMENT: frozenset({Role.PENGELOLA}),
    Area.BANKSAMPAH: STAFF_ROLES,
    Area.MESSAGES: STAFF_ROLES,
    Area.REFUNDS: frozenset(),
    Area.INDUK: frozenset(),
}


@dataclass(frozen=True)
class HeldRoles:
    """Every role one user holds: (POSDAYA id or None for the induk, role)."""

    pairs: frozenset[tuple[int | None, str]]

    @property
    def koordinator(self) -> bool:
        return (None, Role.KOORDINATOR) in self.pairs

    def at(self, posdaya_id: int) -> frozenset[str]:
        return frozenset(role for pk, role in self.pairs if pk == posdaya_id)

    def posdaya_ids(self, roles: frozenset[str]) -> list[int]:
        return sorted({pk for pk, role in self.pairs if pk and role in roles})


class PermissionPolicy:
    """Answer every "may this user do that here?" question of the site.

    A user's roles are read in one query and kept on the user object, which
    lives as long as the request; every answer after the first is free.
    """

    def roles_for(self, area: Area) -> frozenset[str]:
        """Return the branch roles that may work in `area`."""
        return BRANCH_AREAS[Area(area)]

    def user_has_permission(
        self, user, area: Area, posdaya: Posdaya | None = None
    ) -> bool:
        """Tell whether `user` may work in `area` (at `posdaya`, for branch areas).

        Without a POSDAYA only the koordinator's areas are answered, and the
        dashboard entry, which is open to anyone holding a role anywhere.
        """
        if not user.is_authenticated:
            return False
        held = self._held(user)
        if held.koordinator:
            return True
        if posdaya is None:
            return Area(area) == Area.DASHBOARD and bool(held.pairs)
        return bool(self.roles_for(area) & held.at(posdaya.pk))

    def areas_at(self, user, posdaya: Posdaya) -> frozenset[Area]:
        """Return every area `user` may work in at `posdaya` (for menus)."""
        return frozenset(
            area for area in Area if self.user_has_permission(user, area, posdaya)
        )

    def roles_at(self, user, posdaya: Posdaya) -> frozenset[str]:
        """Return the roles `user` holds at `posdaya`; the koordinator holds all."""
        if not user.is_authenticated:
            return frozenset()
        held = self._held(user)
        if held.koordinator:
            return frozenset({Role.KOORDINATOR, *STAFF_ROLES})
        return held.at(posdaya.pk)

    def posdaya_for(self, user, area: Area) -> QuerySet[Posdaya]:
        """Return the POSDAYA where `user` may work in `area` (all: koordinator).

        Inactive POSDAYA stay in the answer so their staff can read their data.
        """
        if not user.is_authenticated:
            return Posdaya.objects.none()
        held = self._held(user)
        if held.koordinator:
            return Posdaya.objects.all()
        return Posdaya.objects.filter(pk__in=held.posdaya_ids(self.roles_for(area)))

    def memberships_in(self, area: Area, posdaya_ids) -> QuerySet[Membership]:
        """Return the branch roles held at `posdaya_ids` that work in `area`.

        For telling a POSDAYA's staff about work in their area (the
        koordinator, who may do everything, is not included).
        """
        return memberships_at(posdaya_ids, roles=self.roles_for(area))

    def may_enter_dashboard(self, user) -> bool:
        """Tell whether `user` holds any role at all."""
        return self.user_has_permission(user, Area.DASHBOARD)

    def may_grant_koordinator(self, user) -> bool:
        """Only a koordinator, or a superuser setting up the site, names another."""
        return user.is_authenticated and (
            user.is_superuser or self._held(user).koordinator
        )

    def forget(self, user) -> None:
        """Drop the roles kept on `user` (after they were granted or revoked)."""
        user.__dict__.pop(self._CACHE, None)

    _CACHE = "_pasar_held_roles"

    def _held(self, user) -> HeldRoles:
        held = user.__dict__.get(self._CACHE)
        if held is None:
            held = HeldRoles(frozenset(roles_held(user)))
            user.__dict__[self._CACHE] = held
        return held


policy = PermissionPolicy()


class StaffRequiredMixin(LoginRequiredMixin):
    """Signed-in staff of any POSDAYA or the induk; shoppers get 403."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not policy.may_enter_dashboard(
            request.user
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class AreaRequiredMixin(LoginRequiredMixin):
    """Enforce `area` at the POSDAYA named by the `posdaya` URL kwarg.

    Sets `self.posdaya`, fetched through the policy's queryset, so a POSDAYA
    outside the user's scope is a 404 exactly like one that does not exist.
    """

    area: Area = Area.BRANCH

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.posdaya = get_object_or_404(
            policy.posdaya_for(request.user, self.area), slug=kwargs["posdaya"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["posdaya"] = self.posdaya
        return context


class KoordinatorRequiredMixin(LoginRequiredMixin):
    """Induk pages: anyone else signed in gets a 404."""

    area: Area = Area.INDUK

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not policy.user_has_permission(request.user, self.area):
            raise Http404
        return super().dispatch(request, *args, **kwargs)
