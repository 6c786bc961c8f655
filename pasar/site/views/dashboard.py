"""Dashboard landing pages that read across apps: the branch home and the induk.

The branch home shows a POSDAYA's week (orders, bank sampah) and its low
stock; the induk page runs the reports of `pasar.site.reports`.
"""

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from pasar.charts import Series, horizontal_bars
from pasar.dates import this_week
from pasar.exports import csv_response, xlsx_response
from posdaya.forms import ReportFilterForm
from posdaya.models import Membership
from posdaya.permissions import (
    Area,
    AreaRequiredMixin,
    KoordinatorRequiredMixin,
    StaffRequiredMixin,
    policy,
)
from posdaya.views import DashboardMixin

from .. import reports


class DashboardHomeView(StaffRequiredMixin, DashboardMixin, TemplateView):
    template_name = "posdaya/dashboard_home.html"


class BranchHomeView(AreaRequiredMixin, DashboardMixin, TemplateView):
    area = Area.BRANCH
    template_name = "posdaya/branch_home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        roles = policy.roles_at(self.request.user, self.posdaya)
        context["my_roles"] = [Membership.Role(role).label for role in sorted(roles)]
        context["glance"] = reports.week_at_a_glance(posdaya=self.posdaya)
        context["low_stock"] = reports.low_stock_products(self.posdaya)
        return context


# --- Induk: the coordinator's dashboard and reports --------------------------


def report_filters(request) -> tuple[ReportFilterForm, dict]:
    """Read the report filter from the query string; default: the last 12 weeks.

    Invalid input keeps its error messages on the form and falls back to the
    default range, so the page still answers.
    """
    start, end = this_week()
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
    sales = reports.line_sales(start=start, end=end, posdaya=posdaya, income=income)
    return {
        "income": income,
        "categories": sales.category_rows(),
        "top_products": sales.top_products(),
        "states": reports.orders_by_state(start=start, end=end, posdaya=posdaya),
        "waste": reports.waste_by_category(start=start, end=end, posdaya=posdaya),
        # The induk's own money: shown only when no POSDAYA is chosen.
        "unique_codes": (
            reports.unique_codes_paid(start=start, end=end)
            if posdaya is None and settings.PASAR_TRANSFER_UNIQUE_CODE
            else None
        ),
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
