"""Back office: delivery zones, payment verification, POSDAYA fulfilment."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from pasar.money import format_rupiah
from pasar.views import ServiceActionView, ServiceFormView
from posdaya.permissions import (
    Area,
    AreaRequiredMixin,
    KoordinatorRequiredMixin,
    policy,
)
from posdaya.views import DashboardMixin

from ..forms import (
    DeliveryZoneForm,
    IndukQrisForm,
    PayoutForm,
    RefundForm,
    RejectPaymentForm,
    SubOrderTransitionForm,
)
from ..models import DeliveryZone, Order, PaymentProof, SubOrder
from ..payments import get_payment_method
from ..qris import qr_svg
from ..selectors import (
    current_induk_qris,
    order_detail_queryset,
    orders_for_overview,
    proofs_for_review,
    qris_orders_awaiting_payment,
    settlement_balances,
    settlement_entries,
    suborder_detail_queryset,
    suborder_status_counts,
    suborders_after,
    suborders_of_posdaya,
    unique_code_income,
)
from ..services import (
    advance_suborder,
    allowed_suborder_actions,
    amount_due,
    approve_payment,
    approve_qris_payment,
    can_mark_paid,
    can_refund,
    create_zone,
    mark_suborder_paid,
    refund_suborder,
    reject_payment,
    update_zone,
)
from ..services.induk_qris import save_induk_qris
from ..services.settlement import balance_of, record_payout
from ..whatsapp import suborder_message_for_shopper

# --- delivery zones (koordinator) -------------------------------------------


class ZoneListView(KoordinatorRequiredMixin, DashboardMixin, ListView):
    template_name = "orders/dashboard/zone_list.html"
    context_object_name = "zones"

    def get_queryset(self):
        return DeliveryZone.objects.order_by("-is_active", "fee", "name")


class ZoneCreateView(KoordinatorRequiredMixin, DashboardMixin, ServiceFormView):
    template_name = "orders/dashboard/zone_form.html"
    form_class = DeliveryZoneForm
    success_url = reverse_lazy("orders_dashboard:zone_list")
    success_message = gettext_lazy("Zona pengiriman disimpan.")

    def get_object(self) -> DeliveryZone | None:
        return None

    def get_form_kwargs(self):
        self.object = self.get_object()
        return {**super().get_form_kwargs(), "instance": self.object}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)  # builds the form first
        context["object"] = self.object
        return context

    def perform(self, form):
        return create_zone(**form.cleaned_data, by=self.request.user)


class ZoneUpdateView(ZoneCreateView):
    def get_object(self) -> DeliveryZone:
        return get_object_or_404(DeliveryZone, pk=self.kwargs["pk"])

    def perform(self, form):
        return update_zone(zone=self.object, **form.cleaned_data, by=self.request.user)


# --- the induk's QRIS (koordinator) -------------------------------------------


class IndukQrisView(KoordinatorRequiredMixin, DashboardMixin, ServiceFormView):
    """Enter the induk's static QRIS once: pasted, or read from a photo."""

    template_name = "orders/dashboard/induk_qris.html"
    form_class = IndukQrisForm
    success_url = reverse_lazy("orders_dashboard:induk_qris")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        current = current_induk_qris()
        context["current"] = current
        context["current_svg"] = qr_svg(current.payload) if current else ""
        return context

    def perform(self, form):
        return save_induk_qris(
            payload=form.cleaned_data["payload"], by=self.request.user
        )

    def get_success_message(self, entry) -> str:
        return _("QRIS induk disimpan: %(name)s, %(city)s.") % {
            "name": entry.merchant_name,
            "city": entry.merchant_city,
        }


# --- payment verification (koordinator) --------------------------------------


