"""POSDAYA pages: the public directory and profiles, the dashboard entry."""

from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView, TemplateView

from pasar.selectors import audit_entries
from pasar.views import ServiceActionView, ServiceFormView

from . import services
from .forms import (
    AuditFilterForm,
    GrantRoleForm,
    InviteForm,
    PosdayaActiveForm,
    PosdayaProfileForm,
)
from .permissions import Area, AreaRequiredMixin, KoordinatorRequiredMixin, policy
from .selectors import active_posdaya, all_memberships, staff_of


class PosdayaListView(ListView):
    template_name = "posdaya/posdaya_list.html"
    context_object_name = "posdaya_list"

    def get_queryset(self):
        return active_posdaya()


class DashboardMixin:
    """Context every dashboard page needs: the POSDAYA switcher.

    The menu asks the permission policy itself (`{% can %}`), so no role is
    passed for the templates to compare.
    """

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["my_posdaya"] = policy.posdaya_for(self.request.user, Area.BRANCH)
        return context


# --- Induk: staff roles, POSDAYA profiles, audit log -------------------------


class StaffPageMixin(KoordinatorRequiredMixin, DashboardMixin):
    """The staff page: every role at every POSDAYA, the invite and grant forms."""

    template_name = "posdaya/staff_list.html"
    success_url = reverse_lazy("posdaya_dashboard:staff_list")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("invite_form", InviteForm(prefix="invite"))
        context.setdefault("grant_form", GrantRoleForm(prefix="grant"))
        context["memberships"] = all_memberships()
        return context


class InviteStaffView(StaffPageMixin, ServiceFormView):
    """Invite someone by email (or with a one-time password) into a role."""

    form_class = InviteForm
    prefix = "invite"
    form_context_name = "invite_form"

    def perform(self, form):
        data = form.cleaned_data
        return services.invite_staff(
            email=data["email"],
            username=data["username"],
            role=data["role"],
            posdaya=data["posdaya"],
            by=self.request.user,
            request=self.request,
            one_time_password=data["one_time_password"],
        )

    def get_success_message(self, result) -> str:
        user, created, password = result
        if password:
            return _(
                "Akun %(user)s dibuat. Kata sandi sekali pakai: "
                "%(password)s (sampaikan langsung; tidak ditampilkan lagi)."
            ) % {"user": user.get_username(), "password": password}
        if created:
            return _("Undangan dikirim ke %(email)s.") % {"email": user.email}
        return _("Peran diberikan kepada %(user)s.") % {"user": user.get_username()}


class GrantRoleView(StaffPageMixin, ServiceFormView):
    """Give an existing account a role."""

    form_class = GrantRoleForm
    prefix = "grant"
    form_context_name = "grant_form"

    def perform(self, form):
        data = form.cleaned_data
        return services.grant_role(
            user=data["user"],
            role=data["role"],
            posdaya=data["posdaya"],
            by=self.request.user,
        )

    def get_success_message(self, membership) -> str:
        return _("Peran diberikan kepada %(user)s.") % {
            "user": membership.user.get_username()
        }


class StaffListView(View):
    """One URL for the page and both its forms: a POST goes to the form it carries.

    The invite form is known by its email field; anything else is a grant.
    """

    invite = staticmethod(InviteStaffView.as_view())
    grant = staticmethod(GrantRoleView.as_view())

    def get(self, request, *args, **kwargs):
        return self.grant(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        view = self.invite if "invite-email" in request.POST else self.grant
        return view(request, *args, **kwargs)


class RevokeRoleView(KoordinatorRequiredMixin, ServiceActionView):
    """Take a role away (the button on each row of the staff page)."""

    success_url = reverse_lazy("posdaya_dashboard:staff_list")

    def perform(self, form):
        self.membership = get_object_or_404(all_memberships(), pk=self.kwargs["pk"])
        services.revoke_role(membership=self.membership, by=self.request.user)
        return self.membership

    def get_success_message(self, membership) -> str:
        return _("Peran %(role)s dicabut dari %(user)s.") % {
            "role": membership.get_role_display(),
            "user": membership.user.get_username(),
        }


class PosdayaAdminListView(KoordinatorRequiredMixin, DashboardMixin, TemplateView):
    template_name = "posdaya/posdaya_admin_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["all_posdaya"] = policy.posdaya_for(self.request.user, Area.INDUK)
        return context


class PosdayaActiveView(KoordinatorRequiredMixin, ServiceActionView):
    """Open or close a POSDAYA (the button on the POSDAYA list)."""

    form_class = PosdayaActiveForm
    success_url = reverse_lazy("posdaya_dashboard:posdaya_admin_list")

    def perform(self, form):
        posdaya = get_object_or_404(
            policy.posdaya_for(self.request.user, Area.INDUK), slug=self.kwargs["slug"]
        )
        return services.set_posdaya_active(
            posdaya=posdaya, active=form.cleaned_data["active"], by=self.request.user
        )

    def get_success_message(self, posdaya) -> str:
        if posdaya.is_active:
            return _("%(name)s aktif kembali.") % {"name": posdaya}
        return _("%(name)s dinonaktifkan: produknya tidak tampil lagi.") % {
            "name": posdaya
        }


class PosdayaProfileView(AreaRequiredMixin, DashboardMixin, ServiceFormView):
    """A pengelola (or the koordinator) edits the POSDAYA's public profile."""

    area = Area.PROFILE
    template_name = "posdaya/posdaya_form.html"
    form_class = PosdayaProfileForm
    success_message = gettext_lazy("Profil POSDAYA disimpan.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "posdaya": self.posdaya}

    def perform(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "photo"}
        if form.cleaned_data["photo"]:
            data["photo"] = form.cleaned_data["photo"]
        return services.update_posdaya(
            posdaya=self.posdaya, data=data, by=self.request.user
        )

    def get_success_url(self, result=None) -> str:
        return reverse(
            "posdaya_dashboard:profile", kwargs={"posdaya": self.posdaya.slug}
        )


class BranchStaffView(AreaRequiredMixin, DashboardMixin, TemplateView):
    """Who works at this POSDAYA (read-only for its pengelola)."""

    area = Area.STAFF

    template_name = "posdaya/branch_staff.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["memberships"] = staff_of(self.posdaya)
        return context


class AuditLogView(KoordinatorRequiredMixin, DashboardMixin, ListView):
    template_name = "posdaya/audit_log.html"
    context_object_name = "entries"
    paginate_by = 50

    def get_queryset(self):
        self.filter_form = AuditFilterForm(self.request.GET or None)
        if self.filter_form.is_bound and self.filter_form.is_valid():
            return audit_entries(**self.filter_form.cleaned_data)
        if self.filter_form.is_bound:
            return audit_entries().none()
        return audit_entries()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        return context
