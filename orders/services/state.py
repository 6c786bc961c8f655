"""The one writer of order state: status changes, their event rows, the locks.

A state change locks the order row first, then its sub-order rows in pk order
(`select_for_update`), re-reads the state, asks the guard of
`transitions` and writes an event row with every change. Only this module
writes `Order.status`, `SubOrder.status` and the event rows.
"""

from collections import defaultdict
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Order, OrderEvent, PaymentProof, SubOrder, SubOrderEvent
from ..payments import get_payment_method
from .transitions import (
    SUBORDER_TRANSITIONS,
    check_order_transition,
    check_suborder_transition,
)

OS = Order.Status
SS = SubOrder.Status


def user_or_none(user):
    """Return the signed-in user, or None for an anonymous visitor or a job."""
    return user if user is not None and user.is_authenticated else None


def lock_order(order_id: int) -> Order:
    return Order.objects.select_for_update().get(pk=order_id)


def lock_suborder(suborder_id: int) -> tuple[Order, SubOrder]:
    """Lock the order, then the sub-order: always in this order."""
    order_id = SubOrder.objects.values_list("order_id", flat=True).get(pk=suborder_id)
    order = lock_order(order_id)
    suborder = SubOrder.objects.select_for_update().get(pk=suborder_id)
    return order, suborder


def record_placed(
    *, order: Order, suborders: list[SubOrder], by, now: datetime
) -> None:
    """Write the first event of a new order and of each of its sub-orders."""
    by = user_or_none(by)
    OrderEvent.objects.create(
        order=order, from_status="", to_status=order.status, by=by, created_at=now
    )
    SubOrderEvent.objects.bulk_create(
        SubOrderEvent(
            suborder=s, from_status="", to_status=s.status, by=by, created_at=now
        )
        for s in suborders
    )


def set_order_status(
    order: Order,
    to: str,
    *,
    by,
    note: str = "",
    fields=(),
    now: datetime | None = None,
):
    """Move a locked order to `to`, with its event row (stamped `now`)."""
    check_order_transition(order=order, to_status=to)
    old = order.status
    order.status = to
    order.save(update_fields=["status", "updated_at", *fields])
    OrderEvent.objects.create(
        order=order,
        from_status=old,
        to_status=to,
        note=note[:300],
        by=user_or_none(by),
        created_at=now or timezone.now(),
    )


def set_suborder_status(
    order: Order,
    suborder: SubOrder,
    to: str,
    *,
    by,
    note="",
    fields=(),
    transitions=SUBORDER_TRANSITIONS,
    now: datetime | None = None,
):
    """Move a locked sub-order to `to` if its guard allows, with its event row."""
    check_suborder_transition(
        order=order, suborder=suborder, to_status=to, transitions=transitions
    )
    old = suborder.status
    suborder.status = to
    suborder.save(update_fields=["status", "updated_at", *fields])
    SubOrderEvent.objects.create(
        suborder=suborder,
        from_status=old,
        to_status=to,
        note=note[:300],
        by=user_or_none(by),
        created_at=now or timezone.now(),
    )


def record_suborder_note(
    suborder: SubOrder, *, by, note: str, now: datetime | None = None
) -> None:
    """Write an event that keeps the sub-order's state (e.g. cash received)."""
    SubOrderEvent.objects.create(
        suborder=suborder,
        from_status=suborder.status,
        to_status=suborder.status,
        note=note[:300],
        by=user_or_none(by),
        created_at=now or timezone.now(),
    )


def _units(line, ready_only: bool) -> int:
    return line.ready_quantity if ready_only else line.quantity


def sum_by_product(lines, *, ready_only: bool = False) -> dict[int, int]:
    """Return {product id: units} of order lines, in product-pk order
    (`ready_only`: the units that came off the shelf, not made to order)."""
    totals: dict[int, int] = defaultdict(int)
    for line in lines:
        totals[line.product_id] += _units(line, ready_only)
    return dict(sorted(totals.items()))


def sum_by_variant(lines, *, ready_only: bool = False) -> dict[int, int]:
    """Return {variant id: units} of the order lines that name a variant."""
    totals: dict[int, int] = defaultdict(int)
    for line in lines:
        if line.variant_id is not None:
            totals[line.variant_id] += _units(line, ready_only)
    return dict(sorted(totals.items()))


def sync_order(order: Order, *, by, now: datetime | None = None) -> None:
    """Derive the order's state from its sub-orders (order row already locked)."""
    suborders = list(order.suborders.order_by("pk"))
    active = [s for s in suborders if s.status != SS.CANCELLED]
    now = now or timezone.now()
    if not active:
        if order.status in (
            OS.AWAITING_PAYMENT,
            OS.AWAITING_VERIFICATION,
            OS.PAID,
            OS.COMPLETED,
        ):
            PaymentProof.objects.filter(
                order=order, status=PaymentProof.Status.PENDING
            ).update(
                status=PaymentProof.Status.REJECTED,
                reason=_("Pesanan dibatalkan."),
                reviewed_at=now,
            )
            set_order_status(
                order,
                OS.CANCELLED,
                by=by,
                note=_("Semua pesanan POSDAYA dibatalkan."),
                now=now,
            )
        return
    method = get_payment_method(order.payment_method)
    if (
        order.status == OS.AWAITING_PAYMENT
        and not method.prepaid
        and all(s.paid_at for s in active)
    ):
        order.paid_at = now
        set_order_status(
            order,
            OS.PAID,
            by=by,
            note=_("Semua POSDAYA menerima pembayaran tunai."),
            fields=["paid_at"],
            now=now,
        )
    if order.status == OS.PAID and all(s.status == SS.COMPLETED for s in active):
        set_order_status(order, OS.COMPLETED, by=by, now=now)


def amount_due(order: Order) -> int:
    """Return what the shopper pays: the active sub-orders, plus the kode unik,
    less what her savings book paid.

    The kode unik is due while any part of the order is.
    """
    active = [s.total for s in order.suborders.all() if s.status != SS.CANCELLED]
    due = sum(active) + (order.unique_code if active else 0)
    return max(due - order.savings_amount, 0)
