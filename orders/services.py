"""Order workflows: placing, paying, fulfilling, cancelling and expiring orders.

Locking rules, so that two requests never deadlock and stock is never oversold:

- stock moves only through `catalog.stock` (conditional UPDATEs with F(), in
  product-pk order); a release is guarded by the sub-order's state change
  made here first, so each reservation is returned at most once;
- a state change locks the order row first, then its sub-order rows in pk
  order (`select_for_update`), re-reads the state and checks the transition
  table; every change writes an event row.
"""

import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog import errors as catalog_errors
from catalog import stock
from catalog.models import Product
from pasar.audit import record_audit
from pasar.errors import DomainError
from pasar.models import AuditLog
from pasar.pagecache import invalidates_public_pages

from . import emails, settlement
from .models import (
    DeliveryMethod,
    DeliveryZone,
    Order,
    OrderEvent,
    OrderLine,
    PaymentProof,
    SubOrder,
    SubOrderEvent,
)
from .payments import REGISTRY, get_payment_method

# No 0/O, 1/I/L: a code read aloud over WhatsApp cannot be misheard.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_ATTEMPTS = 10

OS = Order.Status
SS = SubOrder.Status

ORDER_TRANSITIONS: dict[str, set[str]] = {
    OS.AWAITING_PAYMENT: {OS.AWAITING_VERIFICATION, OS.PAID, OS.EXPIRED, OS.CANCELLED},
    OS.AWAITING_VERIFICATION: {OS.AWAITING_PAYMENT, OS.PAID, OS.CANCELLED},
    OS.PAID: {OS.COMPLETED, OS.CANCELLED},
    # A completed order is cancelled only when every part of it was refunded.
    OS.COMPLETED: {OS.CANCELLED},
    OS.CANCELLED: set(),
    OS.EXPIRED: set(),
}

SUBORDER_TRANSITIONS: dict[str, set[str]] = {
    SS.NEW: {SS.PROCESSING, SS.CANCELLED},
    SS.PROCESSING: {SS.SHIPPED, SS.READY, SS.CANCELLED},
    # Goods on the road are not cancelled here: they come back first.
    SS.SHIPPED: {SS.COMPLETED},
    SS.READY: {SS.COMPLETED, SS.CANCELLED},
    SS.COMPLETED: set(),
    SS.CANCELLED: set(),
}


class OrderError(DomainError):
    """A refused order action; `str(error)` is the message for the user."""


class OutOfStockError(OrderError):
    pass


class PriceChangedError(OrderError):
    pass


class IllegalTransitionError(OrderError):
    pass


class _DuplicateCheckout(Exception):
    """Internal: another request already placed an order for this token."""


# What a refused reservation means for the order (same message).
_RESERVATION_ERRORS = {
    catalog_errors.NotForSaleError: OrderError,
    catalog_errors.PriceChangedError: PriceChangedError,
    catalog_errors.OutOfStockError: OutOfStockError,
}


@dataclass(frozen=True)
class PlacedOrder:
    order: Order
    created: bool


# --- helpers -----------------------------------------------------------------


def generate_order_code(now: datetime | None = None) -> str:
    """Return a code like `PB-2611-7KQ3`: year and month, four random symbols."""
    local = timezone.localtime(now or timezone.now())
    suffix = "".join(secrets.choice(CODE_ALPHABET) for _ in range(4))
    return f"PB-{local:%y%m}-{suffix}"


def _set_order_status(order: Order, to: str, *, by, note: str = "", fields=()):
    if to not in ORDER_TRANSITIONS[order.status]:
        raise IllegalTransitionError(
            _("Status pesanan tidak bisa diubah dari %(old)s ke %(new)s.")
            % {"old": OS(order.status).label, "new": OS(to).label}
        )
    old = order.status
    order.status = to
    order.save(update_fields=["status", "updated_at", *fields])
    OrderEvent.objects.create(
        order=order, from_status=old, to_status=to, note=note[:300], by=_user(by)
    )


