"""Which state changes are allowed: the tables and the one guard of each action.

Nothing here writes. The services call the guards under their row locks
before they change anything; the pages call the same guards to decide which
buttons to show, so a button shown is a change the service accepts, and a
change the service accepts has its button.
"""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import DeliveryMethod, Order, PaymentProof, SubOrder
from ..payments import get_payment_method
from .errors import IllegalTransitionError, OrderError

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

# A completed sub-order can still be refunded by the koordinator (goods returned,
# money given back); its settlement credit is then reversed.
REFUND_TRANSITIONS = {**SUBORDER_TRANSITIONS, SS.COMPLETED: {SS.CANCELLED}}


def check_order_transition(*, order: Order, to_status: str) -> None:
    """Raise IllegalTransitionError unless the order may move to `to_status`."""
    if to_status not in ORDER_TRANSITIONS[order.status]:
        raise IllegalTransitionError(
            _("Status pesanan tidak bisa diubah dari %(old)s ke %(new)s.")
            % {"old": OS(order.status).label, "new": OS(to_status).label}
        )


def check_suborder_transition(
    *,
    order: Order,
    suborder: SubOrder,
    to_status: str,
    transitions: dict[str, set[str]] = SUBORDER_TRANSITIONS,
) -> None:
    """Raise an OrderError saying why `suborder` may not move to `to_status`.

    The one guard of every sub-order state change: the services call it
    (through `state.set_suborder_status`) and `allowed_suborder_actions`
    asks it for every state. `transitions` is the refund table for a refund.
    """
    if to_status not in transitions.get(suborder.status, set()):
        raise IllegalTransitionError(
            _("Status pesanan POSDAYA tidak bisa diubah dari %(old)s ke %(new)s.")
            % {
                "old": SS(suborder.status).label,
                "new": SS(to_status).label if to_status in SS.values else "?",
            }
        )
    method = get_payment_method(order.payment_method)
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


def allowed_suborder_actions(*, order: Order, suborder: SubOrder) -> list[str]:
    """Return the states the POSDAYA may move this sub-order to now (for buttons).

    Asks `check_suborder_transition` for every state, in the states' order.
    """
    allowed = []
    for to_status in SS.values:
        try:
            check_suborder_transition(
                order=order, suborder=suborder, to_status=to_status
            )
        except OrderError:
            continue
        allowed.append(to_status)
    return allowed


def check_mark_paid(*, order: Order, suborder: SubOrder) -> None:
    """Raise an OrderError unless the POSDAYA may record cash for `suborder` now."""
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


def can_mark_paid(*, order: Order, suborder: SubOrder) -> bool:
    """Tell whether the POSDAYA may record cash for this sub-order now."""
    try:
        check_mark_paid(order=order, suborder=suborder)
    except OrderError:
        return False
    return True


def check_refund(*, suborder: SubOrder) -> None:
    """Raise IllegalTransitionError unless `suborder` is completed (refundable)."""
    if suborder.status != SS.COMPLETED:
        raise IllegalTransitionError(
            _("Hanya pesanan POSDAYA yang sudah selesai yang dapat diretur.")
        )


def can_refund(*, suborder: SubOrder) -> bool:
    """Tell whether `suborder` may be refunded (the koordinator's button)."""
    try:
        check_refund(suborder=suborder)
    except OrderError:
        return False
    return True


def check_proof_upload(*, order: Order, now: datetime | None = None) -> None:
    """Raise an OrderError unless a proof of transfer may be uploaded now.

    The upload page asks before it reads the file; `submit_payment_proof`
    asks again under the order's lock. At most one proof waits per order.
    """
    if not get_payment_method(order.payment_method).needs_proof:
        raise OrderError(_("Pesanan ini dibayar di tempat, tanpa bukti transfer."))
    if (
        order.status == OS.AWAITING_VERIFICATION
        or PaymentProof.objects.filter(
            order=order, status=PaymentProof.Status.PENDING
        ).exists()
    ):
        raise IllegalTransitionError(
            _(
                "Bukti transfer Anda sedang diperiksa koordinator. Tunggu "
                "hasilnya sebelum mengunggah bukti lain."
            )
        )
    if order.status != OS.AWAITING_PAYMENT:
        raise IllegalTransitionError(
            _("Bukti transfer tidak bisa diunggah: status pesanan %(status)s.")
            % {"status": OS(order.status).label}
        )
    if order.expires_at and order.expires_at <= (now or timezone.now()):
        raise OrderError(_("Batas waktu pembayaran pesanan ini sudah lewat."))
