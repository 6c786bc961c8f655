"""Back-office pages of the bank sampah: members, weighing, savings, stock.

Every view is scoped to `self.posdaya` (set by AreaRequiredMixin for
Area.BANKSAMPAH) and reads objects through selectors filtered on it, so
another POSDAYA's member, deposit or withdrawal is a 404.
"""

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from pasar.dates import this_week
from pasar.forms import DateRangeForm
from pasar.money import format_rupiah
from posdaya.permissions import Area, AreaRequiredMixin
from posdaya.views import DashboardMixin

from .. import selectors, services
from ..forms import (
    AdjustmentForm,
    MemberForm,
    MemberSearchForm,
    ProductionUseForm,
    ReversalForm,
    SaleForm,
    SaleFormSet,
    WeighingFormSet,
    WithdrawalForm,
)
from ..models import SavingsEntry
from ..services import BankSampahError, SaleLine, WeighedLine

PAGE_SIZE = 25


class BankSampahMixin(AreaRequiredMixin, DashboardMixin):
    """Petugas and pengelola of the POSDAYA in the URL; koordinator everywhere."""

    area = Area.BANKSAMPAH

    def url(self, name, *args):
        return reverse(f"banksampah_dashboard:{name}", args=[self.posdaya.slug, *args])

    def member_or_404(self, pk):
        return get_object_or_404(
            selectors.members_of(self.posdaya).select_related("posdaya"), pk=pk
        )

    def page(self, queryset, size=PAGE_SIZE):
        return Paginator(queryset, size).get_page(self.request.GET.get("page"))


class HomeView(BankSampahMixin, TemplateView):
    template_name = "banksampah/dashboard/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        start, end = this_week()
        context["report"] = selectors.branch_report(
            posdaya=self.posdaya, start=start, end=end, top=5
        )
        context["member_count"] = selectors.members_of(self.posdaya).count()
        context["recent_deposits"] = selectors.deposits_of(self.posdaya).select_related(
            "member"
        )[:10]
        return context


class MemberListView(BankSampahMixin, TemplateView):
    template_name = "banksampah/dashboard/member_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = MemberSearchForm(self.request.GET or None)
        query = form.cleaned_data["q"] if form.is_valid() else ""
        context["form"] = form
        context["query"] = query
        context["page_obj"] = self.page(
            selectors.search_members(posdaya=self.posdaya, query=query)
        )
        return context


class MemberCreateView(BankSampahMixin, TemplateView):
    template_name = "banksampah/dashboard/member_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", MemberForm())
        return context

    def post(self, request, *args, **kwargs):
        form = MemberForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        member = services.register_member(posdaya=self.posdaya, **form.cleaned_data)
        messages.success(
            request,
            _("Nasabah %(name)s terdaftar dengan nomor %(number)s.")
            % {"name": member.name, "number": member.account_number},
        )
        return redirect(self.url("member_detail", member.pk))


class MemberUpdateView(BankSampahMixin, TemplateView):
    template_name = "banksampah/dashboard/member_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["member"] = self.member
        context.setdefault("form", MemberForm(instance=self.member))
        return context

    def get(self, request, *args, **kwargs):
        self.member = self.member_or_404(kwargs["pk"])
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.member = self.member_or_404(kwargs["pk"])
        form = MemberForm(request.POST, instance=self.member)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        services.update_member(member=self.member, **form.cleaned_data)
        messages.success(request, _("Data nasabah disimpan."))
        return redirect(self.url("member_detail", self.member.pk))


class MemberDetailView(BankSampahMixin, TemplateView):
    """The member's passbook as the staff see it."""

    template_name = "banksampah/dashboard/member_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        member = self.member_or_404(kwargs["pk"])
        context["member"] = member
        context["page_obj"] = self.page(
            selectors.passbook_recent_first(member).select_related("reversed_by", "by")
        )
        return context


class MemberPassbookPrintView(BankSampahMixin, TemplateView):
    template_name = "banksampah/passbook_print.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        member = self.member_or_404(kwargs["pk"])
        context["member"] = member
        context["page_obj"] = self.page(selectors.passbook(member), size=100)
        context["back_url"] = self.url("member_detail", member.pk)
        return context