def _set_suborder_status(
    suborder: SubOrder, to: str, *, by, note="", fields=(), transitions=None
):
    if to not in (transitions or SUBORDER_TRANSITIONS)[suborder.status]:
        raise IllegalTransitionError(
            _("Status pesanan POSDAYA tidak bisa diubah dari %(old)s ke %(new)s.")
            % {"old": SS(suborder.status).label, "new": SS(to).label}
        )
    old = suborder.status
    suborder.status = to
    suborder.save(update_fields=["status", "updated_at", *fields])
    SubOrderEvent.objects.create(
        suborder=suborder, from_status=old, to_status=to, note=note[:300], by=_user(by)
    )


def _user(user):
    return user if user is not None and user.is_authenticated else None


def _lock_order(order_id: int) -> Order:
    return Order.objects.select_for_update().get(pk=order_id)


def _lock_suborder(suborder_id: int) -> tuple[Order, SubOrder]:
    """Lock the order, then the sub-order: always in this order."""
    order_id = SubOrder.objects.values_list("order_id", flat=True).get(pk=suborder_id)
    order = _lock_order(order_id)
    suborder = SubOrder.objects.select_for_update().get(pk=suborder_id)
    return order, suborder


def _sum_by_product(lines) -> dict[int, int]:
    totals: dict[int, int] = defaultdict(int)
    for line in lines:
        totals[line.product_id] += line.quantity
    return dict(sorted(totals.items()))


def _release_stock(lines, *, by, reason: str) -> None:
    """Return reserved units to stock (the caller changed the state first)."""
    stock.release(quantities=_sum_by_product(lines), reason=reason, by=_user(by))


def _change_sold_count(lines, *, sign: int) -> None:
    quantities = _sum_by_product(lines)
    if sign > 0:
        stock.record_sold(quantities=quantities)
    else:
        stock.reverse_sold(quantities=quantities)


def _sync_order(order: Order, *, by) -> None:
    """Derive the order's state from its sub-orders (order row already locked)."""
    suborders = list(order.suborders.order_by("pk"))
    active = [s for s in suborders if s.status != SS.CANCELLED]
    now = timezone.now()
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
            _set_order_status(
                order, OS.CANCELLED, by=by, note=_("Semua pesanan POSDAYA dibatalkan.")
            )
        return
    method = get_payment_method(order.payment_method)
    if (
        order.status == OS.AWAITING_PAYMENT
        and not method.prepaid
        and all(s.paid_at for s in active)
    ):
        order.paid_at = now
        _set_order_status(
            order,
            OS.PAID,
            by=by,
            note=_("Semua POSDAYA menerima pembayaran tunai."),
            fields=["paid_at"],
        )
    if order.status == OS.PAID and all(s.status == SS.COMPLETED for s in active):
        _set_order_status(order, OS.COMPLETED, by=by)


def amount_due(order: Order) -> int:
    """Return what the shopper pays: the totals of the sub-orders still active."""
    return sum(s.total for s in order.suborders.all() if s.status != SS.CANCELLED)


# --- placing -----------------------------------------------------------------


