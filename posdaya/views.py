"""POSDAYA pages: the public directory and profiles, the dashboard entry."""

import datetime as dt

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from catalog.selectors import storefront_products
from pasar.charts import Series, horizontal_bars
from pasar.exports import csv_response, xlsx_response
from pasar.selectors import audit_entries

from . import reports, services
from .forms import (
    AuditFilterForm,
    GrantRoleForm,
    InviteForm,
    PosdayaProfileForm,
    ReportFilterForm,
)
from .models import Membership
from .permissions import (
    KoordinatorRequiredMixin,
    PengelolaRequiredMixin,
    PosdayaRoleRequiredMixin,
    StaffRequiredMixin,
)
from .selectors import (
    active_posdaya,
    all_memberships,
    is_koordinator,
    posdaya_for_user,
    roles_at,
    staff_of,
)


class PosdayaListView(ListView):
    template_name = "posdaya/posdaya_list.html"
    context_object_name = "posdaya_list"

    def get_queryset(self):
        return active_posdaya()


class PosdayaDetailView(DetailView):
    template_name = "posdaya/posdaya_detail.html"
    context_object_name = "posdaya"

    def get_object(self, queryset=None):
        return get_object_or_404(active_posdaya(), slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["products"] = storefront_products(self.object)
        return context


class DashboardMixin:
    """Context every dashboard page needs: the POSDAYA switcher."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["my_posdaya"] = posdaya_for_user(user)
        context["is_koordinator"] = is_koordinator(user)
        if getattr(self, "posdaya", None) is not None:
            context["posdaya_roles"] = roles_at(user, self.posdaya)
        return context


class DashboardHomeView(StaffRequiredMixin, DashboardMixin, TemplateView):
    template_name = "posdaya/dashboard_home.html"


class BranchHomeView(PosdayaRoleRequiredMixin, DashboardMixin, TemplateView):
    template_name = "posdaya/branch_home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["my_roles"] = [
            Membership.Role(role).label for role in sorted(context["posdaya_roles"])
        ]
        context["glance"] = reports.week_at_a_glance(posdaya=self.posdaya)
        context["low_stock"] = reports.low_stock_products(self.posdaya)
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
        context["all_posdaya"] = posdaya_for_user(self.request.user)
        return context


class PosdayaActiveView(KoordinatorRequiredMixin, View):
    def post(self, request, slug):
        posdaya = get_object_or_404(posdaya_for_user(request.user), slug=slug)
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


class PosdayaProfileView(PengelolaRequiredMixin, DashboardMixin, TemplateView):
    """A pengelola (or the koordinator) edits the POSDAYA's public profile."""

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


class BranchStaffView(PengelolaRequiredMixin, DashboardMixin, TemplateView):
    """Who works at this POSDAYA (read-only for its pengelola)."""

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


# --- Induk: the coordinator's dashboard and reports --------------------------


def report_filters(request) -> tuple[ReportFilterForm, dict]:
    """Read the report filter from the query string; default: the last 12 weeks.

    Invalid input keeps its error messages on the form and falls back to the
    default range, so the page still answers.
    """
    start, end = reports.this_week()
    default = {"start": start - dt.timedelta(weeks=11), "end": end, "posdaya": None}
    form = ReportFilterForm(request.GET or None)
    if request.GET and form.is_valid():
        data = form.cleaned_data
        return form, {
            "start": data["dari"],
            "end": data["sampai"],
            "posdaya": data["posdaya"],
        }
    if not request.GET:
        form = ReportFilterForm(
            initial={"dari": default["start"], "sampai": default["end"]}
        )
    return form, default


def build_induk_report(*, start, end, posdaya) -> dict:
    """Run every induk report for one filter (a fixed number of queries)."""
    income = reports.income_per_week(start=start, end=end, posdaya=posdaya)
    return {
        "income": income,
        "categories": reports.sales_by_category(start=start, end=end, posdaya=posdaya),
        "top_products": reports.top_products(start=start, end=end, posdaya=posdaya),
        "states": reports.orders_by_state(start=start, end=end, posdaya=posdaya),
        "waste": reports.waste_by_category(start=start, end=end, posdaya=posdaya),
    }


class IndukDashboardView(KoordinatorRequiredMixin, DashboardMixin, TemplateView):
    """This week at a glance and the reports the program is judged by."""

    template_name = "posdaya/induk_dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, filters = report_filters(self.request)
        report = build_induk_report(**filters)
        income = report["income"]
        weeks = len(income.weeks)
        context.update(
            report,
            filter_form=form,
            filters=filters,
            glance=reports.week_at_a_glance(),
            income_chart=horizontal_bars(
                [row.posdaya.name for row in income.rows],
                [
                    Series(_("Produk"), [row.product / weeks for row in income.rows]),
                    Series(_("Sampah"), [row.waste / weeks for row in income.rows]),
                ],
                title=_("Rata-rata pendapatan per minggu per POSDAYA (Rp)"),
            ),
            waste_pivot=reports.pivot_waste(report["waste"]),
            query=self.request.GET.urlencode(),
        )
        return context


class IndukExportView(KoordinatorRequiredMixin, View):
    """The induk reports as CSV or XLSX, with the screen's filter and cells."""

    def get(self, request, report, fmt):
        _form, filters = report_filters(request)
        data = build_induk_report(**filters)
        sheets = [reports.income_sheet(data["income"])]
        if report == "semua":
            sheets += [
                reports.category_sheet(data["categories"]),
                reports.top_products_sheet(data["top_products"]),
                reports.states_sheet(data["states"]),
                reports.waste_sheet(data["waste"]),
            ]
        name = f"laporan-{report}-{filters['start']:%Y%m%d}-{filters['end']:%Y%m%d}"
        if filters["posdaya"] is not None:
            name += f"-{filters['posdaya'].slug}"
        if fmt == "csv":
            return csv_response(sheets, name)
        return xlsx_response(sheets, name)
