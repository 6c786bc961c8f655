"""Reversals: a linked reversal entry cancels a deposit or a withdrawal.

The entry's kind is stored as "correction" (shown as "Koreksi").
"""

from django.db import transaction
from django.utils.translation import gettext as _

from pasar.audit import record_audit
from pasar.models import AuditLog

from ..models import Deposit, SavingsEntry, WasteStockMovement, Withdrawal
from .ledger import append_savings_entry, lock_member, lock_stock, move_stock
from .validation import BankSampahError


def reverse_entry(*, entry: SavingsEntry, reason: str, by) -> SavingsEntry:
    """Cancel a deposit or withdrawal entry with a linked reversal entry.

    The original is never touched. Reversing a deposit also takes its weight out
    of the waste stock. Refused when already reversed, when the reason is empty,
    or when the member's balance (or the stock) would go below zero.
    """
    reason = (reason or "").strip()
    if not reason:
        raise BankSampahError(_("Tulis alasan koreksi."))
    if entry.kind == SavingsEntry.Kind.REVERSAL:
        raise BankSampahError(_("Koreksi tidak dapat dibatalkan lagi."))
    if entry.kind in (SavingsEntry.Kind.PURCHASE, SavingsEntry.Kind.PURCHASE_REFUND):
        raise BankSampahError(
            _("Belanja dari tabungan dikembalikan dengan membatalkan pesanannya.")
        )
    with transaction.atomic():
        locked = lock_member(entry.member)
        if SavingsEntry.objects.filter(reversal_of=entry).exists():
            raise BankSampahError(_("Catatan ini sudah dibatalkan."))
        reversal = append_savings_entry(
            member=locked,
            kind=SavingsEntry.Kind.REVERSAL,
            amount=-entry.amount,
            by=by,
            deposit_id=entry.deposit_id,
            withdrawal_id=entry.withdrawal_id,
            reversal_of=entry,
            reason=reason,
        )
        if entry.deposit_id:
            lines = list(entry.deposit.lines.select_related("category"))
            stock = lock_stock(
                posdaya_id=locked.posdaya_id,
                category_ids=[li.category_id for li in lines],
            )
            for line in lines:
                move_stock(
                    stock=stock[line.category_id],
                    kind=WasteStockMovement.Kind.ADJUSTMENT,
                    weight=-line.weight,
                    by=by,
                    deposit_id=entry.deposit_id,
                    reason=reason,
                )
        record_audit(
            actor=by,
            action=AuditLog.Action.LEDGER_CORRECTION,
            target=entry,
            posdaya=locked.posdaya,
            before={"balance": locked.balance + entry.amount},
            after={"balance": locked.balance, "correction": reversal.pk},
            note=reason,
        )
    entry.member.balance = locked.balance
    return reversal


def reverse_deposit(*, deposit: Deposit, reason: str, by) -> SavingsEntry:
    """Cancel a whole deposit (money and stock) with a reason."""
    entry = deposit.entries.filter(kind=SavingsEntry.Kind.DEPOSIT).first()
    if entry is None:
        raise BankSampahError(_("Setoran ini tidak punya catatan tabungan."))
    return reverse_entry(entry=entry, reason=reason, by=by)


def reverse_withdrawal(*, withdrawal: Withdrawal, reason: str, by) -> SavingsEntry:
    """Cancel a withdrawal: the money goes back into the book."""
    entry = withdrawal.entries.get(kind=SavingsEntry.Kind.WITHDRAWAL)
    return reverse_entry(entry=entry, reason=reason, by=by)