@invalidates_public_pages
def place_order(
    *,
    quantities: dict[int, int],
    customer,
    name: str,
    phone: str,
    email: str = "",
    delivery_method: str,
    address: str = "",
    zone: DeliveryZone | None = None,
    payment_method: str,
    checkout_token: str,
    expected_total: int | None = None,
    note: str = "",
) -> PlacedOrder:
    """Place an order from cart quantities, reserving stock, all or nothing.

    The checkout token makes this idempotent: a second call with the same token
    (double click, reload, second tab) returns the first order, also when both
    run at once (the unique index on the token decides). Raises OrderError
    subclasses with a message naming the product when a line cannot be bought.
    """
    existing = Order.objects.filter(checkout_token=checkout_token).first()
    if existing is not None:
        return PlacedOrder(existing, created=False)
    quantities = {int(pk): int(q) for pk, q in quantities.items() if int(q) > 0}
    if not quantities:
        raise OrderError(_("Keranjang Anda kosong."))
    method = REGISTRY.get(payment_method)
    if method is None:
        raise OrderError(_("Pilih cara pembayaran."))
    if not method.supports(delivery_method):
        raise OrderError(
            _("%(payment)s tidak tersedia untuk %(delivery)s.")
            % {
                "payment": method.label,
                "delivery": DeliveryMethod(delivery_method).label,
            }
        )
    if delivery_method == DeliveryMethod.PICKUP:
        zone, address = None, ""
    elif zone is None or not zone.is_active or not zone.applies_to(delivery_method):
        raise OrderError(_("Pilih zona pengiriman yang tersedia."))
    try:
        with transaction.atomic():
            order = _create_order(
                quantities=quantities,
                customer=customer,
                name=name,
                phone=phone,
                email=email,
                delivery_method=delivery_method,
                address=address,
                zone=zone,
                method=method,
                checkout_token=checkout_token,
                expected_total=expected_total,
                note=note,
            )
    except _DuplicateCheckout:
        return PlacedOrder(Order.objects.get(checkout_token=checkout_token), False)
    return PlacedOrder(order, created=True)


def _create_order(
    *,
    quantities,
    customer,
    name,
    phone,
    email,
    delivery_method,
    address,
    zone,
    method,
    checkout_token,
    expected_total,
    note,
) -> Order:
    products = list(
        Product.objects.filter(pk__in=list(quantities))
        .annotate(is_public=Exists(Product.objects.public().filter(pk=OuterRef("pk"))))
        .select_related("posdaya")
        .order_by("pk")
    )
    if len(products) != len(quantities):
        raise OrderError(_("Sebagian produk di keranjang sudah tidak tersedia."))
    for product in products:
        if not product.is_public:
            raise OrderError(
                _("%(product)s sudah tidak dijual. Hapus dari keranjang.")
                % {"product": product.name}
            )
    fee = 0 if zone is None else zone.fee
    by_posdaya: dict[int, list[Product]] = defaultdict(list)
    for product in products:
        by_posdaya[product.posdaya_id].append(product)
    items_total = sum(p.price * quantities[p.pk] for p in products)
    delivery_total = fee * len(by_posdaya)
    if expected_total is not None and expected_total != items_total + delivery_total:
        raise PriceChangedError(
            _("Harga atau ongkir berubah sejak halaman dibuka. Periksa ringkasan lagi.")
        )
    now = timezone.now()
    order = _insert_order(
        checkout_token=checkout_token,
        now=now,
        fields={
            "secret": secrets.token_urlsafe(24),
            "customer": _user(customer),
            "name": name,
            "phone": phone,
            "email": email,
            "delivery_method": delivery_method,
            "address": address,
            "zone": zone,
            "payment_method": method.code,
            "items_total": items_total,
            "delivery_total": delivery_total,
            "total": items_total + delivery_total,
            "note": note,
            "expires_at": (
                now + timedelta(hours=settings.PASAR_ORDER_EXPIRY_HOURS)
                if method.expires
                else None
            ),
        },
    )
    # The prices read above are pinned in the reservation's condition.
    try:
        stock.reserve(
            quantities={p: quantities[p.pk] for p in products},
            reason=order.code,
            by=_user(customer),
        )
    except catalog_errors.ReservationError as error:
        raise _RESERVATION_ERRORS[type(error)](error.message) from error
    suborders = SubOrder.objects.bulk_create(
        SubOrder(
            order=order,
            posdaya_id=posdaya_id,
            items_total=sum(p.price * quantities[p.pk] for p in group),
            delivery_fee=fee,
            total=sum(p.price * quantities[p.pk] for p in group) + fee,
        )
        for posdaya_id, group in by_posdaya.items()
    )
    suborder_of = {s.posdaya_id: s for s in suborders}
    OrderLine.objects.bulk_create(
        OrderLine(
            suborder=suborder_of[p.posdaya_id],
            product=p,
            product_name=p.name,
            unit_price=p.price,
            quantity=quantities[p.pk],
            line_total=p.price * quantities[p.pk],
        )
        for p in products
    )
    OrderEvent.objects.create(
        order=order, from_status="", to_status=order.status, by=_user(customer)
    )
    SubOrderEvent.objects.bulk_create(
        SubOrderEvent(
            suborder=s, from_status="", to_status=s.status, by=_user(customer)
        )
        for s in suborders
    )
    emails.notify_after_commit(emails.send_order_placed, order.pk)
    return order


