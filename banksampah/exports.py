"""CSV and XLSX downloads of the branch report: the same numbers as the page."""

from django.http import HttpResponse
from django.utils.translation import gettext as _

from pasar.exports import Sheet, csv_response, xlsx_response

from .selectors import BranchReport


def report_sheets(*, posdaya, report: BranchReport) -> list[Sheet]:
    """Return the report as sheets of plain values (numbers stay numbers)."""
    summary = Sheet(
        _("Ringkasan"),
        [_("Laporan bank sampah"), posdaya.name],
        [
            [_("Dari"), report.start],
            [_("Sampai"), report.end],
            [_("Rupiah dikreditkan ke nasabah"), report.credited],
            [_("Rupiah ditarik nasabah"), report.withdrawn],
            [_("Belanja nasabah dari tabungan (Rp)"), report.shopped],
            [_("Penjualan ke pengepul (Rp)"), report.sold],
            [_("Berat dijual ke pengepul"), report.sold_weight],
            [_("Jumlah setoran"), report.deposit_count],
            [_("Nasabah yang menyetor"), report.depositor_count],
        ],
    )
    per_category = Sheet(
        _("Per jenis sampah"),
        [_("Jenis sampah"), _("Satuan"), _("Berat"), _("Jumlah (Rp)")],
        [
            *(
                [row["category"], row["unit"], row["weight"], row["amount"]]
                for row in report.per_category
            ),
            [_("Total"), "", report.total_weight, report.credited],
        ],
    )
    top = Sheet(
        _("Penyetor teratas"),
        [_("Nomor rekening"), _("Nama"), _("Setoran"), _("Jumlah (Rp)")],
        [
            [
                row["member__account_number"],
                row["member__name"],
                row["visits"],
                row["amount"],
            ]
            for row in report.top_depositors
        ],
    )
    return [summary, per_category, top]


def _filename(posdaya, report) -> str:
    return f"bank-sampah-{posdaya.slug}-{report.start:%Y%m%d}-{report.end:%Y%m%d}"


def report_csv(*, posdaya, report: BranchReport) -> HttpResponse:
    """Return the report as a CSV download (weights with a dot, 3 decimals)."""
    sheets = report_sheets(posdaya=posdaya, report=report)
    return csv_response(sheets, _filename(posdaya, report))


def report_xlsx(*, posdaya, report: BranchReport) -> HttpResponse:
    """Return the report as an XLSX workbook (numbers as numbers)."""
    sheets = report_sheets(posdaya=posdaya, report=report)
    return xlsx_response(sheets, _filename(posdaya, report))
