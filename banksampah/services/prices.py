"""The waste price list: valuing weighed lines, and dated prices (koordinator)."""

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from pasar.audit import record_audit
from pasar.models import AuditLog
from pasar.money import rupiah_for_weight

from ..models import WasteCategory, WastePrice
from ..selectors import prices_in_force
from .validation import (
    MAX_AMOUNT,
    MAX_LINES,
    BankSampahError,
    PricedLine,
    WeighedLine,
    check_weight,
    user_or_none,
)


def price_lines(
    *, lines: Sequence[WeighedLine], on_date: date, price: str = "buy_price"
) -> list[PricedLine]:
    """Value weighed lines with the price in force on `on_date` (no writes).

    Refuses empty input, inactive categories and categories without a price.
    """
    _check_line_count(lines)
    return value_lines(
        lines=lines, prices=prices_in_force(on_date=on_date), price=price
    )


def value_lines(
    *,
    lines: Sequence[WeighedLine],
    prices: dict[int, WastePrice],
    price: str = "buy_price",
) -> list[PricedLine]:
    """Value weighed lines with `prices` ({category id: price row}), no query."""
    _check_line_count(lines)
    priced = []
    for line in lines:
        weight = check_weight(line.weight)
        category = line.category
        if not category.is_active:
            raise BankSampahError(
                _("Jenis sampah %(name)s tidak aktif.") % {"name": category.name}
            )
        row = prices.get(category.pk)
        if row is None:
            raise BankSampahError(
                _("Jenis sampah %(name)s belum punya harga.") % {"name": category.name}
            )
        unit_price = getattr(row, price)
        priced.append(
            PricedLine(
                category=category,
                weight=weight,
                unit_price=unit_price,
                amount=rupiah_for_weight(weight, unit_price),
            )
        )
    return priced


def _check_line_count(lines: Sequence) -> None:
    if not lines:
        raise BankSampahError(_("Isi paling sedikit satu baris timbangan."))
    if len(lines) > MAX_LINES:
        raise BankSampahError(
            _("Paling banyak %(max)s baris sekaligus.") % {"max": MAX_LINES}
        )


def set_waste_price(
    *,
    category: WasteCategory,
    valid_from: date,
    buy_price: int,
    sell_price: int,
    by,
) -> WastePrice:
    """Set the prices of a category from a date on; audited.

    Past deposits keep the price copied onto their lines, so this never
    re-prices history. Setting the same date again replaces that row.
    """
    for value in (buy_price, sell_price):
        if not isinstance(value, int) or value < 0 or value > MAX_AMOUNT:
            raise BankSampahError(_("Harga harus bilangan bulat Rupiah 0 atau lebih."))
    with transaction.atomic():
        previous = prices_in_force(on_date=valid_from).get(category.pk)
        before = (
            {
                "valid_from": previous.valid_from.isoformat(),
                "buy_price": previous.buy_price,
                "sell_price": previous.sell_price,
            }
            if previous
            else None
        )
        price, _created = WastePrice.objects.update_or_create(
            category=category,
            valid_from=valid_from,
            defaults={
                "buy_price": buy_price,
                "sell_price": sell_price,
                "set_by": user_or_none(by),
            },
        )
        record_audit(
            actor=by,
            action=AuditLog.Action.PRICE_CHANGE,
            target=price,
            before=before,
            after={
                "valid_from": valid_from.isoformat(),
                "buy_price": buy_price,
                "sell_price": sell_price,
            },
        )
    return price
