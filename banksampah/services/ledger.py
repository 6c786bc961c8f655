"""The savings ledger and the waste stock ledger: the one writer of both.

A member's balance and a POSDAYA's stock of a category are caches of their
ledgers. They change only here, inside the caller's transaction, while it
holds a lock on the member row or the stock row (`select_for_update`, stock
rows in primary-key order), so two tellers pressing at once cannot overdraw a
book or sell stock twice. Ledger rows are only ever inserted.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from pasar.money import KG_QUANTUM, format_kg, format_rupiah

from ..models import Member, SavingsEntry, WasteStock, WasteStockMovement
from .validation import BankSampahError, user_or_none


def insert(row, *, at: datetime | None = None):
    """Insert one new row, stamped with `at` instead of now when given.

    `at` records history as it happened (the demo's past weekends): the row is
    stored exactly as set, the way fixture loading stores it, so `auto_now_add`
    keeps the given moment instead of the clock.
    """
    if at is None:
        row.save(force_insert=True)
        return row
    row.created_at = at
    if hasattr(row, "updated_at"):
        row.updated_at = at
    row.save_base(raw=True, force_insert=True)
    return row


def insert_all(rows: Sequence, *, at: datetime | None = None) -> list:
    """Insert new rows of one model: one statement, or one per row with `at`."""
    rows = list(rows)
    if not rows:
        return rows
    if at is None:
        return type(rows[0]).objects.bulk_create(rows)
    for row in rows:
        insert(row, at=at)
    return rows


def lock_member(member: Member) -> Member:
    """Return the member row locked for the rest of the transaction."""
    return Member.objects.select_for_update().get(pk=member.pk)


def lock_members(member_ids: Iterable[int]) -> dict[int, Member]:
    """Lock several member rows, in primary-key order (no deadlock between two)."""
    rows = Member.objects.select_for_update().filter(pk__in=set(member_ids))
    return {member.pk: member for member in rows.order_by("pk")}


def _savings_entry(*, member: Member, kind: str, amount: int, by, links):
    """Build the next entry of a locked member and move its balance in memory."""
    new_balance = member.balance + amount
    if new_balance < 0:
        raise BankSampahError(
            _("Saldo tidak cukup: saldo %(balance)s, diminta %(amount)s.")
            % {
                "balance": format_rupiah(member.balance),
                "amount": format_rupiah(-amount),
            }
        )
    member.balance = new_balance
    return SavingsEntry(
        member=member,
        kind=kind,
        amount=amount,
        balance_after=new_balance,
        by=user_or_none(by),
        **links,
    )


def append_savings_entry(
    *, member: Member, kind: str, amount: int, by, at: datetime | None = None, **links
) -> SavingsEntry:
    """Append one entry to a member already locked by the caller."""
    entry = _savings_entry(member=member, kind=kind, amount=amount, by=by, links=links)
    insert(entry, at=at)
    Member.objects.filter(pk=member.pk).update(balance=member.balance)
    return entry


def append_savings_entries(
    entries: Sequence[tuple[Member, str, int, dict]],
    *,
    by,
    at: datetime | None = None,
) -> list[SavingsEntry]:
    """Append (member, kind, amount, links) entries in order, in one write each.

    The members are locked by the caller; one member may appear several times
    (its running balance goes on from entry to entry). Either every entry is
    written or, when one would overdraw a book, none (the caller's transaction
    rolls back).
    """
    rows = [
        _savings_entry(member=member, kind=kind, amount=amount, by=by, links=links)
        for member, kind, amount, links in entries
    ]
    insert_all(rows, at=at)
    touched = {member.pk: member for member, _kind, _amount, _links in entries}
    Member.objects.bulk_update(list(touched.values()), ["balance"])
    return rows


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


def _movement(*, stock: WasteStock, kind: str, weight: Decimal, by, links):
    """Build the next movement of a locked stock row and move it in memory."""
    new_weight = stock.weight + weight
    if new_weight < 0:
        raise BankSampahError(
            _("Stok %(name)s tidak cukup: tersedia %(stock)s, diminta %(weight)s.")
            % {
                "name": stock.category.name,
                "stock": format_kg(stock.weight, stock.category.get_unit_display()),
                "weight": format_kg(-weight, stock.category.get_unit_display()),
            }
        )
    stock.weight = new_weight
    return WasteStockMovement(
        posdaya_id=stock.posdaya_id,
        category_id=stock.category_id,
        kind=kind,
        weight=weight,
        weight_after=new_weight,
        by=user_or_none(by),
        **links,
    )


def move_stock(
    *,
    stock: WasteStock,
    kind: str,
    weight: Decimal,
    by,
    at: datetime | None = None,
    **links,
) -> WasteStockMovement:
    """Append one movement to a stock row already locked by the caller."""
    movement = _movement(stock=stock, kind=kind, weight=weight, by=by, links=links)
    insert(movement, at=at)
    WasteStock.objects.filter(pk=stock.pk).update(weight=stock.weight)
    return movement


def move_stock_many(
    moves: Sequence[tuple[WasteStock, str, Decimal, dict]],
    *,
    by,
    at: datetime | None = None,
) -> list[WasteStockMovement]:
    """Append (stock row, kind, signed weight, links) movements in order, in bulk.

    The stock rows are locked by the caller (`lock_stock`); all or none.
    """
    rows = [
        _movement(stock=stock, kind=kind, weight=weight, by=by, links=links)
        for stock, kind, weight, links in moves
    ]
    insert_all(rows, at=at)
    touched = {stock.pk: stock for stock, _kind, _weight, _links in moves}
    WasteStock.objects.bulk_update(list(touched.values()), ["weight"])
    return rows


def repair_member_balance(*, member_id: int) -> int:
    """Set a member's cached balance to the sum of its entries; return it.

    For `recompute_balances --fix`: the entries are the truth, the balance a
    cache. Taken under the member's lock like every other balance write.
    """
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member_id)
        total = (
            SavingsEntry.objects.filter(member=member).aggregate(s=Sum("amount"))["s"]
            or 0
        )
        Member.objects.filter(pk=member_id).update(balance=total)
    return total


def repair_waste_stock(*, stock_id: int) -> Decimal:
    """Set a stock row's cached weight to the sum of its movements; return it."""
    with transaction.atomic():
        stock = WasteStock.objects.select_for_update().get(pk=stock_id)
        total = WasteStockMovement.objects.filter(
            posdaya_id=stock.posdaya_id, category_id=stock.category_id
        ).aggregate(s=Sum("weight"))["s"] or Decimal(0)
        # SQLite sums decimals as floats: back to the field's three places.
        total = Decimal(total).quantize(KG_QUANTUM)
        WasteStock.objects.filter(pk=stock_id).update(weight=total)
    return total
