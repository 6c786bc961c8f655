"""Sales of sorted waste to a pengepul (collector): out of stock, income in."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pasar.money import rupiah_for_weight

from ..models import PengepulSale, PengepulSaleLine, WasteCategory, WasteStockMovement
from .ledger import insert, lock_stock, move_stock
from .prices import price_lines
from .validation import (
    MAX_AMOUNT,
    BankSampahError,
    PricedLine,
    WeighedLine,
    same_posdaya,
    user_or_none,
)


@dataclass(frozen=True)
class SaleLine:
    """One line of a sale as entered; `unit_price` None means the price list."""

    category: WasteCategory
    weight: Decimal
    unit_price: int | None = None


def record_sale(
    *,
    posdaya,
    buyer_name: str,
    lines: Sequence[SaleLine],
    by,
    note: str = "",
    sold_on: date | None = None,
    idempotency_key: uuid.UUID | None = None,
    at: datetime | None = None,
) -> PengepulSale:
    """Sell sorted waste to a pengepul: lines out of stock, total as income.

    A line without a price takes the sell price in force. Refused when a
    category lacks the stock. A repeated `idempotency_key` (the form's
    one-time key) returns the first sale and moves nothing. `at` records a
    past sale with its own time.
    """
    earlier = _earlier(idempotency_key, posdaya)
    if earlier is not None:
        return earlier
    sold_on = sold_on or timezone.localdate(at)
    buyer_name = (buyer_name or "").strip()
    if not buyer_name:
        raise BankSampahError(_("Tulis nama pengepul."))
    if not lines:
        raise BankSampahError(_("Isi paling sedikit satu baris."))
    if len({line.category.pk for line in lines}) != len(lines):
        raise BankSampahError(_("Satu jenis sampah cukup satu baris."))
    listed = {
        p.category.pk: p
        for p in price_lines(
            lines=[WeighedLine(li.category, li.weight) for li in lines],
            on_date=sold_on,
            price="sell_price",
        )
    }
    priced = []
    for line in lines:
        unit_price = line.unit_price
        if unit_price is None:
            unit_price = listed[line.category.pk].unit_price
        if unit_price < 0 or unit_price > MAX_AMOUNT:
            raise BankSampahError(_("Harga tidak masuk akal."))
        weight = listed[line.category.pk].weight
        priced.append(
            PricedLine(
                category=line.category,
                weight=weight,
                unit_price=unit_price,
                amount=rupiah_for_weight(weight, unit_price),
            )
        )
    try:
        return _record(
            posdaya, buyer_name, priced, listed, by, note, sold_on, idempotency_key, at
        )
    except IntegrityError:
        # A twin with other lines took the key first (the unique constraint).
        earlier = _earlier(idempotency_key, posdaya)
        if earlier is None:
            raise
        return earlier


def _earlier(idempotency_key, posdaya) -> PengepulSale | None:
    if idempotency_key is None:
        return None
    sale = PengepulSale.objects.filter(idempotency_key=idempotency_key).first()
    return same_posdaya(sale, posdaya)


def _record(posdaya, buyer_name, priced, listed, by, note, sold_on, key, at):
    with transaction.atomic():
        stock = lock_stock(posdaya_id=posdaya.pk, category_ids=listed)
        # A twin request waited for the stock locks: its sale is there now.
        earlier = _earlier(key, posdaya)
        if earlier is not None:
            return earlier
        sale = PengepulSale(
            posdaya=posdaya,
            idempotency_key=key,
            buyer_name=buyer_name,
            sold_on=sold_on,
            total_amount=sum(line.amount for line in priced),
            note=note,
            by=user_or_none(by),
        )
        insert(sale, at=at)
        PengepulSaleLine.objects.bulk_create(
            [
                PengepulSaleLine(
                    sale=sale,
                    category=line.category,
                    weight=line.weight,
                    unit_price=line.unit_price,
                    amount=line.amount,
                )
                for line in priced
            ]
        )
        for line in priced:
            move_stock(
                stock=stock[line.category.pk],
                kind=WasteStockMovement.Kind.OUT_SALE,
                weight=-line.weight,
                by=by,
                at=at,
                sale=sale,
            )
    return sale
