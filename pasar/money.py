"""Money in integer Rupiah and weights in kg with three decimals.

Figures are formatted in the active language's way (Django's locale formats:
Indonesian `Rp 25.000` and `1.234,500 kg`, English `Rp 25,000` and
`1,234.500 kg`) and held together with no-break spaces, so a phone never
wraps `Rp` away from its number or a figure away from its unit.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format

KG_QUANTUM = Decimal("0.001")
NBSP = "\N{NO-BREAK SPACE}"


def format_rupiah(amount: int | None) -> str:
    """Format integer Rupiah for the active language: `Rp 25.000`, `-Rp 5.000`."""
    if amount is None:
        return "-"
    sign = "-" if amount < 0 else ""
    grouped = number_format(abs(int(amount)), force_grouping=True)
    return f"{sign}Rp{NBSP}{grouped}"


def format_kg(weight: Decimal | int | str | None, unit: str = "kg") -> str:
    """Format a weight with three decimals and grouping: `29.071,700 kg`.

    `unit` names another unit for the few waste categories not weighed in kg
    (cooking oil in litres): `3,500 liter`; an empty one writes the number alone.
    """
    value = Decimal(0) if weight in (None, "") else Decimal(weight)
    grouped = number_format(value, decimal_pos=3, force_grouping=True)
    return f"{grouped}{NBSP}{unit}" if unit else grouped


def rupiah_for_weight(weight_kg: Decimal, price_per_unit: int) -> int:
    """Value of a weighed line, rounded once to whole Rupiah (half up)."""
    return int((Decimal(weight_kg) * price_per_unit).quantize(0, ROUND_HALF_UP))