class WeighingView(BankSampahMixin, TemplateView):
    """The Saturday screen: find a member, enter lines, preview, confirm."""

    template_name = "banksampah/dashboard/weighing.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["prices"] = selectors.priced_categories(on_date=today)
        context["today"] = today
        return context

    def get(self, request, *args, **kwargs):
        search = MemberSearchForm(request.GET or None)
        query = search.cleaned_data["q"] if search.is_valid() else ""
        member = None
        if request.GET.get("member"):
            try:
                member = self.member_or_404(int(request.GET["member"]))
            except ValueError:
                raise Http404 from None
        results = None
        if query and member is None:
            results = list(
                selectors.search_members(posdaya=self.posdaya, query=query)[:20]
            )
            if len(results) == 1:
                member = results[0]
        return self.render_to_response(
            self.get_context_data(
                search=search,
                query=query,
                results=results,
                member=member,
                formset=WeighingFormSet(prefix="lines") if member else None,
                key=uuid.uuid4(),
            )
        )

    def post(self, request, *args, **kwargs):
        try:
            member = self.member_or_404(int(request.POST.get("member", "")))
        except ValueError:
            raise Http404 from None
        formset = WeighingFormSet(request.POST, prefix="lines")
        context = {
            "search": MemberSearchForm(),
            "member": member,
            "formset": formset,
            "key": request.POST.get("key", ""),
        }
        try:
            key = uuid.UUID(request.POST.get("key", ""))
        except ValueError:
            context["key"] = uuid.uuid4()
            context["error"] = _(
                "Formulir kedaluwarsa. Periksa baris lalu konfirmasi lagi."
            )
            return self.render_to_response(self.get_context_data(**context))
        if not formset.is_valid():
            return self.render_to_response(self.get_context_data(**context))
        lines = [WeighedLine(category=c, weight=w) for c, w in formset.lines]
        try:
            if request.POST.get("action") != "confirm":
                context["preview"] = services.price_lines(
                    lines=lines, on_date=timezone.localdate()
                )
                context["preview_total"] = sum(li.amount for li in context["preview"])
                return self.render_to_response(self.get_context_data(**context))
            deposit = services.record_deposit(
                member=member, lines=lines, by=request.user, idempotency_key=key
            )
        except BankSampahError as error:
            context["error"] = error.message
            return self.render_to_response(self.get_context_data(**context))
        return redirect(self.url("deposit_receipt", deposit.pk))


class DepositReceiptView(BankSampahMixin, TemplateView):
    template_name = "banksampah/deposit_receipt.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        deposit = get_object_or_404(
            selectors.deposits_of(self.posdaya).select_related("member", "by"),
            pk=kwargs["pk"],
        )
        entry = deposit.entries.filter(kind=SavingsEntry.Kind.DEPOSIT).first()
        context["deposit"] = deposit
        context["lines"] = deposit.lines.select_related("category")
        context["balance_after"] = entry.balance_after if entry else None
        context["wa_text"] = _(
            "Bank Sampah %(posdaya)s: setoran #%(number)s tgl %(date)s sebesar "
            "%(amount)s. Saldo tabungan %(account)s sekarang %(balance)s. Terima kasih!"
        ) % {
            "posdaya": self.posdaya.name,
            "number": deposit.pk,
            "date": deposit.weighed_on.strftime("%d-%m-%Y"),
            "amount": format_rupiah(deposit.total_amount),
            "account": deposit.member.account_number,
            "balance": format_rupiah(context["balance_after"] or 0),
        }
        context["back_url"] = self.url("weighing")
        return context


class WithdrawalCreateView(BankSampahMixin, TemplateView):
    template_name = "banksampah/dashboard/withdrawal_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["member"] = self.member
        context.setdefault("form", WithdrawalForm(initial={"key": uuid.uuid4()}))
        return context

    def get(self, request, *args, **kwargs):
        self.member = self.member_or_404(kwargs["pk"])
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.member = self.member_or_404(kwargs["pk"])
        form = WithdrawalForm(request.POST)
        if form.is_valid():
            try:
                withdrawal = services.record_withdrawal(
                    member=self.member,
                    amount=form.cleaned_data["amount"],
                    method=form.cleaned_data["method"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                    idempotency_key=form.cleaned_data["key"],
                )
            except BankSampahError as error:
                form.add_error(None, error.message)
            else:
                return redirect(self.url("withdrawal_receipt", withdrawal.pk))
        return self.render_to_response(self.get_context_data(form=form))


class WithdrawalReceiptView(BankSampahMixin, TemplateView):
    template_name = "banksampah/withdrawal_receipt.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        withdrawal = get_object_or_404(
            selectors.withdrawals_of(self.posdaya).select_related("member", "by"),
            pk=kwargs["pk"],
        )
        entry = withdrawal.entries.get(kind=SavingsEntry.Kind.WITHDRAWAL)
        context["withdrawal"] = withdrawal
        context["balance_after"] = entry.balance_after
        context["wa_text"] = _(
            "Bank Sampah %(posdaya)s: penarikan #%(number)s tgl %(date)s sebesar "
            "%(amount)s. Saldo tabungan %(account)s sekarang %(balance)s."
        ) % {
            "posdaya": self.posdaya.name,
            "number": withdrawal.pk,
            "date": withdrawal.withdrawn_on.strftime("%d-%m-%Y"),
            "amount": format_rupiah(withdrawal.amount),
            "account": withdrawal.member.account_number,
            "balance": format_rupiah(entry.balance_after),
        }
        context["back_url"] = self.url("member_detail", withdrawal.member_id)
        return context


