"""Back-office pages of the bank sampah: members, deposits, withdrawals, stock.

Every view is scoped to `self.posdaya` (set by AreaRequiredMixin for
Area.BANKSAMPAH) and reads objects through selectors filtered on it, so
another POSDAYA's member, deposit or withdrawal is a 404.
"""

import uuid
from datetime import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from pasar.dates import this_week
from pasar.forms import DateRangeForm
from pasar.money import format_rupiah
from pasar.views import ServiceFormView
from posdaya.permissions import Area, AreaRequiredMixin
from posdaya.views import DashboardMixin

from .. import selectors, services
from ..forms import (
    AdjustmentForm,
    DepositLineFormSet,
    MemberForm,
    MemberSearchForm,
    ProductionUseForm,
    ReversalForm,
    SaleForm,
    SaleLineFormSet,
    WithdrawalForm,
)
from ..models import SavingsEntry
from ..services import BankSampahError, SaleLine, WeighedLine

PAGE_SIZE = 25


class BankSampahMixin(AreaRequiredMixin, DashboardMixin):
    """Petugas and pengelola of the POSDAYA in the URL; koordinator everywhere."""

    area = Area.BANKSAMPAH
    # FormView would also take PUT as a POST; these pages never did (405).
    http_method_names = ["get", "post", "head", "options"]

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


class MemberCreateView(BankSampahMixin, ServiceFormView):
    """Open a book; then its claim-code sheet, to print or copy for the member."""

    template_name = "banksampah/dashboard/member_form.html"
    form_class = MemberForm

    def perform(self, form):
        data = dict(form.cleaned_data)
        member = services.register_member(
            posdaya=self.posdaya,
            idempotency_key=data.pop("key"),
            with_claim_code=True,
            **data,
        )
        if member.claim_code is not None:  # not when the same form came twice
            show_claim_code_once(self.request, member, member.claim_code)
        return member

    def get_success_message(self, member):
        return _("Nasabah %(name)s terdaftar dengan nomor %(number)s.") % {
            "name": member.name,
            "number": member.account_number,
        }

    def get_success_url(self, member):
        return self.url("member_claim_code", member.pk)


class MemberUpdateView(BankSampahMixin, ServiceFormView):
    template_name = "banksampah/dashboard/member_form.html"
    form_class = MemberForm

    @cached_property
    def member(self):
        return self.member_or_404(self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.member}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["member"] = self.member
        return context

    def perform(self, form):
        return services.update_member(member=self.member, **form.cleaned_data)

    def get_success_message(self, member):
        return _("Data nasabah disimpan.")

    def get_success_url(self, member):
        return self.url("member_detail", member.pk)


def _claim_code_session_key(member) -> str:
    return f"banksampah:claim_code:{member.pk}"


def show_claim_code_once(request, member, issued) -> None:
    """Keep a new claim code in the petugas' session until its sheet is shown."""
    request.session[_claim_code_session_key(member)] = {
        "code": issued.code,
        "expires_at": issued.expires_at.isoformat(),
    }


