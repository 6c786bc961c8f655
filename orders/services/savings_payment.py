"""Bayar pakai tabungan: an order paid wholly or partly from the savings book.

The savings ledger has one writer, `banksampah.services`; this module decides
how much of an order the book pays and calls it inside the order's own
transaction, so an order and its debit are written together or not at all.
`Order.savings_amount` is the part of the order paid from the book and not
given back yet.

- At checkout (`apply_savings`): the SAVINGS method pays the whole total;
  another method may take `amount` from the book and leave the rest to a
  prepaid method (transfer), which the koordinator verifies as usual. A book
  that pays the whole total pays the order at once.
- On cancelling, refunding or expiring a sub-order (`return_savings_excess`):
  the book paid first, so it is given back last: only what it paid beyond
  the sub-orders still standing comes back, as a new credit entry.

Locks: the order row (by the caller), then the member row (by the bank
sampah service): the member is always the last lock taken.
"""

from datetime import datetime

from django.db.models import Sum
from django.utils.translation import gettext as _

from banksampah import selectors as banksampah_selectors
from banksampah import services as banksampah_services
from banksampah.services import BankSampahError
from catalog import stock
from pasar.money import format_rupiah

from ..models import Order, OrderLine, SubOrder
from ..payments import SAVINGS, PaymentMethod
from .errors import OrderError
from .state import set_order_status, sum_by_product, user_or_none

OS = Order.Status


def apply_savings(
    *, order: Order, method: PaymentMethod, customer, amount: int, now: datetime
) -> None:
    """Pay `amount` of a just-placed order from the customer's book, or refuse.

    With the SAVINGS method the amount is the whole total. Refuses a visitor
    without a linked book, an amount above the total or the balance, and a
    rest left to a method paid on handover. Raises OrderError (the caller's
    transaction rolls the order back).
    """
    if method.needs_savings_book:
        amount = order.total - order.unique_code
    if not amount:
        return
    if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
        raise OrderError(_("Jumlah dari tabungan harus bilangan bulat Rupiah."))
    member = banksampah_selectors.member_for_user(customer) if customer else None
    if member is None:
        raise OrderError(
            _(
                "Bayar pakai tabungan hanya untuk nasabah yang akunnya sudah "
                "terhubung ke buku tabungan bank sampah."
            )
        )
    # Savings pay the goods and delivery; a kode unik only names a transfer.
    goods = order.total - order.unique_code
    if amount > goods:
        raise OrderError(
            _("Jumlah dari tabungan (%(amount)s) melebihi total pesanan (%(total)s).")
            % {"amount": format_rupiah(amount), "total": format_rupiah(goods)}
        )
    rest = goods - amount
    if rest and not method.prepaid:
        raise OrderError(
            _(
                "Sisa pembayaran setelah dipotong tabungan tidak bisa dibayar di "
                "tempat. Pilih transfer atau QRIS untuk sisanya."
            )
        )
    try:
        banksampah_services.pay_order_from_savings(
            member=member, amount=amount, order_code=order.code, by=customer
        )
    except BankSampahError as error:
        raise OrderError(error.message) from error
    order.savings_amount = amount
    if rest:
        order.save(update_fields=["savings_amount", "updated_at"])
        return
    # The book paid everything: the order is paid now, like an approved proof.
    order.payment_method = SAVINGS.code
    order.total, order.unique_code = goods, 0
    order.expires_at = None
    order.paid_at = now
    set_order_status(
        order,
        OS.PAID,
        by=customer,
        note=_("Dibayar dari tabungan %(number)s.") % {"number": member.account_number},
        fields=[
            "savings_amount",
            "payment_method",
            "total",
            "unique_code",
            "expires_at",
            "paid_at",
        ],
        now=now,
    )
    suborders = SubOrder.objects.filter(order=order)
    suborders.update(paid_at=now, updated_at=now)
    lines = OrderLine.objects.filter(suborder__order=order)
    stock.record_sold(quantities=sum_by_product(lines))


def return_savings_excess(*, order: Order, by, reason: str) -> int:
    """Give back what the book paid beyond the standing sub-orders; return it.

    Called under the order lock after a sub-order was cancelled or refunded.
    Writes a new credit entry ("Pengembalian belanja"), never an edit.
    """
    if not order.savings_amount:
        return 0
    standing = (
        SubOrder.objects.filter(order=order)
        .exclude(status=SubOrder.Status.CANCELLED)
        .aggregate(total=Sum("total"))["total"]
        or 0
    )
    excess = order.savings_amount - standing
    if excess <= 0:
        return 0
    member_id = banksampah_selectors.member_id_of_order_payment(order.code)
    try:
        banksampah_services.refund_order_to_savings(
            member_id=member_id,
            amount=excess,
            order_code=order.code,
            reason=reason,
            by=user_or_none(by),
        )
    except BankSampahError as error:
        raise OrderError(error.message) from error
    order.savings_amount -= excess
    order.save(update_fields=["savings_amount", "updated_at"])
    return excess