class ReversalView(BankSampahMixin, TemplateView):
    """Cancel a deposit or a withdrawal with a reason (a linked correction)."""

    template_name = "banksampah/dashboard/reversal_form.html"
    document = "deposit"

    def get_document(self):
        if self.document == "deposit":
            queryset = selectors.deposits_of(self.posdaya)
        else:
            queryset = selectors.withdrawals_of(self.posdaya)
        return get_object_or_404(
            queryset.select_related("member"), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["document"] = self.object
        context["document_kind"] = self.document
        context.setdefault("form", ReversalForm())
        return context

    def get(self, request, *args, **kwargs):
        self.object = self.get_document()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_document()
        form = ReversalForm(request.POST)
        if form.is_valid():
            reverse_fn = (
                services.reverse_deposit
                if self.document == "deposit"
                else services.reverse_withdrawal
            )
            try:
                reverse_fn(
                    **{self.document: self.object},
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except BankSampahError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Koreksi dicatat."))
                return redirect(self.url("member_detail", self.object.member_id))
        return self.render_to_response(self.get_context_data(form=form))


class StockView(BankSampahMixin, TemplateView):
    template_name = "banksampah/dashboard/stock.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["stock"] = selectors.stock_per_category(self.posdaya)
        context["page_obj"] = self.page(selectors.stock_movements(self.posdaya), 50)
        context["sales"] = selectors.sales_of(self.posdaya)[:10]
        return context


class SaleCreateView(BankSampahMixin, TemplateView):
    template_name = "banksampah/dashboard/sale_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", SaleForm())
        context.setdefault("formset", SaleFormSet(prefix="lines"))
        context["stock"] = selectors.stock_per_category(self.posdaya)
        return context

    def post(self, request, *args, **kwargs):
        form = SaleForm(request.POST)
        formset = SaleFormSet(request.POST, prefix="lines")
        error = None
        if form.is_valid() and formset.is_valid():
            try:
                sale = services.record_sale(
                    posdaya=self.posdaya,
                    buyer_name=form.cleaned_data["buyer_name"],
                    note=form.cleaned_data["note"],
                    lines=[
                        SaleLine(category=c, weight=w, unit_price=p)
                        for c, w, p in formset.lines
                    ],
                    by=request.user,
                )
            except BankSampahError as exc:
                error = exc.message
            else:
                return redirect(self.url("sale_detail", sale.pk))
        return self.render_to_response(
            self.get_context_data(form=form, formset=formset, error=error)
        )


class SaleDetailView(BankSampahMixin, TemplateView):
    template_name = "banksampah/sale_receipt.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sale = get_object_or_404(selectors.sales_of(self.posdaya), pk=kwargs["pk"])
        context["sale"] = sale
        context["lines"] = sale.lines.select_related("category")
        context["back_url"] = self.url("stock")
        return context


class ProductionUseCreateView(BankSampahMixin, TemplateView):
    template_name = "banksampah/dashboard/stock_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", ProductionUseForm(posdaya=self.posdaya))
        context["title"] = _("Pemakaian untuk produksi")
        return context

    def post(self, request, *args, **kwargs):
        form = ProductionUseForm(request.POST, posdaya=self.posdaya)
        if form.is_valid():
            try:
                services.record_production_use(
                    posdaya=self.posdaya, by=request.user, **form.cleaned_data
                )
            except BankSampahError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Pemakaian untuk produksi dicatat."))
                return redirect(self.url("stock"))
        return self.render_to_response(self.get_context_data(form=form))


class AdjustmentCreateView(BankSampahMixin, TemplateView):
    template_name = "banksampah/dashboard/stock_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", AdjustmentForm())
        context["title"] = _("Penyesuaian stok")
        return context

    def post(self, request, *args, **kwargs):
        form = AdjustmentForm(request.POST)
        if form.is_valid():
            try:
                services.adjust_waste_stock(
                    posdaya=self.posdaya, by=request.user, **form.cleaned_data
                )
            except BankSampahError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Penyesuaian stok dicatat."))
                return redirect(self.url("stock"))
        return self.render_to_response(self.get_context_data(form=form))


class ReportView(BankSampahMixin, TemplateView):
    """Branch report for a date range (default: this week, Monday to Sunday)."""

    template_name = "banksampah/dashboard/report.html"

    def get_report(self):
        form = DateRangeForm(self.request.GET or None)
        # Invalid input keeps the default week; the form shows why.
        start, end = form.range_or(this_week())
        return form, selectors.branch_report(posdaya=self.posdaya, start=start, end=end)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"], context["report"] = self.get_report()
        return context

    def get(self, request, *args, **kwargs):
        fmt = kwargs.get("fmt")
        if fmt is None:
            return super().get(request, *args, **kwargs)
        from ..exports import report_csv, report_xlsx

        _form, report = self.get_report()
        export = report_csv if fmt == "csv" else report_xlsx
        return export(posdaya=self.posdaya, report=report)
