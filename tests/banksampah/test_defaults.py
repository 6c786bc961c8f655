"""The default waste categories and their starting prices, added by the koordinator."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from banksampah.models import WasteCategory, WastePrice
from banksampah.selectors import prices_in_force
from banksampah.services import (
    DEFAULT_WASTE_CATEGORIES,
    add_default_waste_categories,
)
from pasar.models import AuditLog

from ..conftest import KOORDINATOR_ONLY, client_for, race, status_matrix
from ..factories import WasteCategoryFactory

pytestmark = pytest.mark.django_db

URL = "/dasbor/induk/jenis-sampah/bawaan/"


def test_only_the_koordinator_adds_them(actors):
    assert status_matrix(actors, URL, "post") == dict(KOORDINATOR_ONLY, koordinator=302)
    assert WasteCategory.objects.count() == 11
    assert actors.koordinator.get(URL).status_code == 405


def test_each_gets_its_price_from_today_audited(koordinator):
    today = timezone.localdate()
    response = client_for(koordinator).post(URL, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "11 jenis sampah bawaan ditambahkan beserta harganya."
    ]
    prices = prices_in_force(on_date=today)
    got = [
        (
            c.slug,
            c.name,
            c.group,
            c.unit,
            prices[c.pk].buy_price,
            prices[c.pk].sell_price,
        )
        for c in WasteCategory.objects.order_by("order")
    ]
    assert got == DEFAULT_WASTE_CATEGORIES
    assert set(WastePrice.objects.values_list("valid_from", flat=True)) == {today}
    assert AuditLog.objects.filter(action=AuditLog.Action.PRICE_CHANGE).count() == 11
    assert "/dasbor/induk/jenis-sampah/bawaan/" not in response.content.decode()


def test_existing_categories_and_prices_are_left_alone(koordinator):
    kardus = WasteCategoryFactory(name="Kardus bekas", slug="kardus", order=1)
    WasteCategoryFactory(name="botol kaca", slug="kaca-botol", order=2)
    page = client_for(koordinator).get("/dasbor/induk/harga-sampah/").content.decode()
    assert "Tambahkan 9 jenis sampah bawaan" in page
    assert "Aluminium: beli Rp\xa010.000, jual Rp\xa013.000 per kg" in page
    on = dt.date(2026, 11, 2)
    assert add_default_waste_categories(by=koordinator, valid_from=on) == 9
    assert WasteCategory.objects.count() == 11
    kardus.refresh_from_db()
    assert kardus.name == "Kardus bekas"
    assert not WastePrice.objects.filter(category=kardus).exists()
    assert add_default_waste_categories(by=koordinator, valid_from=on) == 0
    assert WastePrice.objects.count() == 9


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent PostgreSQL sessions"
)
@pytest.mark.django_db(transaction=True)
def test_racing_clicks_create_each_default_once(koordinator):
    created, errors = race(
        lambda: add_default_waste_categories(
            by=koordinator, valid_from=dt.date(2026, 11, 2)
        )
    )
    assert errors == []
    assert sum(created) == 11
    assert WasteCategory.objects.count() == 11
    assert WastePrice.objects.count() == 11
    assert AuditLog.objects.filter(action=AuditLog.Action.PRICE_CHANGE).count() == 11