def _insert_order(*, checkout_token: str, now, fields: dict) -> Order:
    """Insert the order row first: a concurrent duplicate waits on the token."""
    for _attempt in range(CODE_ATTEMPTS):
        try:
            with transaction.atomic():
                return Order.objects.create(
                    code=generate_order_code(now),
                    checkout_token=checkout_token,
                    **fields,
                )
        except IntegrityError:
            if Order.objects.filter(checkout_token=checkout_token).exists():
                raise _DuplicateCheckout from None
            # Otherwise the random code collided: draw another.
    raise OrderError(_("Pesanan gagal dibuat. Silakan coba lagi."))


# --- payment -----------------------------------------------------------------


def submit_payment_proof(*, order: Order, file, kind: str, by=None) -> PaymentProof:
    """Attach a proof of transfer and put the order in the koordinator's queue."""
    with transaction.atomic():
        order = _lock_order(order.pk)
        if not get_payment_method(order.payment_method).needs_proof:
            raise OrderError(_("Pesanan ini dibayar di tempat, tanpa bukti transfer."))
        if order.status != OS.AWAITING_PAYMENT:
            raise IllegalTransitionError(
                _("Bukti transfer tidak bisa diunggah: status pesanan %(status)s.")
                % {"status": OS(order.status).label}
            )
        if order.expires_at and order.expires_at <= timezone.now():
            raise OrderError(_("Batas waktu pembayaran pesanan ini sudah lewat."))
        proof = PaymentProof.objects.create(order=order, file=file, kind=kind)
        _set_order_status(
            order, OS.AWAITING_VERIFICATION, by=by, note=_("Bukti transfer diunggah.")
        )
    return proof


def _lock_pending_proof(proof_id: int) -> tuple[Order, PaymentProof]:
    order_id = PaymentProof.objects.values_list("order_id", flat=True).get(pk=proof_id)
    order = _lock_order(order_id)
    proof = PaymentProof.objects.select_for_update().get(pk=proof_id)
    if (
        proof.status != PaymentProof.Status.PENDING
        or order.status != OS.AWAITING_VERIFICATION
    ):
        raise IllegalTransitionError(_("Bukti transfer ini sudah diperiksa."))
    return order, proof


@invalidates_public_pages
def approve_payment(*, proof_id: int, by) -> Order:
    """Approve a proof of transfer: the order and its active sub-orders are paid."""
    with transaction.atomic():
        order, proof = _lock_pending_proof(proof_id)
        now = timezone.now()
        proof.status = PaymentProof.Status.APPROVED
        proof.reviewed_by, proof.reviewed_at = by, now
        proof.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
        order.paid_at = now
        _set_order_status(
            order,
            OS.PAID,
            by=by,
            note=_("Pembayaran diverifikasi."),
            fields=["paid_at"],
        )
        active = SubOrder.objects.filter(order=order).exclude(status=SS.CANCELLED)
        lines = list(OrderLine.objects.filter(suborder__in=active))
        active.update(paid_at=now, updated_at=now)
        _change_sold_count(lines, sign=+1)
        record_audit(
            actor=by,
            action=AuditLog.Action.PAYMENT_APPROVED,
            target=order,
            before={"status": OS.AWAITING_VERIFICATION},
            after={"status": OS.PAID, "amount": amount_due(order)},
        )
        emails.notify_after_commit(emails.send_payment_decision, order.pk)
    return order


