"""CSV/XLSX exports hold the same cells; formulas are neutralised; SVG charts."""

import csv
import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from pasar.charts import Series, horizontal_bars
from pasar.exports import Sheet, csv_response, xlsx_bytes

SHEETS = [
    Sheet(
        "Pendapatan",
        ["POSDAYA", "Minggu", "Rupiah", "Berat (kg)"],
        [
            ["POSDAYA Bahagia", date(2026, 11, 23), 1250000, Decimal("12.500")],
            ['=HYPERLINK("x")', date(2026, 11, 23), 0, Decimal("0.000")],
        ],
    ),
    Sheet("Kosong", ["A"], []),
]


def test_csv_holds_every_cell_and_neutralises_formulas():
    response = csv_response(SHEETS, "laporan")
    assert response["Content-Disposition"] == 'attachment; filename="laporan.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows == [
        ["Pendapatan"],
        ["POSDAYA", "Minggu", "Rupiah", "Berat (kg)"],
        ["POSDAYA Bahagia", "2026-11-23", "1250000", "12.500"],
        ['\'=HYPERLINK("x")', "2026-11-23", "0", "0.000"],
        [],
        ["Kosong"],
        ["A"],
    ]


def test_xlsx_holds_numbers_as_numbers():
    workbook = load_workbook(io.BytesIO(xlsx_bytes(SHEETS)))
    assert workbook.sheetnames == ["Pendapatan", "Kosong"]
    rows = list(workbook["Pendapatan"].iter_rows(values_only=True))
    assert rows[0] == ("POSDAYA", "Minggu", "Rupiah", "Berat (kg)")
    assert rows[1][0] == "POSDAYA Bahagia"
    assert rows[1][2] == 1250000
    assert rows[1][3] == 12.5
    assert rows[2][0] == '\'=HYPERLINK("x")'


def test_bar_chart_svg_scales_to_largest_total():
    svg = horizontal_bars(
        ["A", "B"],
        [Series("Produk", [100, 50]), Series("Sampah", [100, 0])],
        title="Pendapatan",
    )
    assert svg.startswith('<svg class="chart"')
    assert 'aria-label="Pendapatan"' in svg
    assert 'width="150.0"' in svg  # 100 of 200 → half of 300 px
    assert 'width="75.0"' in svg  # 50 of 200
    assert svg.count("<rect") == 2 + 3  # legend + three non-empty segments
