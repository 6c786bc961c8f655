"""POSDAYA pages: the public directory and profiles, the dashboard entry."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from pasar.selectors import audit_entries

from . import services
from .forms import (
    AuditFilterForm,
    GrantRoleForm,
    InviteForm,
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


class StaffListView(KoordinatorRequiredMixin, DashboardMixin, TemplateView):
    """Every role at every POSDAYA; invite, grant and revoke."""

    template_name = "posdaya/staff_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("invite_form", InviteForm(prefix="invite"))
        context.setdefault("grant_form", GrantRoleForm(prefix="grant"))
        context["memberships"] = all_memberships()
        return context

    def post(self, request, *args, **kwargs):
        if "invite-email" in request.POST:
            return self._invite(request)
        return self._grant(request)

    def _invite(self, request):
        form = InviteForm(request.POST, prefix="invite")
        if form.is_valid():
            data = form.cleaned_data
            try:
                user, created, password = services.invite_staff(
                    email=data["email"],
                    username=data["username"],
                    role=data["role"],
                    posdaya=data["posdaya"],
                    by=request.user,
                    request=request,
                    one_time_password=data["one_time_password"],
                )
            except services.RoleError as error:
                form.add_error(None, str(error))
            else:
                if password:
                    messages.success(
                        request,
                        _(
                            "Akun %(user)s dibuat. Kata sandi sekali pakai: "
                            "%(password)s (sampaikan langsung; tidak ditampilkan lagi)."
                        )
                        % {"user": user.get_username(), "password": password},
                    )
                elif created:
                    messages.success(
                        request,
                        _("Undangan dikirim ke %(email)s.") % {"email": user.email},
                    )
                else:
                    messages.success(
                        request,
                        _("Peran diberikan kepada %(user)s.")
                        % {"user": user.get_username()},
                    )
                return redirect("posdaya_dashboard:staff_list")
        return self.render_to_response(self.get_context_data(invite_form=form))

    def _grant(self, request):
        form = GrantRoleForm(request.POST, prefix="grant")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.grant_role(
                    user=data["user"],
                    role=data["role"],
                    posdaya=data["posdaya"],
                    by=request.user,
                )
            except services.RoleError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Peran diberikan kepada %(user)s.")
                    % {"user": data["user"].get_username()},
                )
                return redirect("posdaya_dashboard:staff_list")
        return self.render_to_response(self.get_context_data(grant_form=form))


class RevokeRoleView(KoordinatorRequiredMixin, View):
    def post(self, request, pk):
        membership = get_object_or_404(all_memberships(), pk=pk)
        try:
            services.revoke_role(membership=membership, by=request.user)
        except services.RoleError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Peran %(role)s dicabut dari %(user)s.")
                % {
                    "role": membership.get_role_display(),
                    "user": membership.user.get_username(),
                },
            )
        return redirect("posdaya_dashboard:staff_list")


class PosdayaAdminListView(KoordinatorRequiredMixin, DashboardMixin, TemplateView):
    template_name = "posdaya/posdaya_admin_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["all_posdaya"] = policy.posdaya_for(self.request.user, Area.INDUK)
        return context


class PosdayaActiveView(KoordinatorRequiredMixin, View):
    def post(self, request, slug):
        posdaya = get_object_or_404(
            policy.posdaya_for(request.user, Area.INDUK), slug=slug
        )
        active = request.POST.get("active") == "1"
        services.set_posdaya_active(posdaya=posdaya, active=active, by=request.user)
        if active:
            messages.success(request, _("%(name)s aktif kembali.") % {"name": posdaya})
        else:
            messages.success(
                request,
                _("%(name)s dinonaktifkan: produknya tidak tampil lagi.")
                % {"name": posdaya},
            )
        return redirect("posdaya_dashboard:posdaya_admin_list")


class PosdayaProfileView(AreaRequiredMixin, DashboardMixin, TemplateView):
    """A pengelola (or the koordinator) edits the POSDAYA's public profile."""

    area = Area.PROFILE

    template_name = "posdaya/posdaya_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", PosdayaProfileForm(posdaya=self.posdaya))
        return context

    def post(self, request, *args, **kwargs):
        form = PosdayaProfileForm(request.POST, request.FILES, posdaya=self.posdaya)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        data = {k: v for k, v in form.cleaned_data.items() if k != "photo"}
        if form.cleaned_data["photo"]:
            data["photo"] = form.cleaned_data["photo"]
        services.update_posdaya(posdaya=self.posdaya, data=data, by=request.user)
        messages.success(request, _("Profil POSDAYA disimpan."))
        return redirect("posdaya_dashboard:profile", posdaya=self.posdaya.slug)


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
