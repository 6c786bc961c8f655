"""CSV and XLSX downloads of the branch report: the same numbers as the page."""

import csv
import io

from django.http import HttpResponse
from django.utils.translation import gettext as _

from .selectors import BranchReport

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_rows(*, posdaya, report: BranchReport) -> list[list]:
    """Return the report as rows of plain values (numbers stay numbers)."""
    rows: list[list] = [
        [_("Laporan bank sampah"), posdaya.name],
        [_("Dari"), report.start.isoformat()],
        [_("Sampai"), report.end.isoformat()],
        [],
        [_("Jenis sampah"), _("Satuan"), _("Berat"), _("Jumlah (Rp)")],
    ]
    rows += [
        [row["category"], row["unit"], row["weight"], row["amount"]]
        for row in report.per_category
    ]
    rows += [
        [_("Total"), "", report.total_weight, report.credited],
        [],
        [_("Rupiah dikreditkan ke nasabah"), report.credited],
        [_("Rupiah ditarik nasabah"), report.withdrawn],
        [_("Penjualan ke pengepul (Rp)"), report.sold],
        [_("Berat dijual ke pengepul"), report.sold_weight],
        [_("Jumlah setoran"), report.deposit_count],
        [_("Nasabah yang menyetor"), report.depositor_count],
        [],
        [_("Penyetor teratas"), _("Nama"), _("Setoran"), _("Jumlah (Rp)")],
    ]
    rows += [
        [
            row["member__account_number"],
            row["member__name"],
            row["visits"],
            row["amount"],
        ]
        for row in report.top_depositors
    ]
    return rows


def _filename(posdaya, report, ext):
    return f"bank-sampah-{posdaya.slug}-{report.start:%Y%m%d}-{report.end:%Y%m%d}.{ext}"


def report_csv(*, posdaya, report: BranchReport) -> HttpResponse:
    """Return the report as a CSV download (weights with a dot, 3 decimals)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename(posdaya, report, "csv")}"'
    )
    writer = csv.writer(response)
    for row in report_rows(posdaya=posdaya, report=report):
        writer.writerow(row)
    return response


def report_xlsx(*, posdaya, report: BranchReport) -> HttpResponse:
    """Return the report as an XLSX workbook (numbers as numbers)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Laporan")[:31]
    for row in report_rows(posdaya=posdaya, report=report):
        sheet.append([float(v) if hasattr(v, "as_tuple") else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename(posdaya, report, "xlsx")}"'
    )
    return response
