"""Money in integer Rupiah and weights in kg with three decimals."""

from decimal import ROUND_HALF_UP, Decimal

KG_QUANTUM = Decimal("0.001")


def format_rupiah(amount: int | None) -> str:
    """Format integer Rupiah the Indonesian way: `Rp 25.000`, `-Rp 5.000`."""
    if amount is None:
        return "-"
    sign = "-" if amount < 0 else ""
    grouped = f"{abs(int(amount)):,}".replace(",", ".")
    return f"{sign}Rp {grouped}"


def rupiah_for_weight(weight_kg: Decimal, price_per_unit: int) -> int:
    """Value of a weighed line, rounded once to whole Rupiah (half up)."""
    return int((Decimal(weight_kg) * price_per_unit).quantize(0, ROUND_HALF_UP))
