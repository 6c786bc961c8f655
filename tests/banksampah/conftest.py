"""Fixtures of the bank sampah tests: categories with prices, members, helpers."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest

from banksampah.services import WeighedLine, record_deposit
from tests.factories import MemberFactory, WasteCategoryFactory, WastePriceFactory


@pytest.fixture
def pet(db):
    category = WasteCategoryFactory(
        name="Botol plastik PET", slug="plastik-pet", order=1
    )
    WastePriceFactory(
        category=category,
        valid_from=dt.date(2024, 1, 1),
        buy_price=3000,
        sell_price=4000,
    )
    return category


@pytest.fixture
def kardus(db):
    category = WasteCategoryFactory(
        name="Kardus", slug="kardus", group="kertas", order=2
    )
    WastePriceFactory(
        category=category,
        valid_from=dt.date(2024, 1, 1),
        buy_price=1500,
        sell_price=2000,
    )
    return category


@pytest.fixture
def member(posdaya):
    return MemberFactory(posdaya=posdaya, name="Ibu Siti Aminah")


@pytest.fixture
def other_member(other_posdaya):
    return MemberFactory(posdaya=other_posdaya, name="Ibu Lain")


def deposit(member, *lines, by=None, key=None, on=None):
    """Record a deposit of (category, "weight") pairs through the service."""
    return record_deposit(
        member=member,
        lines=[WeighedLine(category=c, weight=Decimal(w)) for c, w in lines],
        by=by,
        idempotency_key=key or uuid.uuid4(),
        weighed_on=on,
    )
