"""The induk's reports against a hand-built fortnight, to the rupiah."""

import datetime as dt
import io
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from banksampah.services import SaleLine, record_sale
from orders.services import cancel_suborder, mark_suborder_paid
from pasar.site import reports

from ..banksampah.conftest import deposit, kardus, pet  # noqa: F401 (fixtures)
from ..conftest import client_for, status_matrix
from ..factories import MemberFactory, PosdayaFactory, ProductFactory
from ..orders.conftest import make_order

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")
WEEK_A = dt.date(2026, 11, 16)  # Monday
WEEK_B = dt.date(2026, 11, 23)


def at(day, hour, minute=0):
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=JAKARTA)


def paid_cod(quantities, when):
    """A cash-on-delivery order whose sub-orders are paid at `when` (Jakarta)."""
    with mock.patch("django.utils.timezone.now", return_value=when):
        order = make_order(quantities, payment="bayar_di_tempat")
        for suborder in order.suborders.all():
            mark_suborder_paid(suborder=suborder, by=None)
    return order


@pytest.fixture
def fortnight(posdaya, other_posdaya, pet, pengelola):  # noqa: F811
    """Two weeks of sales and waste at two POSDAYA, computed by hand below."""
    tas = ProductFactory(posdaya=posdaya, price=25000, stock=50, name="Tas Kopi")
    vas = ProductFactory(posdaya=other_posdaya, price=15000, stock=50, name="Vas")
    paid_cod({tas: 2}, at(WEEK_A + dt.timedelta(days=1), 10))  # Tue: 50.000
    paid_cod({tas: 1, vas: 1}, at(WEEK_A + dt.timedelta(days=6), 23, 30))  # Sun late
    paid_cod({tas: 1}, at(WEEK_B, 0, 10))  # Monday just after midnight: week B
    cancelled = paid_cod({vas: 3}, at(WEEK_B + dt.timedelta(days=2), 9))
    cancel_suborder(suborder=cancelled.suborders.get(), by=pengelola, reason="Habis")
    make_order({vas: 1}, payment="bayar_di_tempat")  # never paid: not income
    joined = WEEK_A - dt.timedelta(days=30)
    member = MemberFactory(posdaya=posdaya, joined_on=joined)
    other_member = MemberFactory(posdaya=other_posdaya, joined_on=joined)
    deposit(member, (pet, "20"), on=WEEK_A)
    deposit(other_member, (pet, "10.5"), on=WEEK_A)
    record_sale(
        posdaya=posdaya,
        buyer_name="Pak Udin",
        lines=[SaleLine(category=pet, weight=Decimal("10"))],
        by=pengelola,
        sold_on=WEEK_A + dt.timedelta(days=5),
    )  # 10 kg × 4.000
    record_sale(
        posdaya=other_posdaya,
        buyer_name="Pak Udin",
        lines=[SaleLine(category=pet, weight=Decimal("5.25"), unit_price=4200)],
        by=pengelola,
        sold_on=WEEK_B + dt.timedelta(days=6),
    )  # 5.25 kg × 4.200 = 22.050
    return tas, vas


EXPECTED = {
    # slug: [(week A product, waste), (week B product, waste)]
    "bahagia": [(75000, 40000), (25000, 0)],
    "flamboyan": [(15000, 0), (0, 22050)],
}


def test_income_per_week_every_cell(fortnight, posdaya, other_posdaya):
    report = reports.income_per_week(start=WEEK_A, end=WEEK_B + dt.timedelta(days=6))
    assert report.weeks == [WEEK_A, WEEK_B]
    cells = {
        row.posdaya.slug: [(c.product, c.waste) for c in row.cells]
        for row in report.rows
    }
    assert cells == EXPECTED
    bahagia = report.rows[0]
    assert (bahagia.product, bahagia.waste, bahagia.total, bahagia.weekly_average) == (
        100000,
        40000,
        140000,
        70000,
    )
    assert [(c.product, c.waste) for c in report.week_totals()] == [
        (90000, 40000),
        (25000, 22050),
    ]
    assert report.total == 177050


