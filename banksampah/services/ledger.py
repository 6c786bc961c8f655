"""The savings ledger and the waste stock ledger: the one writer of both.

A member's balance and a POSDAYA's stock of a category are caches of their
ledgers. They change only here, inside the caller's transaction, while it
holds a lock on the member row or the stock row (`select_for_update`, stock
rows in primary-key order), so two tellers pressing at once cannot overdraw a
book or sell stock twice. Ledger rows are only ever inserted.
"""

from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext as _

from pasar.money import format_rupiah

from ..models import Member, SavingsEntry, WasteStock, WasteStockMovement
from .validation import BankSampahError, user_or_none


def lock_member(member: Member) -> Member:
    """Return the member row locked for the rest of the transaction."""
    return Member.objects.select_for_update().get(pk=member.pk)


def append_savings_entry(
    *, member: Member, kind: str, amount: int, by, **links
) -> SavingsEntry:
    """Append one entry to a member already locked by the caller."""
    new_balance = member.balance + amount
    if new_balance < 0:
        raise BankSampahError(
            _("Saldo tidak cukup: saldo %(balance)s, diminta %(amount)s.")
            % {
                "balance": format_rupiah(member.balance),
                "amount": format_rupiah(-amount),
            }
        )
    entry = SavingsEntry.objects.create(
        member=member,
        kind=kind,
        amount=amount,
        balance_after=new_balance,
        by=user_or_none(by),
        **links,
    )
    Member.objects.filter(pk=member.pk).update(balance=new_balance)
    member.balance = new_balance
    return entry


def lock_stock(
    *, posdaya_id: int, category_ids: Iterable[int]
) -> dict[int, WasteStock]:
    """Lock (creating when missing) the stock rows, in primary-key order."""
    ids = sorted(set(category_ids))
    WasteStock.objects.bulk_create(
        [WasteStock(posdaya_id=posdaya_id, category_id=pk) for pk in ids],
        ignore_conflicts=True,
    )
    rows = (
        WasteStock.objects.select_for_update()
        .filter(posdaya_id=posdaya_id, category_id__in=ids)
        .order_by("pk")
    )
    return {row.category_id: row for row in rows}


def move_stock(
    *, stock: WasteStock, kind: str, weight: Decimal, by, **links
) -> WasteStockMovement:
    """Append one movement to a stock row already locked by the caller."""
    new_weight = stock.weight + weight
    if new_weight < 0:
        raise BankSampahError(
            _("Stok %(name)s tidak cukup: tersedia %(stock)s, diminta %(weight)s.")
            % {
                "name": stock.category.name,
                "stock": f"{stock.weight:.3f}",
                "weight": f"{-weight:.3f}",
            }
        )
    movement = WasteStockMovement.objects.create(
        posdaya_id=stock.posdaya_id,
        category_id=stock.category_id,
        kind=kind,
        weight=weight,
        weight_after=new_weight,
        by=user_or_none(by),
        **links,
    )
    WasteStock.objects.filter(pk=stock.pk).update(weight=new_weight)
    stock.weight = new_weight
    return movement
