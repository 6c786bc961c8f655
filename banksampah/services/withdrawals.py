"""Withdrawals (penarikan): money taken out of a savings book."""

import uuid
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pasar.money import format_rupiah

from .. import receipts
from ..models import Member, SavingsEntry, Withdrawal
from .ledger import append_savings_entry, insert, lock_member
from .validation import MAX_AMOUNT, BankSampahError, user_or_none


def record_withdrawal(
    *,
    member: Member,
    amount: int,
    method: str = Withdrawal.Method.CASH,
    note: str = "",
    by,
    idempotency_key: uuid.UUID | None = None,
    withdrawn_on: date | None = None,
    at: datetime | None = None,
) -> Withdrawal:
    """Record a withdrawal: check the balance and debit it under the member lock.

    Refuses amounts of zero or less, above the balance, or for an inactive
    member. A repeated key returns the first withdrawal. `at` records a past
    withdrawal with its own time (and, without `withdrawn_on`, its own day).
    """
    idempotency_key = idempotency_key or uuid.uuid4()
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise BankSampahError(_("Jumlah harus berupa bilangan bulat Rupiah."))
    if amount <= 0:
        raise BankSampahError(_("Jumlah penarikan harus lebih dari Rp 0."))
    if amount > MAX_AMOUNT:
        raise BankSampahError(_("Jumlah penarikan terlalu besar."))
    if method not in Withdrawal.Method.values:
        raise BankSampahError(_("Cara penarikan tidak dikenal."))
    existing = Withdrawal.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return _same_withdrawal(existing, member)
    with transaction.atomic():
        locked = lock_member(member)
        existing = Withdrawal.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return _same_withdrawal(existing, member)
        if not locked.is_active:
            raise BankSampahError(
                _("Nasabah %(name)s tidak aktif.") % {"name": locked.name}
            )
        if amount > locked.balance:
            raise BankSampahError(
                _("Saldo tidak cukup: saldo %(balance)s, diminta %(amount)s.")
                % {
                    "balance": format_rupiah(locked.balance),
                    "amount": format_rupiah(amount),
                }
            )
        withdrawal = Withdrawal(
            posdaya_id=locked.posdaya_id,
            member=locked,
            idempotency_key=idempotency_key,
            withdrawn_on=withdrawn_on or timezone.localdate(at),
            amount=amount,
            method=method,
            note=note,
            by=user_or_none(by),
        )
        insert(withdrawal, at=at)
        append_savings_entry(
            member=locked,
            kind=SavingsEntry.Kind.WITHDRAWAL,
            amount=-amount,
            by=by,
            at=at,
            withdrawal=withdrawal,
        )
        receipts.send_withdrawal_receipt(withdrawal=withdrawal, member=locked)
    member.balance = locked.balance
    return withdrawal


def _same_withdrawal(withdrawal: Withdrawal, member: Member) -> Withdrawal:
    if withdrawal.member_id != member.pk:
        raise BankSampahError(
            _("Formulir ini sudah dipakai untuk nasabah lain. Muat ulang halaman.")
        )
    return withdrawal