def test_filter_by_posdaya_and_range(fortnight, posdaya):
    report = reports.income_per_week(start=WEEK_B, end=WEEK_B, posdaya=posdaya)
    assert [(r.posdaya.slug, r.product, r.waste) for r in report.rows] == [
        ("bahagia", 25000, 0)
    ]


def test_fixed_number_of_queries(fortnight, django_assert_num_queries):
    PosdayaFactory.create_batch(14)
    with django_assert_num_queries(3):
        reports.income_per_week(start=WEEK_A, end=WEEK_B + dt.timedelta(days=90))


def test_other_reports(fortnight):
    end = WEEK_B + dt.timedelta(days=6)
    categories = reports.sales_by_category(start=WEEK_A, end=end)
    assert [(r["quantity"], r["amount"]) for r in categories] == [
        (4, 100000),
        (1, 15000),
    ]
    top = reports.top_products(start=WEEK_A, end=end)
    assert [(r["product_name"], r["quantity"], r["amount"]) for r in top] == [
        ("Tas Kopi", 4, 100000),
        ("Vas", 1, 15000),
    ]
    waste = reports.waste_by_category(start=WEEK_A, end=end)
    assert [(r["deposit__posdaya__name"], r["weight"], r["amount"]) for r in waste] == [
        ("POSDAYA Bahagia", Decimal("20.000"), 60000),
        ("POSDAYA Flamboyan", Decimal("10.500"), 31500),
    ]


def test_page_and_exports_show_the_same_cells(fortnight, koordinator):
    client = client_for(koordinator)
    query = {"dari": "2026-11-16", "sampai": "2026-11-29"}
    page = client.get("/dasbor/induk/", query)
    assert page.status_code == 200
    html = page.content.decode()
    # Bahagia week A; on a phone the cell is labelled with its week.
    assert 'data-total="115000" data-label="16-11-2026"><div>Rp\xa0115.000<br>' in html
    assert 'data-col="total">Rp\xa0140.000<' in html
    assert 'data-col="total">Rp\xa0177.050<' in html
    workbook = load_workbook(
        io.BytesIO(client.get("/dasbor/induk/ekspor/pendapatan.xlsx", query).content)
    )
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:4] == (
        "POSDAYA",
        "16-11-2026 produk",
        "16-11-2026 sampah",
        "16-11-2026 total",
    )
    assert rows[1] == (
        "POSDAYA Bahagia",
        75000,
        40000,
        115000,
        25000,
        0,
        25000,
        100000,
        40000,
        140000,
    )
    assert rows[2] == (
        "POSDAYA Flamboyan",
        15000,
        0,
        15000,
        0,
        22050,
        22050,
        15000,
        22050,
        37050,
    )
    assert rows[3] == (
        "Jumlah",
        90000,
        40000,
        130000,
        25000,
        22050,
        47050,
        115000,
        62050,
        177050,
    )
    csv_text = client.get("/dasbor/induk/ekspor/pendapatan.csv", query).content
    assert "POSDAYA Bahagia,75000,40000,115000,25000,0,25000,100000,40000,140000" in (
        csv_text.decode("utf-8-sig")
    )
    everything = load_workbook(
        io.BytesIO(client.get("/dasbor/induk/ekspor/semua.xlsx", query).content)
    )
    assert everything.sheetnames == [
        "Pendapatan per minggu",
        "Penjualan per kategori",
        "Produk terlaris",
        "Pesanan per status",
        "Sampah per jenis per POSDAYA",
    ]


def test_bad_filters_show_a_message_and_default_report(koordinator):
    client = client_for(koordinator)
    for query, message in [
        ({"dari": "2026-11-30", "sampai": "2026-11-01"}, "Tanggal awal harus sebelum"),
        ({"dari": "2024-01-01", "sampai": "2026-01-01"}, "paling lama satu tahun"),
        ({"dari": "kemarin", "sampai": "2026-01-01"}, "Masukkan tanggal yang valid"),
        (
            {"dari": "2026-11-01", "sampai": "2026-11-02", "posdaya": "zz"},
            "Masukkan pilihan",
        ),
    ]:
        response = client.get("/dasbor/induk/", query)
        assert response.status_code == 200
        assert message in response.content.decode()
        assert len(response.context["income"].weeks) == 12
    assert client.get("/dasbor/induk/ekspor/pendapatan.pdf").status_code == 404
    assert client.get("/dasbor/induk/ekspor/rahasia.csv").status_code == 404


