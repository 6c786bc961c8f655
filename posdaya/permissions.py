"""Role checks for dashboard views.

Anonymous visitors are sent to sign in. Signed-in users without a role at the
POSDAYA in the URL get a 404: we do not even admit the object exists.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Membership
from .selectors import STAFF_ROLES, is_koordinator, is_staff_member, posdaya_for_user


class StaffRequiredMixin(LoginRequiredMixin):
    """Signed-in staff of any POSDAYA or the induk; shoppers get 403."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_staff_member(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PosdayaRoleRequiredMixin(LoginRequiredMixin):
    """Enforce a role at the POSDAYA named by the `posdaya` URL kwarg.

    Sets `self.posdaya`. A koordinator passes everywhere.
    """

    allowed_roles: tuple[str, ...] = STAFF_ROLES

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.posdaya = get_object_or_404(
            posdaya_for_user(request.user, roles=self.allowed_roles),
            slug=kwargs["posdaya"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["posdaya"] = self.posdaya
        return context


class PengelolaRequiredMixin(PosdayaRoleRequiredMixin):
    allowed_roles = (Membership.Role.PENGELOLA,)


class PetugasRequiredMixin(PosdayaRoleRequiredMixin):
    """Bank sampah work: the teller, and the pengelola who runs the POSDAYA."""

    allowed_roles = (Membership.Role.PETUGAS, Membership.Role.PENGELOLA)


class KoordinatorRequiredMixin(LoginRequiredMixin):
    """Induk pages: anyone else signed in gets a 404."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not is_koordinator(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)
