"""Deposits (setoran): weighed waste credited to the book and added to stock."""

import uuid
from collections.abc import Sequence
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Deposit, DepositLine, Member, SavingsEntry, WasteStockMovement
from .ledger import append_savings_entry, lock_member, lock_stock, move_stock
from .prices import price_lines
from .validation import BankSampahError, WeighedLine, user_or_none


def record_deposit(
    *,
    member: Member,
    lines: Sequence[WeighedLine],
    by,
    idempotency_key: uuid.UUID,
    weighed_on: date | None = None,
) -> Deposit:
    """Record a setoran: price the lines, credit the book once, add the stock.

    All in one transaction under the member's lock. A key that was already used
    returns the deposit it created, so a double-click credits once; a key used
    for another member is refused.
    """
    weighed_on = weighed_on or timezone.localdate()
    existing = Deposit.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return _same_deposit(existing, member)
    priced = price_lines(lines=lines, on_date=weighed_on)
    try:
        with transaction.atomic():
            locked = lock_member(member)
            if not locked.is_active:
                raise BankSampahError(
                    _("Nasabah %(name)s tidak aktif.") % {"name": locked.name}
                )
            # Checked again under the lock: a concurrent request with the same
            # key waited for us and must not credit a second time.
            existing = Deposit.objects.filter(idempotency_key=idempotency_key).first()
            if existing is not None:
                return _same_deposit(existing, member)
            deposit = Deposit.objects.create(
                posdaya_id=locked.posdaya_id,
                member=locked,
                idempotency_key=idempotency_key,
                weighed_on=weighed_on,
                total_amount=sum(line.amount for line in priced),
                by=user_or_none(by),
            )
            DepositLine.objects.bulk_create(
                [
                    DepositLine(
                        deposit=deposit,
                        category=line.category,
                        weight=line.weight,
                        unit_price=line.unit_price,
                        amount=line.amount,
                    )
                    for line in priced
                ]
            )
            if deposit.total_amount > 0:
                append_savings_entry(
                    member=locked,
                    kind=SavingsEntry.Kind.DEPOSIT,
                    amount=deposit.total_amount,
                    by=by,
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
                    deposit=deposit,
                )
    except IntegrityError:
        # Lost a race on the unique key (no lock order can prevent two inserts).
        existing = Deposit.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return _same_deposit(existing, member)
    member.balance = locked.balance
    return deposit


def _same_deposit(deposit: Deposit, member: Member) -> Deposit:
    if deposit.member_id != member.pk:
        raise BankSampahError(
            _("Formulir ini sudah dipakai untuk nasabah lain. Muat ulang halaman.")
        )
    return deposit
