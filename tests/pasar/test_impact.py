"""The impact page: every figure from the ledgers, by hand."""

import datetime as dt
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from banksampah.services import record_production_use, reverse_deposit
from orders.services import advance_suborder, mark_suborder_paid
from pasar.site.impact import compute_impact

from ..banksampah.conftest import deposit, pet  # noqa: F401 (fixture)
from ..factories import (
    MemberFactory,
    ProductFactory,
    ProductMaterialFactory,
    WasteCategoryFactory,
    WastePriceFactory,
)
from ..orders.conftest import make_order

pytestmark = pytest.mark.django_db
JAKARTA = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def jelantah(db):
    category = WasteCategoryFactory(
        name="Minyak jelantah", slug="minyak-jelantah", unit="liter", group="lainnya"
    )
    WastePriceFactory(category=category, buy_price=4000, sell_price=6000)
    return category


@pytest.fixture
def history(posdaya, other_posdaya, pet, jelantah, pengelola):  # noqa: F811
    member = MemberFactory(posdaya=posdaya)
    deposit(member, (pet, "12.5"), (jelantah, "2"), on=dt.date(2026, 10, 10))
    wrong = deposit(member, (pet, "100"), on=dt.date(2026, 10, 11))
    reverse_deposit(deposit=wrong, reason="Salah timbang", by=pengelola)
    deposit(MemberFactory(posdaya=other_posdaya), (pet, "3"), on=dt.date(2026, 11, 7))
    record_production_use(
        posdaya=posdaya,
        category=pet,
        weight=Decimal("4.2"),
        by=pengelola,
        used_on=dt.date(2026, 11, 2),
    )
    tas = ProductFactory(posdaya=posdaya, price=25000, stock=20)
    ProductMaterialFactory(product=tas, waste_category=pet, kg_per_unit="0.350")
    ProductMaterialFactory(product=tas, waste_category=jelantah, kg_per_unit="1.000")
    when = dt.datetime(2026, 11, 3, 10, tzinfo=JAKARTA)
    with mock.patch("django.utils.timezone.now", return_value=when):
        order = make_order({tas: 3}, payment="bayar_di_tempat")
        suborder = order.suborders.get()
        mark_suborder_paid(suborder=suborder, by=pengelola)
        for state in ("diproses", "siap_diambil", "selesai"):
            advance_suborder(suborder=suborder, to_status=state, by=pengelola)
    make_order({tas: 5}, payment="bayar_di_tempat")  # unpaid: no impact yet


def test_impact_figures_from_the_ledgers(history, posdaya, other_posdaya):
    result = compute_impact()
    overall = result.overall
    assert overall.collected_kg == Decimal("15.500")  # reversed 100 kg left out
    assert overall.collected_liter == Decimal("2.000")
    assert overall.in_products_kg == Decimal("1.050")  # 3 × 0.350 kg PET
    assert overall.production_kg == Decimal("4.200")
    assert overall.paid_bank == 12500 * 3 + 2 * 4000 + 3 * 3000  # 37.500+8.000+9.000
    assert overall.paid_products == 75000
    per = {p.slug: f for p, f in result.per_posdaya}
    assert (per["bahagia"].collected_kg, per["bahagia"].paid_total) == (
        Decimal("12.500"),
        37500 + 8000 + 75000,
    )
    assert (per["flamboyan"].collected_kg, per["flamboyan"].paid_total) == (
        Decimal("3.000"),
        9000,
    )
    months = dict(result.per_month)
    assert list(months) == [dt.date(2026, 11, 1), dt.date(2026, 10, 1)]
    assert months[dt.date(2026, 10, 1)].collected_kg == Decimal("12.500")
    assert months[dt.date(2026, 11, 1)].paid_products == 75000


def test_impact_page_and_home_headline(history, client):
    html = client.get("/dampak/").content.decode()
    assert 'data-impact="collected">15,500\xa0kg<' in html
    assert 'data-impact="paid-products">Rp\xa075.000<' in html
    assert "+ 2,0 liter minyak jelantah" in html
    home = client.get("/").content.decode()
    assert 'data-impact="in-products">1,050\xa0kg<' in home


def test_impact_runs_a_fixed_number_of_queries(history, django_assert_num_queries):
    with django_assert_num_queries(6):
        compute_impact()
