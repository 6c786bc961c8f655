"""Validation shared by the services: the domain error, limits, weighed lines."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from pasar.errors import DomainError
from pasar.money import KG_QUANTUM, format_kg

from ..models import WasteCategory

# A sane ceiling for one weighed line: nobody carries a tonne of bottles in.
MAX_LINE_WEIGHT = Decimal("1000.000")
MAX_LINES = 30
# Ceiling of one withdrawal or sale line price, against typing slips.
MAX_AMOUNT = 100_000_000


class BankSampahError(DomainError):
    """A refused bank sampah operation; the message is for the user."""


def same_posdaya(row, posdaya):
    """Return `row` found by a one-time key, refusing one of another POSDAYA."""
    if row is not None and row.posdaya_id != posdaya.pk:
        raise BankSampahError(
            _("Formulir ini sudah dipakai di POSDAYA lain. Muat ulang halaman.")
        )
    return row


@dataclass(frozen=True)
class WeighedLine:
    """One line as entered: a category and a weight in its unit."""

    category: WasteCategory
    weight: Decimal


@dataclass(frozen=True)
class PricedLine:
    """A line valued with the price in force: what the receipt will show."""

    category: WasteCategory
    weight: Decimal
    unit_price: int
    amount: int


def check_weight(weight) -> Decimal:
    """Return the weight as a Decimal with three places, or refuse it."""
    try:
        value = Decimal(str(weight))
    except (ArithmeticError, ValueError, TypeError):
        raise BankSampahError(_("Berat harus berupa angka.")) from None
    if not value.is_finite():
        raise BankSampahError(_("Berat harus berupa angka."))
    if value <= 0:
        raise BankSampahError(_("Berat harus lebih dari 0."))
    if value > MAX_LINE_WEIGHT:
        raise BankSampahError(
            _("Berat satu baris paling banyak %(max)s.")
            % {"max": format_kg(MAX_LINE_WEIGHT, "")}
        )
    if value != value.quantize(KG_QUANTUM):
        raise BankSampahError(_("Berat paling banyak 3 angka di belakang koma."))
    return value.quantize(KG_QUANTUM)


def user_or_none(by):
    """Return the signed-in user to record as `by`, or None."""
    return by if by is not None and by.is_authenticated else None