def test_induk_matrix(actors):
    for url in ("/dasbor/induk/", "/dasbor/induk/ekspor/pendapatan.xlsx"):
        assert status_matrix(actors, url) == {
            "anonymous": "login",
            "shopper": 404,
            "other_staff": 404,
            "own_staff": 404,
            "koordinator": 200,
        }, url


def test_week_at_a_glance_for_induk_and_branch(fortnight, posdaya, pengelola, pet):  # noqa: F811
    today = WEEK_B + dt.timedelta(days=3)
    MemberFactory(posdaya=posdaya, joined_on=today)
    deposit(MemberFactory(posdaya=posdaya, joined_on=today), (pet, "2.5"), on=today)
    tas, vas = fortnight
    with mock.patch("django.utils.timezone.now", return_value=at(today, 12)):
        glance = reports.week_at_a_glance()
        branch = reports.week_at_a_glance(posdaya=posdaya)
        page = client_for(pengelola).get(f"/dasbor/{posdaya.slug}/")
    assert (glance.start, glance.end) == (WEEK_B, WEEK_B + dt.timedelta(days=6))
    assert (glance.sales, glance.waste_weight, glance.waste_amount) == (
        25000,
        Decimal("2.500"),
        7500,
    )
    assert glance.new_members == 2
    # Paid, not yet moved: three Bahagia parts, one Flamboyan; never-paid COD too;
    # an unpaid transfer order is not work yet.
    make_order({tas: 1}, payment="transfer")
    with mock.patch("django.utils.timezone.now", return_value=at(today, 12)):
        glance = reports.week_at_a_glance()
    assert (glance.awaiting_fulfilment, branch.awaiting_fulfilment) == (5, 3)
    assert (branch.sales, branch.new_members) == (25000, 2)
    html = page.content.decode()
    assert 'data-kpi="sales">Rp\xa025.000<' in html
    type(tas).objects.filter(pk=tas.pk).update(stock=1)
    low = client_for(pengelola).get(f"/dasbor/{posdaya.slug}/").content.decode()
    assert f'data-stock="{tas.slug}">1<' in low
    assert vas.slug not in low


def test_report_range_inputs_render_iso_dates(koordinator):
    """A date input shows only ISO values; 01-12-2026 typed by hand comes back ISO."""
    client = client_for(koordinator)
    with mock.patch("django.utils.timezone.now", return_value=at(WEEK_B, 12)):
        html = client.get("/dasbor/induk/").content.decode()
    start = WEEK_B - dt.timedelta(weeks=11)
    assert f'type="date" name="dari" value="{start:%Y-%m-%d}"' in html
    assert (
        f'type="date" name="sampai" value="{WEEK_B + dt.timedelta(days=6):%Y-%m-%d}"'
        in html
    )
    typed = client.get("/dasbor/induk/", {"dari": "01-12-2026", "sampai": "31/12/2026"})
    html = typed.content.decode()
    assert 'type="date" name="dari" value="2026-12-01"' in html
    assert 'type="date" name="sampai" value="2026-12-31"' in html
    assert (typed.context["filters"]["start"], typed.context["filters"]["end"]) == (
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 31),
    )
    bad = client.get("/dasbor/induk/", {"dari": "kemarin", "sampai": "2026-12-31"})
    assert 'type="date" name="dari" value="kemarin"' in bad.content.decode()


def test_audit_filter_dates_render_iso(koordinator):
    client = client_for(koordinator)
    response = client.get(
        "/dasbor/induk/audit/", {"date_from": "01-05-2026", "date_to": "2026-05-02"}
    )
    html = response.content.decode()
    assert 'type="date" name="date_from" value="2026-05-01"' in html
    assert 'type="date" name="date_to" value="2026-05-02"' in html
    assert response.context["filter_form"].cleaned_data["date_from"] == dt.date(
        2026, 5, 1
    )
