"""Shopping with the savings book (bayar pakai tabungan): debits and refunds.

The orders app calls these inside its own transaction, after it has locked
the order: the member row is always the last lock taken, so a checkout, a
cancellation and a teller's withdrawal on the same book queue on that one
row and never deadlock. The balance is checked under the lock, so two tabs
checking out at once and a withdrawal can never together overdraw a book.
"""

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from pasar.money import format_rupiah

from ..models import Member, SavingsEntry
from .ledger import append_savings_entry, lock_member
from .validation import MAX_AMOUNT, BankSampahError

SHOPPING_KINDS = (SavingsEntry.Kind.PURCHASE, SavingsEntry.Kind.PURCHASE_REFUND)


def _check_amount(amount) -> int:
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise BankSampahError(_("Jumlah harus berupa bilangan bulat Rupiah."))
    if amount <= 0:
        raise BankSampahError(_("Jumlah dari tabungan harus lebih dari Rp 0."))
    if amount > MAX_AMOUNT:
        raise BankSampahError(_("Jumlah dari tabungan terlalu besar."))
    return amount


def pay_order_from_savings(
    *, member: Member, amount: int, order_code: str, by
) -> SavingsEntry:
    """Debit `amount` from the member's book for an order ("Belanja"), or refuse.

    Refused, with nothing written, when the member is inactive or the balance
    (read under the member lock) is below `amount`.
    """
    amount = _check_amount(amount)
    if not order_code:
        raise BankSampahError(_("Kode pesanan wajib diisi."))
    with transaction.atomic():
        locked = lock_member(member)
        if not locked.is_active:
            raise BankSampahError(
                _("Buku tabungan %(number)s tidak aktif.")
                % {"number": locked.account_number}
            )
        if amount > locked.balance:
            raise BankSampahError(
                _("Saldo tabungan tidak cukup: saldo %(balance)s, diminta %(amount)s.")
                % {
                    "balance": format_rupiah(locked.balance),
                    "amount": format_rupiah(amount),
                }
            )
        entry = append_savings_entry(
            member=locked,
            kind=SavingsEntry.Kind.PURCHASE,
            amount=-amount,
            by=by,
            order_code=order_code,
        )
    member.balance = locked.balance
    return entry


def refund_order_to_savings(
    *, member_id: int, amount: int, order_code: str, reason: str, by
) -> SavingsEntry:
    """Credit money of an order back to the book with a new entry.

    Never more than the order's debits still standing on that book (its
    debits minus the refunds already made), so the same money cannot come back
    twice. The debit itself is never touched.
    """
    amount = _check_amount(amount)
    with transaction.atomic():
        locked = Member.objects.select_for_update().get(pk=member_id)
        standing = -(
            SavingsEntry.objects.filter(
                member=locked, order_code=order_code, kind__in=SHOPPING_KINDS
            ).aggregate(total=Sum("amount"))["total"]
            or 0
        )
        if amount > standing:
            raise BankSampahError(
                _(
                    "Pengembalian %(amount)s melebihi belanja %(code)s yang "
                    "dibayar dari tabungan (%(standing)s)."
                )
                % {
                    "amount": format_rupiah(amount),
                    "code": order_code,
                    "standing": format_rupiah(standing),
                }
            )
        return append_savings_entry(
            member=locked,
            kind=SavingsEntry.Kind.PURCHASE_REFUND,
            amount=amount,
            by=by,
            order_code=order_code,
            reason=(reason or "")[:255],
        )
