"""Branch report: numbers against hand-computed data, CSV and XLSX equal the page."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from banksampah.selectors import branch_report
from banksampah.services import (
    SaleLine,
    record_sale,
    record_withdrawal,
    reverse_deposit,
)
from pasar.dates import this_week
from tests.conftest import client_for
from tests.factories import MemberFactory

from .conftest import deposit

pytestmark = pytest.mark.django_db

MON, SUN = dt.date(2025, 3, 3), dt.date(2025, 3, 9)


@pytest.fixture
def week(posdaya, member, pet, kardus):
    second = MemberFactory(posdaya=posdaya, name="Ibu Budi")
    deposit(member, (pet, "2.5"), (kardus, "4"), on=dt.date(2025, 3, 8))  # 7500+6000
    deposit(second, (pet, "1.333"), on=dt.date(2025, 3, 9))  # 3999
    wrong = deposit(second, (kardus, "10"), on=dt.date(2025, 3, 9))  # reversed
    reverse_deposit(deposit=wrong, reason="Salah timbang", by=None)
    deposit(member, (pet, "100"), on=dt.date(2025, 3, 10))  # next week: out
    record_withdrawal(member=member, amount=5000, by=None, withdrawn_on=MON)
    record_sale(
        posdaya=posdaya,
        buyer_name="Pak Darto",
        lines=[SaleLine(pet, Decimal("3"))],
        by=None,
        sold_on=SUN,
    )  # 12.000
    return second


def test_report_numbers(posdaya, week):
    report = branch_report(posdaya=posdaya, start=MON, end=SUN)
    assert report.per_category == [
        {
            "category": "Botol plastik PET",
            "unit": "kg",
            "weight": Decimal("3.833"),
            "amount": 11_499,
        },
        {
            "category": "Kardus",
            "unit": "kg",
            "weight": Decimal("4.000"),
            "amount": 6000,
        },
    ]
    assert report.total_weight == Decimal("7.833")
    assert (report.credited, report.withdrawn, report.sold) == (17_499, 5000, 12_000)
    assert (report.deposit_count, report.depositor_count) == (2, 2)
    assert report.sold_weight == Decimal("3.000")
    assert report.top_depositors == [
        {
            "member__account_number": "BHG-07-0001",
            "member__name": "Ibu Siti Aminah",
            "amount": 13_500,
            "visits": 1,
        },
        {
            "member__account_number": "BHG-07-0002",
            "member__name": "Ibu Budi",
            "amount": 3999,
            "visits": 1,
        },
    ]


def test_page_csv_and_xlsx_show_the_same_numbers(posdaya, week, pengelola):
    client = client_for(pengelola)
    query = "?dari=2025-03-03&sampai=2025-03-09"
    page = client.get("/dasbor/bahagia/bank-sampah/laporan/" + query).content.decode()
    for text in (
        "Rp\xa017.499",
        "Rp\xa05.000",
        "Rp\xa012.000",
        "3,833\xa0kg",
        "Rp\xa011.499",
        "7,833\xa0kg",
    ):
        assert text in page
    response = client.get("/dasbor/bahagia/bank-sampah/laporan/csv/" + query)
    assert response["Content-Disposition"] == (
        'attachment; filename="bank-sampah-bahagia-20250303-20250309.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["Botol plastik PET", "kg", "3.833", "11499"] in rows
    assert ["Kardus", "kg", "4.000", "6000"] in rows
    assert ["Total", "", "7.833", "17499"] in rows
    assert ["Rupiah dikreditkan ke nasabah", "17499"] in rows
    assert ["Rupiah ditarik nasabah", "5000"] in rows
    assert ["Penjualan ke pengepul (Rp)", "12000"] in rows
    assert ["Nasabah yang menyetor", "2"] in rows
    assert ["BHG-07-0001", "Ibu Siti Aminah", "1", "13500"] in rows
    response = client.get("/dasbor/bahagia/bank-sampah/laporan/xlsx/" + query)
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Ringkasan", "Per jenis sampah", "Penyetor teratas"]
    values = [
        list(row)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
    ]
    assert ["Botol plastik PET", "kg", 3.833, 11499] in values
    assert ["Total", None, 7.833, 17499] in values
    assert ["Rupiah dikreditkan ke nasabah", 17499] in values
    assert ["Penjualan ke pengepul (Rp)", 12000] in values
    assert ["BHG-07-0001", "Ibu Siti Aminah", 1, 13500] in values


def test_default_range_is_this_week_and_bad_range_keeps_it(posdaya, pengelola):
    start, end = this_week(dt.date(2025, 3, 5))
    assert (start, end) == (MON, SUN)
    client = client_for(pengelola)
    response = client.get(
        "/dasbor/bahagia/bank-sampah/laporan/?dari=2025-03-09&sampai=2025-03-01"
    )
    assert response.status_code == 200
    assert "Tanggal awal harus sebelum tanggal akhir." in response.content.decode()
    response = client.get("/dasbor/bahagia/bank-sampah/laporan/?dari=kemarin")
    assert response.status_code == 200
