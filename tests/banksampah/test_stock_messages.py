"""Waste stock refusals name the weights with their unit, in the user's language."""

from decimal import Decimal

import pytest
from django.utils import translation

from banksampah.models import WasteStockMovement
from banksampah.services import BankSampahError, SaleLine, record_sale

from .conftest import deposit


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (
            "id",
            "Stok Botol plastik PET tidak cukup: tersedia 639,250\xa0kg, "
            "diminta 700,000\xa0kg.",
        ),
        (
            "en",
            "Not enough Botol plastik PET in stock: 639.250\xa0kg available, "
            "700.000\xa0kg requested.",
        ),
    ],
)
def test_sale_above_stock_says_kilograms(posdaya, member, pet, language, message):
    deposit(member, (pet, "639.25"))
    moves = WasteStockMovement.objects.count()
    with translation.override(language), pytest.raises(BankSampahError) as error:
        record_sale(
            posdaya=posdaya,
            buyer_name="Pak Udin",
            lines=[SaleLine(pet, Decimal("700"))],
            by=None,
        )
    assert str(error.value) == message
    assert WasteStockMovement.objects.count() == moves


def test_litres_stay_litres(posdaya, member, db):
    from tests.factories import WasteCategoryFactory, WastePriceFactory

    oil = WasteCategoryFactory(name="Minyak jelantah", slug="minyak", unit="liter")
    WastePriceFactory(category=oil, buy_price=4000, sell_price=6000)
    deposit(member, (oil, "2.5"))
    with pytest.raises(BankSampahError) as error:
        record_sale(
            posdaya=posdaya,
            buyer_name="Pak Udin",
            lines=[SaleLine(oil, Decimal("3"))],
            by=None,
        )
    assert str(error.value) == (
        "Stok Minyak jelantah tidak cukup: tersedia 2,500\xa0liter, "
        "diminta 3,000\xa0liter."
    )


def test_the_line_limit_is_grouped(posdaya, member, pet):
    with pytest.raises(BankSampahError) as error:
        deposit(member, (pet, "1000.001"))
    assert str(error.value) == "Berat satu baris paling banyak 1.000,000."
