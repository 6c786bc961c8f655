"""Fulfilling: a POSDAYA processes, ships or hands over, completes or cancels
its part; the koordinator refunds a completed part."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog import stock

from .. import emails
from ..models import UNSENT_STATUSES, Order, SubOrder
from . import savings_payment, settlement
from .errors import OrderError
from .state import (
    lock_suborder,
    set_suborder_status,
    sum_by_product,
    sum_by_variant,
    sync_order,
    user_or_none,
)
from .transitions import REFUND_TRANSITIONS, SUBORDER_TRANSITIONS, check_refund

SS = SubOrder.Status


def advance_suborder(
    *,
    suborder: SubOrder,
    to_status: str,
    by,
    courier: str = "",
    tracking_number: str = "",
    note: str = "",
    now: datetime | None = None,
) -> SubOrder:
    """Move a sub-order forward (diproses, dikirim / siap diambil, selesai)."""
    if to_status == SS.CANCELLED:
        return cancel_suborder(suborder=suborder, by=by, reason=note, now=now)
    now = now or timezone.now()
    with transaction.atomic():
        order, suborder = lock_suborder(suborder.pk)
        fields = []
        if to_status == SS.SHIPPED:
            suborder.courier = courier.strip()[:60]
            suborder.tracking_number = tracking_number.strip()[:60]
            fields = ["courier", "tracking_number"]
        set_suborder_status(
            order, suborder, to_status, by=by, note=note, fields=fields, now=now
        )
        if to_status in (SS.SHIPPED, SS.READY) and suborder.promised_date:
            # The made-to-order units are made: they leave the open count
            # (a promised date means a line has some).
            stock.record_made(**_made_to_order(suborder.lines.all()))
        if to_status == SS.COMPLETED:
            settlement.credit_suborder(suborder=suborder, by=by, now=now)
        sync_order(order, by=by, now=now)
        if to_status in (SS.SHIPPED, SS.READY, SS.COMPLETED):
            emails.notify_after_commit(emails.send_suborder_update, suborder.pk)
    return suborder


def cancel_suborder(
    *, suborder: SubOrder, by, reason: str, now: datetime | None = None
) -> SubOrder:
    """Cancel one POSDAYA's part with a reason; its stock goes back on sale."""
    reason = (reason or "").strip()
    if not reason:
        raise OrderError(_("Tuliskan alasan pembatalan."))
    now = now or timezone.now()
    with transaction.atomic():
        order, suborder = lock_suborder(suborder.pk)
        cancel_locked(order, suborder, by=by, reason=reason, now=now)
        sync_order(order, by=by, now=now)
    return suborder


def refund_suborder(
    *, suborder: SubOrder, by, reason: str, now: datetime | None = None
) -> SubOrder:
    """Refund a completed sub-order: stock back, settlement credit reversed."""
    reason = (reason or "").strip()
    if not reason:
        raise OrderError(_("Tuliskan alasan pengembalian dana."))
    now = now or timezone.now()
    with transaction.atomic():
        order, suborder = lock_suborder(suborder.pk)
        check_refund(suborder=suborder)
        cancel_locked(
            order,
            suborder,
            by=by,
            reason=reason,
            transitions=REFUND_TRANSITIONS,
            now=now,
        )
        settlement.reverse_suborder_credit(
            suborder=suborder, by=by, reason=reason, now=now
        )
        sync_order(order, by=by, now=now)
    return suborder


def cancel_locked(
    order: Order,
    suborder: SubOrder,
    *,
    by,
    reason: str,
    transitions=SUBORDER_TRANSITIONS,
    now: datetime | None = None,
) -> None:
    """Cancel a locked sub-order and give its stock back, exactly once.

    The state change comes first: of two callers racing on the same
    sub-order, the second is refused by the guard under the row lock and never
    reaches the release.
    """
    was_paid = suborder.paid_at is not None
    # Before shipping (or pickup) its made-to-order units are not made yet:
    # only the ready units go back to stock, the rest leave the open count.
    # Later (ready for pickup, or a refund) every unit exists and goes back.
    not_made = suborder.status in UNSENT_STATUSES
    suborder.cancel_reason = reason[:300]
    set_suborder_status(
        order,
        suborder,
        SS.CANCELLED,
        by=by,
        note=reason,
        fields=["cancel_reason"],
        transitions=transitions,
        now=now,
    )
    lines = list(suborder.lines.all())
    quantities = sum_by_product(lines)
    if not_made:
        stock.release(
            quantities=sum_by_product(lines, ready_only=True),
            variants=sum_by_variant(lines, ready_only=True),
            **_made_to_order(lines),
            reason=f"{order.code}: {reason}",
            by=user_or_none(by),
            now=now,
        )
    else:
        stock.release(
            quantities=quantities,
            variants=sum_by_variant(lines),
            reason=f"{order.code}: {reason}",
            by=user_or_none(by),
            now=now,
        )
    if was_paid:
        stock.reverse_sold(quantities=quantities)
    savings_payment.return_savings_excess(order=order, by=by, reason=reason)


def _made_to_order(lines) -> dict[str, dict[int, int]]:
    """The lines' made-to-order units: per product (lines without a variant)
    and per variant, as `stock.release` and `stock.record_made` take them."""
    products: dict[int, int] = {}
    variants: dict[int, int] = {}
    for line in lines:
        if not line.made_to_order_quantity:
            continue
        if line.variant_id is None:
            target, key = products, line.product_id
        else:
            target, key = variants, line.variant_id
        target[key] = target.get(key, 0) + line.made_to_order_quantity
    return {"made_to_order": products, "made_to_order_variants": variants}
