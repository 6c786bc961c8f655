"""Deposits (setoran): weighed waste credited to the book and added to stock."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import receipts
from ..models import Deposit, DepositLine, Member, SavingsEntry, WasteStockMovement
from ..selectors import prices_in_force
from .ledger import (
    append_savings_entries,
    append_savings_entry,
    insert,
    insert_all,
    lock_member,
    lock_members,
    lock_stock,
    move_stock,
    move_stock_many,
)
from .prices import price_lines, value_lines
from .validation import BankSampahError, PricedLine, WeighedLine, user_or_none


def record_deposit(
    *,
    member: Member,
    lines: Sequence[WeighedLine],
    by,
    idempotency_key: uuid.UUID,
    weighed_on: date | None = None,
    at: datetime | None = None,
) -> Deposit:
    """Record a deposit: price the lines, credit the book once, add the stock.

    All in one transaction under the member's lock. A key that was already used
    returns the deposit it created, so a double-click credits once; a key used
    for another member is refused. `at` records a past deposit with its own
    time (and, without `weighed_on`, its own day).
    """
    weighed_on = weighed_on or timezone.localdate(at)
    existing = Deposit.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return _same_deposit(existing, member)
    priced = price_lines(lines=lines, on_date=weighed_on)
    try:
        with transaction.atomic():
            locked = lock_member(member)
            _check_active(locked)
            # Checked again under the lock: a concurrent request with the same
            # key waited for us and must not credit a second time.
            existing = Deposit.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return _same_deposit(existing, member)
            deposit = insert(
                _deposit(locked, idempotency_key, weighed_on, priced, by), at=at
            )
            DepositLine.objects.bulk_create(_line_rows(deposit, priced))
            if deposit.total_amount > 0:
                append_savings_entry(
                    member=locked,
                    kind=SavingsEntry.Kind.DEPOSIT,
                    amount=deposit.total_amount,
                    by=by,
                    at=at,
                    deposit=deposit,
                )
            stock = lock_stock(
                posdaya_id=locked.posdaya_id,
                category_ids=[li.category.pk for li in priced],
            )
            for line in priced:
                move_stock(
                    stock=stock[line.category.pk],
                    kind=WasteStockMovement.Kind.IN_DEPOSIT,
                    weight=line.weight,
                    by=by,
                    at=at,
                    deposit=deposit,
                )
            receipts.send_weighing_receipt(deposit=deposit, member=locked)
    except IntegrityError:
        # Lost a race on the unique key (no lock order can prevent two inserts).
        existing = Deposit.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return _same_deposit(existing, member)
    member.balance = locked.balance
    return deposit


@dataclass(frozen=True)
class DepositInput:
    """One member's weighed lines of a weighing day, with its one-time key."""

    member: Member
    lines: Sequence[WeighedLine]
    idempotency_key: uuid.UUID


def record_deposits(
    *,
    posdaya,
    deposits: Sequence[DepositInput],
    by,
    weighed_on: date,
    at: datetime | None = None,
) -> list[Deposit]:
    """Record a whole weighing day of deposits at one POSDAYA, in bulk.

    The rows are those `record_deposit` writes for each input in turn (same
    prices, rounding, running balances and stock movements), written with a
    few statements per table instead of some twenty per deposit: for loading
    history (the demo) or a day's paper records. One transaction holds the
    member locks (primary-key order) and the stock locks; a refused deposit
    refuses the whole day. A key already used returns its deposit in place.
    """
    prices = prices_in_force(on_date=weighed_on)
    priced = [value_lines(lines=item.lines, prices=prices) for item in deposits]
    if any(item.member.posdaya_id != posdaya.pk for item in deposits):
        raise ValueError("Every member must belong to the POSDAYA of the day.")
    with transaction.atomic():
        members = lock_members(item.member.pk for item in deposits)
        used = {
            d.idempotency_key: d
            for d in Deposit.objects.filter(
                idempotency_key__in=[item.idempotency_key for item in deposits]
            )
        }
        result: list[Deposit] = []
        new: list[tuple[Deposit, list[PricedLine]]] = []
        for item, lines in zip(deposits, priced, strict=True):
            if item.idempotency_key in used:
                result.append(_same_deposit(used[item.idempotency_key], item.member))
                continue
            member = members[item.member.pk]
            _check_active(member)
            deposit = _deposit(member, item.idempotency_key, weighed_on, lines, by)
            used[item.idempotency_key] = deposit
            new.append((deposit, lines))
            result.append(deposit)
        insert_all([deposit for deposit, _priced in new], at=at)
        DepositLine.objects.bulk_create(
            [row for deposit, lines in new for row in _line_rows(deposit, lines)]
        )
        append_savings_entries(
            [
                (
                    members[deposit.member_id],
                    SavingsEntry.Kind.DEPOSIT,
                    deposit.total_amount,
                    {"deposit": deposit},
                )
                for deposit, _priced in new
                if deposit.total_amount > 0
            ],
            by=by,
            at=at,
        )
        stock = lock_stock(
            posdaya_id=posdaya.pk,
            category_ids=[li.category.pk for _d, lines in new for li in lines],
        )
        move_stock_many(
            [
                (
                    stock[line.category.pk],
                    WasteStockMovement.Kind.IN_DEPOSIT,
                    line.weight,
                    {"deposit": deposit},
                )
                for deposit, lines in new
                for line in lines
            ],
            by=by,
            at=at,
        )
        for deposit, _priced in new:
            receipts.send_weighing_receipt(
                deposit=deposit, member=members[deposit.member_id]
            )
    for item in deposits:
        item.member.balance = members[item.member.pk].balance
    return result


def _check_active(member: Member) -> None:
    if not member.is_active:
        raise BankSampahError(
            _("Nasabah %(name)s tidak aktif.") % {"name": member.name}
        )


def _deposit(member, idempotency_key, weighed_on, priced, by) -> Deposit:
    return Deposit(
        posdaya_id=member.posdaya_id,
        member=member,
        idempotency_key=idempotency_key,
        weighed_on=weighed_on,
        total_amount=sum(line.amount for line in priced),
        by=user_or_none(by),
    )


def _line_rows(deposit: Deposit, priced: Sequence[PricedLine]) -> list[DepositLine]:
    return [
        DepositLine(
            deposit=deposit,
            category=line.category,
            weight=line.weight,
            unit_price=line.unit_price,
            amount=line.amount,
        )
        for line in priced
    ]


def _same_deposit(deposit: Deposit, member: Member) -> Deposit:
    if deposit.member_id != member.pk:
        raise BankSampahError(
            _("Formulir ini sudah dipakai untuk nasabah lain. Muat ulang halaman.")
        )
    return deposit