class PaymentListView(KoordinatorRequiredMixin, DashboardMixin, ListView):
    template_name = "orders/dashboard/payment_list.html"
    context_object_name = "proofs"
    paginate_by = 30

    def get_status(self) -> str:
        status = self.request.GET.get("status", PaymentProof.Status.PENDING)
        return status if status in PaymentProof.Status.values else ""

    def get_queryset(self):
        return proofs_for_review(status=self.get_status())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["status"] = self.get_status()
        context["statuses"] = PaymentProof.Status.choices
        if context["status"] == PaymentProof.Status.PENDING:
            waiting = list(qris_orders_awaiting_payment(now=timezone.now())[:50])
            for order in waiting:
                order.amount_due = amount_due(order)
            context["qris_waiting"] = waiting
        return context


class PaymentDetailView(KoordinatorRequiredMixin, DashboardMixin, DetailView):
    template_name = "orders/dashboard/payment_detail.html"
    context_object_name = "proof"

    def get_queryset(self):
        return PaymentProof.objects.select_related("order", "reviewed_by")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order = order_detail_queryset().get(pk=self.object.order_id)
        context.update(
            order=order,
            suborders=list(order.suborders.all()),
            amount_due=amount_due(order),
            payment=get_payment_method(order.payment_method),
            reject_form=RejectPaymentForm(),
        )
        return context


class PaymentQrisApproveView(KoordinatorRequiredMixin, ServiceActionView):
    """Approve a QRIS order seen paid in the merchant app (no claim needed)."""

    success_url = reverse_lazy("orders_dashboard:payment_list")

    def post(self, request, *args, **kwargs):
        self.order = get_object_or_404(Order, pk=kwargs["pk"])
        return super().post(request, *args, **kwargs)

    def perform(self, form):
        return approve_qris_payment(order=self.order, by=self.request.user)

    def get_success_message(self, order) -> str:
        return _("Pembayaran %(code)s disetujui.") % {"code": order.code}


