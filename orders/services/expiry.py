"""Expiry: unpaid orders past their deadline give their stock back.

A transfer order expires when it is not paid within PASAR_ORDER_EXPIRY_HOURS.
A cash order (bayar di tempat) is paid on handover, so its deadline is the
POSDAYA's confirmation: each part no POSDAYA has taken up (still "baru", no
cash recorded) within PASAR_COD_CONFIRM_HOURS is cancelled and its stock
released; when no part was taken up, the whole order expires.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Order, SubOrder
from ..payments import PaymentMethod, get_payment_method
from .fulfilment import cancel_locked
from .state import set_order_status, sync_order

OS = Order.Status
SS = SubOrder.Status


def deadline_for(method: PaymentMethod, now: datetime) -> datetime | None:
    """Return when an order placed `now` with `method` expires (None: never)."""
    if method.expires:
        return now + timedelta(hours=settings.PASAR_ORDER_EXPIRY_HOURS)
    if not method.prepaid and settings.PASAR_COD_CONFIRM_HOURS > 0:
        return now + timedelta(hours=settings.PASAR_COD_CONFIRM_HOURS)
    return None


def expire_order_if_due(*, order_id: int, now: datetime | None = None) -> bool:
    """Expire one unpaid order past its deadline and release its stock.

    Return whether any stock went back. Safe to race: the order row is locked
    with SKIP LOCKED and its state re-checked, so of two concurrent callers
    exactly one releases the stock.
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
        suborders = list(
            SubOrder.objects.select_for_update()
            .filter(order=order)
            .exclude(status=SS.CANCELLED)
            .order_by("pk")
        )
        if get_payment_method(order.payment_method).prepaid:
            reason = _("Pesanan kedaluwarsa: belum dibayar sampai batas waktu.")
            due = suborders
        else:
            reason = _(
                "Pesanan kedaluwarsa: POSDAYA belum mengonfirmasi sampai batas waktu."
            )
            due = [s for s in suborders if s.status == SS.NEW and not s.paid_at]
        for suborder in due:
            cancel_locked(order, suborder, by=None, reason=reason, now=now)
        if len(due) == len(suborders):
            set_order_status(order, OS.EXPIRED, by=None, note=reason, now=now)
        else:
            # Some POSDAYA took their part up: the rest of the order goes on.
            order.expires_at = None
            order.save(update_fields=["expires_at", "updated_at"])
            sync_order(order, by=None, now=now)
    return bool(due)


def expire_due_orders(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Expire every due order (one transaction each); return how many expired."""
    now = now or timezone.now()
    due = list(
        Order.objects.filter(status=OS.AWAITING_PAYMENT, expires_at__lte=now)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(expire_order_if_due(order_id=pk, now=now) for pk in due)
