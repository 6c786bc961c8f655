"""Paying: proofs of transfer and their review, cash received on handover."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog import stock
from pasar.audit import record_audit
from pasar.models import AuditLog

from .. import emails
from ..models import Order, OrderLine, PaymentProof, SubOrder
from ..payments import get_payment_method
from .errors import IllegalTransitionError, OrderError
from .state import (
    amount_due,
    lock_order,
    lock_suborder,
    record_suborder_note,
    set_order_status,
    sum_by_product,
    sync_order,
)
from .transitions import check_mark_paid, check_proof_upload

OS = Order.Status
SS = SubOrder.Status


def submit_payment_proof(
    *,
    order: Order,
    file,
    kind: str,
    by=None,
    note: str = "",
    now: datetime | None = None,
) -> PaymentProof:
    """Attach a proof of transfer and put the order in the koordinator's queue.

    For QRIS (`proof_optional`) `file` may be None: the shopper's word that
    they paid is enough to queue it; the koordinator checks the merchant app.
    """
    now = now or timezone.now()
    with transaction.atomic():
        order = lock_order(order.pk)
        check_proof_upload(order=order, now=now)
        method = get_payment_method(order.payment_method)
        if not file and not method.proof_optional:
            raise OrderError(_("Pilih berkas bukti transfer."), field="file")
        proof = PaymentProof.objects.create(
            order=order, file=file or "", kind=kind if file else "", created_at=now
        )
        if not note and method.shows_qris:
            note = _("Pembeli menyatakan sudah membayar dengan QRIS.")
        elif not note:
            note = _("Bukti transfer diunggah.")
        set_order_status(order, OS.AWAITING_VERIFICATION, by=by, note=note, now=now)
    return proof


def _lock_pending_proof(proof_id: int) -> tuple[Order, PaymentProof]:
    order_id = PaymentProof.objects.values_list("order_id", flat=True).get(pk=proof_id)
    order = lock_order(order_id)
    proof = PaymentProof.objects.select_for_update().get(pk=proof_id)
    if (
        proof.status != PaymentProof.Status.PENDING
        or order.status != OS.AWAITING_VERIFICATION
    ):
        raise IllegalTransitionError(_("Bukti transfer ini sudah diperiksa."))
    return order, proof


def approve_payment(*, proof_id: int, by, now: datetime | None = None) -> Order:
    """Approve a proof of transfer: the order and its active sub-orders are paid."""
    now = now or timezone.now()
    with transaction.atomic():
        order, proof = _lock_pending_proof(proof_id)
        proof.status = PaymentProof.Status.APPROVED
        proof.reviewed_by, proof.reviewed_at = by, now
        proof.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
        order.paid_at = now
        set_order_status(
            order,
            OS.PAID,
            by=by,
            note=_("Pembayaran diverifikasi."),
            fields=["paid_at"],
            now=now,
        )
        active = SubOrder.objects.filter(order=order).exclude(status=SS.CANCELLED)
        lines = list(OrderLine.objects.filter(suborder__in=active))
        active.update(paid_at=now, updated_at=now)
        stock.record_sold(quantities=sum_by_product(lines))
        record_audit(
            actor=by,
            action=AuditLog.Action.PAYMENT_APPROVED,
            target=order,
            before={"status": OS.AWAITING_VERIFICATION},
            after={"status": OS.PAID, "amount": amount_due(order)},
        )
        emails.notify_after_commit(emails.send_payment_decision, order.pk)
    return order


def approve_qris_payment(*, order: Order, by, now: datetime | None = None) -> Order:
    """Approve a QRIS order seen paid in the merchant app, before the shopper said so.

    The same queue and the same approval as a claim: an empty claim is written
    for the koordinator, then approved, in one transaction.
    """
    if not get_payment_method(order.payment_method).proof_optional:
        raise OrderError(_("Hanya pesanan QRIS yang bisa disetujui tanpa bukti."))
    now = now or timezone.now()
    with transaction.atomic():
        order = lock_order(order.pk)
        if order.status != OS.AWAITING_PAYMENT:
            raise IllegalTransitionError(
                _("Pesanan %(code)s tidak menunggu pembayaran lagi (%(status)s).")
                % {"code": order.code, "status": OS(order.status).label}
            )
        proof = submit_payment_proof(
            order=order,
            file=None,
            kind="",
            by=by,
            note=_("Koordinator melihat pembayaran QRIS masuk."),
            now=now,
        )
        return approve_payment(proof_id=proof.pk, by=by, now=now)


def reject_payment(
    *, proof_id: int, by, reason: str, now: datetime | None = None
) -> Order:
    """Reject a proof with a reason the shopper sees; they may upload again.

    The shopper gets a fresh payment window so a rejection near the deadline
    does not expire the order before they can answer.
    """
    reason = (reason or "").strip()
    if not reason:
        raise OrderError(_("Tuliskan alasan penolakan."))
    now = now or timezone.now()
    with transaction.atomic():
        order, proof = _lock_pending_proof(proof_id)
        proof.status = PaymentProof.Status.REJECTED
        proof.reviewed_by, proof.reviewed_at, proof.reason = by, now, reason[:300]
        proof.save(
            update_fields=[
                "status",
                "reviewed_by",
                "reviewed_at",
                "reason",
                "updated_at",
            ]
        )
        window = now + timedelta(hours=settings.PASAR_ORDER_EXPIRY_HOURS)
        order.expires_at = max(order.expires_at or window, window)
        set_order_status(
            order,
            OS.AWAITING_PAYMENT,
            by=by,
            note=reason,
            fields=["expires_at"],
            now=now,
        )
        record_audit(
            actor=by,
            action=AuditLog.Action.PAYMENT_REJECTED,
            target=order,
            before={"status": OS.AWAITING_VERIFICATION},
            after={"status": OS.AWAITING_PAYMENT},
            note=reason,
        )
        emails.notify_after_commit(emails.send_payment_decision, order.pk)
    return order


def mark_suborder_paid(
    *, suborder: SubOrder, by, now: datetime | None = None
) -> SubOrder:
    """Record cash received by the POSDAYA on handover (bayar di tempat)."""
    now = now or timezone.now()
    with transaction.atomic():
        order, suborder = lock_suborder(suborder.pk)
        check_mark_paid(order=order, suborder=suborder)
        suborder.paid_at = now
        suborder.save(update_fields=["paid_at", "updated_at"])
        record_suborder_note(
            suborder, by=by, note=_("Pembayaran tunai diterima."), now=now
        )
        stock.record_sold(quantities=sum_by_product(suborder.lines.all()))
        sync_order(order, by=by, now=now)
    return suborder