class PaymentProofFileView(KoordinatorRequiredMixin, View):
    """Serve a proof through an access check, never from a public media URL."""

    def get(self, request, pk):
        proof = get_object_or_404(
            PaymentProof.objects.select_related("order").exclude(file=""), pk=pk
        )
        pdf = proof.kind == PaymentProof.Kind.PDF
        try:
            handle = proof.file.open("rb")
        except OSError:  # lost in storage (a restore without media): not a 500
            raise Http404 from None
        # A PDF is a download, never a document opened in the browser.
        response = FileResponse(
            handle,
            content_type="application/pdf" if pdf else "image/webp",
            as_attachment=pdf,
            filename=f"bukti-transfer-{proof.order.code}.{'pdf' if pdf else 'webp'}",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "sandbox"
        return response


class ProofActionView(KoordinatorRequiredMixin, ServiceActionView):
    """A decision on one proof: back to the queue, or to the proof when refused."""

    success_url = reverse_lazy("orders_dashboard:payment_list")

    def post(self, request, *args, **kwargs):
        # The proof first: a missing one is a 404 whatever was posted.
        self.proof = get_object_or_404(PaymentProof, pk=kwargs["pk"])
        return super().post(request, *args, **kwargs)

    def get_failure_url(self) -> str:
        return reverse("orders_dashboard:payment_detail", kwargs={"pk": self.proof.pk})


class PaymentApproveView(ProofActionView):
    def perform(self, form):
        return approve_payment(proof_id=self.proof.pk, by=self.request.user)

    def get_success_message(self, order) -> str:
        return _("Pembayaran %(code)s disetujui.") % {"code": order.code}


class PaymentRejectView(ProofActionView):
    form_class = RejectPaymentForm

    def perform(self, form):
        return reject_payment(
            proof_id=self.proof.pk,
            by=self.request.user,
            reason=form.cleaned_data["reason"],
        )

    def get_success_message(self, order) -> str:
        return _("Bukti transfer %(code)s ditolak.") % {"code": order.code}


# --- POSDAYA fulfilment -------------------------------------------------------


class SubOrderListView(AreaRequiredMixin, DashboardMixin, TemplateView):
    """One POSDAYA's sub-orders, newest first, 25 a page by keyset.

    `?setelah=<id>` lists the sub-orders after that one: no OFFSET, so the
    last page costs what the first does. A cursor that is not a number is
    ignored (the first page); one of another POSDAYA lists nothing.
    """

    area = Area.ORDERS
    template_name = "orders/dashboard/suborder_list.html"
    page_size = 25

    def get_status(self) -> str:
        status = self.request.GET.get("status", "")
        return status if status in SubOrder.Status.values else ""

    def get_after(self) -> int | None:
        value = self.request.GET.get("setelah", "")
        digits = value.isascii() and value.isdigit() and len(value) <= 18
        return int(value) if digits else None  # within a bigint

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        suborders = suborders_of_posdaya(self.posdaya, status=self.get_status())
        after = self.get_after()
        if after is not None:
            suborders = suborders_after(suborders, self.posdaya, after)
        rows = list(suborders[: self.page_size + 1])
        shown = rows[: self.page_size]
        counts = suborder_status_counts(self.posdaya)
        today = timezone.localdate()
        for suborder in shown:
            suborder.is_late = suborder.is_late_on(today)
        context.update(
            suborders=shown,
            after=after,
            next_cursor=shown[-1].pk if len(rows) > self.page_size else None,
            status=self.get_status(),
            status_tabs=[
                (value, label, counts.get(value, 0))
                for value, label in SubOrder.Status.choices
            ],
            total_count=sum(counts.values()),
        )
        return context


class SubOrderMixin(AreaRequiredMixin, DashboardMixin):
    area = Area.ORDERS

    def get_suborder(self) -> SubOrder:
        return get_object_or_404(
            suborder_detail_queryset(self.posdaya), pk=self.kwargs["pk"]
        )


class SubOrderDetailView(SubOrderMixin, TemplateView):
    template_name = "orders/dashboard/suborder_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        suborder = self.get_suborder()
        order = suborder.order
        actions = allowed_suborder_actions(order=order, suborder=suborder)
        context.update(
            suborder=suborder,
            order=order,
            payment=get_payment_method(order.payment_method),
            actions=[
                (value, SubOrder.Status(value).label)
                for value in actions
                if value != SubOrder.Status.CANCELLED
            ],
            can_cancel=SubOrder.Status.CANCELLED in actions,
            can_mark_paid=can_mark_paid(order=order, suborder=suborder),
            can_refund=can_refund(suborder=suborder)
            and policy.user_has_permission(
                self.request.user, Area.REFUNDS, self.posdaya
            ),
            whatsapp_text=suborder_message_for_shopper(order, suborder),
            late=suborder.is_late_on(timezone.localdate()),
        )
        return context


class SubOrderActionView(SubOrderMixin, ServiceActionView):
    """A button on the sub-order page; every answer goes back to that page."""

    def post(self, request, *args, **kwargs):
        # The sub-order first: another POSDAYA's is a 404 whatever was posted.
        self.suborder = self.get_suborder()
        return super().post(request, *args, **kwargs)

    def get_success_url(self, result=None) -> str:
        return _suborder_url(self.suborder)


class SubOrderTransitionView(SubOrderActionView):
    form_class = SubOrderTransitionForm
    success_message = gettext_lazy("Status pesanan diperbarui.")

    def perform(self, form):
        data = form.cleaned_data
        return advance_suborder(
            suborder=self.suborder,
            to_status=data["to_status"],
            by=self.request.user,
            courier=data["courier"],
            tracking_number=data["tracking_number"],
            note=data["note"],
        )

    def form_invalid(self, form):
        # Every field's problem, one message each (a move and its reason).
        for errors in form.errors.values():
            messages.error(self.request, " ".join(errors))
        return HttpResponseRedirect(self.get_failure_url())


class SubOrderMarkPaidView(SubOrderActionView):
    success_message = gettext_lazy("Pembayaran tunai dicatat.")

    def perform(self, form):
        return mark_suborder_paid(suborder=self.suborder, by=self.request.user)


class PackingSlipView(SubOrderMixin, TemplateView):
    template_name = "orders/dashboard/packing_slip.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        suborder = self.get_suborder()
        context.update(suborder=suborder, order=suborder.order)
        return context


def _suborder_url(suborder: SubOrder) -> str:
    return reverse(
        "orders_dashboard:suborder_detail",
        kwargs={"posdaya": suborder.posdaya.slug, "pk": suborder.pk},
    )


class SubOrderRefundView(AreaRequiredMixin, ServiceActionView):
    """The koordinator refunds a completed sub-order (goods came back)."""

    area = Area.REFUNDS
    form_class = RefundForm
    success_message = gettext_lazy("Retur dicatat; stok dan setelmen sudah dikoreksi.")

    def post(self, request, *args, **kwargs):
        self.suborder = get_object_or_404(
            SubOrder.objects.select_related("order", "posdaya"),
            pk=kwargs["pk"],
            posdaya=self.posdaya,
        )
        return super().post(request, *args, **kwargs)

    def perform(self, form):
        return refund_suborder(
            suborder=self.suborder,
            by=self.request.user,
            reason=form.cleaned_data["reason"],
        )

    def get_success_url(self, result=None) -> str:
        return _suborder_url(self.suborder)


# --- settlement ----------------------------------------------------------------


class SettlementOverviewView(KoordinatorRequiredMixin, DashboardMixin, ServiceFormView):
    """What the induk owes each POSDAYA, and recording payouts."""

    template_name = "orders/dashboard/settlement_overview.html"
    form_class = PayoutForm
    success_url = reverse_lazy("orders_dashboard:settlement_overview")

    def get_initial(self):
        return {"paid_on": timezone.localdate()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = settlement_balances()
        context["rows"] = rows
        context["totals"] = {
            key: sum(row[key] for row in rows)
            for key in ("credits", "reversals", "payouts", "fees", "balance")
        }
        context["unique_codes"] = unique_code_income()
        return context

    def perform(self, form):
        data = form.cleaned_data
        return record_payout(
            posdaya=data["posdaya"],
            amount=data["amount"],
            paid_on=data["paid_on"],
            method=data["method"],
            reference=data["reference"],
            note=data["note"],
            by=self.request.user,
            idempotency_key=data["key"],
        )

    def get_success_message(self, entry) -> str:
        return _("Pembayaran %(amount)s ke %(posdaya)s dicatat.") % {
            "amount": format_rupiah(-entry.amount),
            "posdaya": entry.posdaya,
        }


class SettlementStatementView(AreaRequiredMixin, DashboardMixin, ListView):
    """One POSDAYA's statement: credits, reversals and payouts."""

    area = Area.SETTLEMENT

    template_name = "orders/dashboard/settlement_statement.html"
    context_object_name = "entries"
    paginate_by = 50

    def get_queryset(self):
        return settlement_entries(self.posdaya)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["balance"] = balance_of(self.posdaya)
        return context


class OrderOverviewView(KoordinatorRequiredMixin, DashboardMixin, ListView):
    """Every order across the 16 POSDAYA, for the koordinator."""

    template_name = "orders/dashboard/order_overview.html"
    context_object_name = "orders"
    paginate_by = 30

    def get_status(self) -> str:
        status = self.request.GET.get("status", "")
        return status if status in Order.Status.values else ""

    def get_queryset(self):
        query = self.request.GET.get("q", "").strip()[:40]
        return orders_for_overview(status=self.get_status(), query=query)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["status"] = self.get_status()
        context["statuses"] = Order.Status.choices
        context["q"] = self.request.GET.get("q", "").strip()[:40]
        return context