class MemberClaimCodeView(BankSampahMixin, TemplateView):
    """Issue a new claim code (POST) and show it once, ready to print.

    GET explains and offers the button; each POST issues a new code, voids
    the previous one and redirects here, where the code is shown once: it
    waits in the petugas' session only until that page is shown (the book
    keeps only its hash, so it can never be shown again).
    """

    template_name = "banksampah/member_claim_code.html"
    http_method_names = ["get", "post", "head", "options"]

    @cached_property
    def member(self):
        return self.member_or_404(self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["member"] = self.member
        context["back_url"] = self.url("member_detail", self.member.pk)
        shown = self.request.session.pop(_claim_code_session_key(self.member), None)
        if shown is not None:
            context["issued"] = services.IssuedClaimCode(
                code=shown["code"],
                expires_at=datetime.fromisoformat(shown["expires_at"]),
            )
            context["claim_url"] = self.request.build_absolute_uri(
                reverse("banksampah:claim")
            )
        return context

    def post(self, request, *args, **kwargs):
        issued = services.issue_claim_code(member=self.member, by=request.user)
        show_claim_code_once(request, self.member, issued)
        messages.success(request, _("Kode klaim baru dibuat; kode lama tidak berlaku."))
        return HttpResponseRedirect(self.url("member_claim_code", self.member.pk))


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


class DepositCreateView(BankSampahMixin, ServiceFormView):
    """The Saturday screen: find a member, enter lines, preview, confirm.

    Only the confirmation is the form → service → redirect of ServiceFormView
    (`perform` records the deposit). The rest stays explicit: GET is a member
    search that shows the lines only once a member is chosen, each showing
    with a fresh one-time key; a POST first checks that key (a stale form is
    shown again with a new one, nothing validated); and "Hitung" previews the
    priced lines without writing anything.
    """

    template_name = "banksampah/dashboard/deposit_form.html"
    form_class = DepositLineFormSet
    prefix = "lines"

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
        formset = DepositLineFormSet(prefix=self.prefix) if member else None
        return self.render_to_response(
            self.get_context_data(
                search=search,
                query=query,
                results=results,
                member=member,
                form=formset,
                formset=formset,
                key=uuid.uuid4(),
            )
        )

    def post(self, request, *args, **kwargs):
        try:
            self.member = self.member_or_404(int(request.POST.get("member", "")))
        except ValueError:
            raise Http404 from None
        try:
            self.key = uuid.UUID(request.POST.get("key", ""))
        except ValueError:
            return self.render(
                self.get_form(),
                key=uuid.uuid4(),
                error=_("Formulir kedaluwarsa. Periksa baris lalu konfirmasi lagi."),
            )
        return super().post(request, *args, **kwargs)

    def get_initial(self):
        return None  # a formset's initial data is a list, and there is none

    def render(self, formset, **context):
        """Show the lines of `self.member` again (with `error` or `preview`)."""
        context = {
            "search": MemberSearchForm(),
            "member": self.member,
            "form": formset,
            "formset": formset,
            "key": self.request.POST.get("key", ""),
            **context,
        }
        return self.render_to_response(self.get_context_data(**context))

    def lines(self, formset):
        return [WeighedLine(category=c, weight=w) for c, w in formset.lines]

    def form_valid(self, formset):
        if self.request.POST.get("action") == "confirm":
            return super().form_valid(formset)
        try:
            preview = services.price_lines(
                lines=self.lines(formset), on_date=timezone.localdate()
            )
        except BankSampahError as error:
            return self.service_refused(formset, error)
        return self.render(
            formset,
            preview=preview,
            preview_total=sum(line.amount for line in preview),
        )

    def form_invalid(self, formset):
        return self.render(formset)

    def service_refused(self, formset, error):
        # Shown above the lines (a formset has no place for a form-wide error).
        return self.render(formset, error=error.message)

    def perform(self, formset):
        return services.record_deposit(
            member=self.member,
            lines=self.lines(formset),
            by=self.request.user,
            idempotency_key=self.key,
        )

    def get_success_url(self, deposit):
        return self.url("deposit_receipt", deposit.pk)


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
        context["back_url"] = self.url("deposit_create")
        return context


class WithdrawalCreateView(BankSampahMixin, ServiceFormView):
    template_name = "banksampah/dashboard/withdrawal_form.html"
    form_class = WithdrawalForm

    @cached_property
    def member(self):
        return self.member_or_404(self.kwargs["pk"])

    def get_initial(self):
        # A fresh one-time key each time the form is shown (a double click or
        # a retried request finds the first withdrawal).
        return {"key": uuid.uuid4()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["member"] = self.member
        return context

    def perform(self, form):
        return services.record_withdrawal(
            member=self.member,
            amount=form.cleaned_data["amount"],
            method=form.cleaned_data["method"],
            note=form.cleaned_data["note"],
            by=self.request.user,
            idempotency_key=form.cleaned_data["key"],
        )

    def get_success_url(self, withdrawal):
        return self.url("withdrawal_receipt", withdrawal.pk)


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


class ReversalView(BankSampahMixin, ServiceFormView):
    """Cancel a deposit or a withdrawal with a reason (a linked correction)."""

    template_name = "banksampah/dashboard/reversal_form.html"
    form_class = ReversalForm
    document_kind = "deposit"

    @cached_property
    def document(self):
        if self.document_kind == "deposit":
            queryset = selectors.deposits_of(self.posdaya)
        else:
            queryset = selectors.withdrawals_of(self.posdaya)
        return get_object_or_404(
            queryset.select_related("member"), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["document"] = self.document
        context["document_kind"] = self.document_kind
        return context

    def perform(self, form):
        reverse_document = (
            services.reverse_deposit
            if self.document_kind == "deposit"
            else services.reverse_withdrawal
        )
        return reverse_document(
            **{self.document_kind: self.document},
            reason=form.cleaned_data["reason"],
            by=self.request.user,
        )

    def get_success_message(self, correction):
        return _("Koreksi dicatat.")

    def get_success_url(self, correction):
        return self.url("member_detail", self.document.member_id)


class WasteStockView(BankSampahMixin, TemplateView):
    template_name = "banksampah/dashboard/waste_stock.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["stock"] = selectors.waste_stock_per_category(self.posdaya)
        context["page_obj"] = self.page(
            selectors.waste_stock_movements(self.posdaya), 50
        )
        context["sales"] = selectors.sales_of(self.posdaya)[:10]
        return context


class SaleCreateView(BankSampahMixin, ServiceFormView):
    """The buyer (a form) and the lines (a formset) of one pengepul sale."""

    template_name = "banksampah/dashboard/sale_form.html"
    form_class = SaleForm
    error = None

    @cached_property
    def formset(self):
        data = self.request.POST if self.request.method == "POST" else None
        return SaleLineFormSet(data, prefix="lines")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["formset"] = self.formset
        context["error"] = self.error
        context["stock"] = selectors.waste_stock_per_category(self.posdaya)
        return context

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        # The lines are checked only once the buyer is (as they always were).
        if form.is_valid() and self.formset.is_valid():
            return self.form_valid(form)
        return self.form_invalid(form)

    def perform(self, form):
        return services.record_sale(
            posdaya=self.posdaya,
            buyer_name=form.cleaned_data["buyer_name"],
            note=form.cleaned_data["note"],
            lines=[
                SaleLine(category=c, weight=w, unit_price=p)
                for c, w, p in self.formset.lines
            ],
            by=self.request.user,
            idempotency_key=form.cleaned_data["key"],
        )

    def service_refused(self, form, error):
        # Shown above the form: a refusal concerns the lines as much as the buyer.
        self.error = error.message
        return self.form_invalid(form)

    def get_success_url(self, sale):
        return self.url("sale_receipt", sale.pk)


class SaleReceiptView(BankSampahMixin, TemplateView):
    template_name = "banksampah/sale_receipt.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sale = get_object_or_404(selectors.sales_of(self.posdaya), pk=kwargs["pk"])
        context["sale"] = sale
        context["lines"] = sale.lines.select_related("category")
        context["back_url"] = self.url("waste_stock")
        return context


class ProductionUseCreateView(BankSampahMixin, ServiceFormView):
    template_name = "banksampah/dashboard/waste_stock_form.html"
    form_class = ProductionUseForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "posdaya": self.posdaya}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Pemakaian untuk produksi")
        return context

    def perform(self, form):
        data = dict(form.cleaned_data)
        return services.record_production_use(
            posdaya=self.posdaya,
            by=self.request.user,
            idempotency_key=data.pop("key"),
            **data,
        )

    def get_success_message(self, use):
        return _("Pemakaian untuk produksi dicatat.")

    def get_success_url(self, use):
        return self.url("waste_stock")


class AdjustmentCreateView(BankSampahMixin, ServiceFormView):
    template_name = "banksampah/dashboard/waste_stock_form.html"
    form_class = AdjustmentForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Penyesuaian stok")
        return context

    def perform(self, form):
        data = dict(form.cleaned_data)
        return services.adjust_waste_stock(
            posdaya=self.posdaya,
            by=self.request.user,
            idempotency_key=data.pop("key"),
            **data,
        )

    def get_success_message(self, movement):
        return _("Penyesuaian stok dicatat.")

    def get_success_url(self, movement):
        return self.url("waste_stock")


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