def reject_payment(*, proof_id: int, by, reason: str) -> Order:
    """Reject a proof with a reason the shopper sees; they may upload again.

    The shopper gets a fresh payment window so a rejection near the deadline
    does not expire the order before they can answer.
    """
    reason = (reason or "").strip()
    if not reason:
        raise OrderError(_("Tuliskan alasan penolakan."))
    with transaction.atomic():
        order, proof = _lock_pending_proof(proof_id)
        now = timezone.now()
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
        _set_order_status(
            order, OS.AWAITING_PAYMENT, by=by, note=reason, fields=["expires_at"]
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


@invalidates_public_pages
def mark_suborder_paid(*, suborder: SubOrder, by) -> SubOrder:
    """Record cash received by the POSDAYA on handover (bayar di tempat)."""
    with transaction.atomic():
        order, suborder = _lock_suborder(suborder.pk)
        if get_payment_method(order.payment_method).prepaid:
            raise OrderError(
                _("Pesanan ini dibayar lewat transfer; koordinator yang memverifikasi.")
            )
        if suborder.paid_at:
            raise IllegalTransitionError(_("Pembayaran ini sudah dicatat."))
        if suborder.status == SS.CANCELLED or order.status != OS.AWAITING_PAYMENT:
            raise IllegalTransitionError(
                _("Pembayaran tidak bisa dicatat untuk pesanan berstatus %(status)s.")
                % {"status": OS(order.status).label}
            )
        suborder.paid_at = timezone.now()
        suborder.save(update_fields=["paid_at", "updated_at"])
        SubOrderEvent.objects.create(
            suborder=suborder,
            from_status=suborder.status,
            to_status=suborder.status,
            note=_("Pembayaran tunai diterima."),
            by=_user(by),
        )
        _change_sold_count(suborder.lines.all(), sign=+1)
        _sync_order(order, by=by)
    return suborder


# --- fulfilment --------------------------------------------------------------


def advance_suborder(
    *,
    suborder: SubOrder,
    to_status: str,
    by,
    courier: str = "",
    tracking_number: str = "",
    note: str = "",
) -> SubOrder:
    """Move a sub-order forward (diproses, dikirim / siap diambil, selesai)."""
    if to_status == SS.CANCELLED:
        return cancel_suborder(suborder=suborder, by=by, reason=note)
    with transaction.atomic():
        order, suborder = _lock_suborder(suborder.pk)
        method = get_payment_method(order.payment_method)
        if to_status not in SUBORDER_TRANSITIONS.get(suborder.status, set()):
            raise IllegalTransitionError(
                _("Status pesanan POSDAYA tidak bisa diubah dari %(old)s ke %(new)s.")
                % {
                    "old": SS(suborder.status).label,
                    "new": SS(to_status).label if to_status in SS.values else "?",
                }
            )
        if to_status == SS.PROCESSING and method.prepaid and not suborder.paid_at:
            raise OrderError(
                _("Tunggu sampai pembayaran diverifikasi sebelum memproses pesanan.")
            )
        pickup = order.delivery_method == DeliveryMethod.PICKUP
        if to_status == SS.SHIPPED and pickup:
            raise IllegalTransitionError(
                _("Pesanan ambil sendiri tidak dikirim: tandai siap diambil.")
            )
        if to_status == SS.READY and not pickup:
            raise IllegalTransitionError(
                _("Pesanan ini dikirim, bukan diambil: tandai dikirim.")
            )
        if to_status == SS.COMPLETED and not suborder.paid_at:
            raise OrderError(_("Catat pembayaran tunai dulu sebelum menyelesaikan."))
        fields = []
        if to_status == SS.SHIPPED:
            suborder.courier = courier.strip()[:60]
            suborder.tracking_number = tracking_number.strip()[:60]
            fields = ["courier", "tracking_number"]
        _set_suborder_status(suborder, to_status, by=by, note=note, fields=fields)
        if to_status == SS.COMPLETED:
            settlement.credit_suborder(suborder=suborder, by=by)
        _sync_order(order, by=by)
        if to_status in (SS.SHIPPED, SS.READY):
            emails.notify_after_commit(emails.send_suborder_update, suborder.pk)
    return suborder


@invalidates_public_pages
def cancel_suborder(*, suborder: SubOrder, by, reason: str) -> SubOrder:
    """Cancel one POSDAYA's part with a reason; its stock goes back on sale."""
    reason = (reason or "").strip()
    if not reason:
        raise OrderError(_("Tuliskan alasan pembatalan."))
    with transaction.atomic():
        order, suborder = _lock_suborder(suborder.pk)
        _cancel_locked(order, suborder, by=by, reason=reason)
        _sync_order(order, by=by)
    return suborder


# A completed sub-order can still be refunded by the koordinator (goods returned,
# money given back); its settlement credit is then reversed.
REFUND_TRANSITIONS = {**SUBORDER_TRANSITIONS, SS.COMPLETED: {SS.CANCELLED}}


@invalidates_public_pages
def refund_suborder(*, suborder: SubOrder, by, reason: str) -> SubOrder:
    """Refund a completed sub-order: stock back, settlement credit reversed."""
    reason = (reason or "").strip()
    if not reason:
        raise OrderError(_("Tuliskan alasan pengembalian dana."))
    with transaction.atomic():
        order, suborder = _lock_suborder(suborder.pk)
        if suborder.status != SS.COMPLETED:
            raise IllegalTransitionError(
                _("Hanya pesanan POSDAYA yang sudah selesai yang dapat diretur.")
            )
        _cancel_locked(
            order, suborder, by=by, reason=reason, transitions=REFUND_TRANSITIONS
        )
        settlement.reverse_suborder_credit(suborder=suborder, by=by, reason=reason)
        _sync_order(order, by=by)
    return suborder


def _cancel_locked(
    order: Order, suborder: SubOrder, *, by, reason: str, transitions=None
) -> None:
    was_paid = suborder.paid_at is not None
    suborder.cancel_reason = reason[:300]
    _set_suborder_status(
        suborder,
        SS.CANCELLED,
        by=by,
        note=reason,
        fields=["cancel_reason"],
        transitions=transitions,
    )
    lines = list(suborder.lines.all())
    _release_stock(lines, by=by, reason=f"{order.code}: {reason}")
    if was_paid:
        _change_sold_count(lines, sign=-1)


# --- expiry ------------------------------------------------------------------


@invalidates_public_pages
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
            _cancel_locked(order, suborder, by=None, reason=reason)
        _set_order_status(order, OS.EXPIRED, by=None, note=reason)
    return True


@invalidates_public_pages
def expire_due_orders(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Expire every due order (one transaction each); return how many expired."""
    now = now or timezone.now()
    due = list(
        Order.objects.filter(status=OS.AWAITING_PAYMENT, expires_at__lte=now)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(expire_order_if_due(order_id=pk, now=now) for pk in due)


def allowed_suborder_actions(*, order: Order, suborder: SubOrder) -> list[str]:
    """Return the states the POSDAYA may move this sub-order to now (for buttons).

    The service re-checks everything under lock; this only hides dead buttons.
    """
    method = get_payment_method(order.payment_method)
    pickup = order.delivery_method == DeliveryMethod.PICKUP
    allowed = []
    for to in SUBORDER_TRANSITIONS[suborder.status]:
        if to == SS.PROCESSING and method.prepaid and not suborder.paid_at:
            continue
        if (to == SS.SHIPPED and pickup) or (to == SS.READY and not pickup):
            continue
        if to == SS.COMPLETED and not suborder.paid_at:
            continue
        allowed.append(to)
    order_of = list(SS.values)
    return sorted(allowed, key=order_of.index)


def can_mark_paid(*, order: Order, suborder: SubOrder) -> bool:
    """Tell whether the POSDAYA may record cash for this sub-order now."""
    return (
        not get_payment_method(order.payment_method).prepaid
        and order.status == OS.AWAITING_PAYMENT
        and suborder.status != SS.CANCELLED
        and suborder.paid_at is None
    )
