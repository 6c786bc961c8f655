"""Expiry: unpaid transfer orders past their deadline give their stock back."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Order, SubOrder
from .fulfilment import cancel_locked
from .state import set_order_status

OS = Order.Status
SS = SubOrder.Status


def expire_order_if_due(*, order_id: int, now: datetime | None = None) -> bool:
    """Expire one unpaid transfer order past its deadline and release its stock.

    Safe to race: the order row is locked with SKIP LOCKED and its state
    re-checked, so of two concurrent callers exactly one releases the stock.
    """
    now = now or timezone.now()
    with transaction.atomic():
        order = (
            Order.objects.select_for_update(skip_locked=True)
            .filter(pk=order_id, status=OS.AWAITING_PAYMENT, expires_at__lte=now)
            .first()
        )
        if order is None:
            return False
        reason = _("Pesanan kedaluwarsa: belum dibayar sampai batas waktu.")
        suborders = (
            SubOrder.objects.select_for_update()
            .filter(order=order)
            .exclude(status=SS.CANCELLED)
            .order_by("pk")
        )
        for suborder in suborders:
            cancel_locked(order, suborder, by=None, reason=reason, now=now)
        set_order_status(order, OS.EXPIRED, by=None, note=reason, now=now)
    return True


def expire_due_orders(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Expire every due order (one transaction each); return how many expired."""
    now = now or timezone.now()
    due = list(
        Order.objects.filter(status=OS.AWAITING_PAYMENT, expires_at__lte=now)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(expire_order_if_due(order_id=pk, now=now) for pk in due)
