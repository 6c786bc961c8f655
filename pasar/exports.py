"""Tables that render on screen and export to CSV and XLSX with the same cells."""

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with one of these would be run as a formula by a spreadsheet
# (the fullwidth forms too: some spreadsheet imports fold them to ASCII).
FORMULA_PREFIXES = (
    "=",
    "+",
    "-",
    "@",
    "\t",
    "\r",
    "\uff1d",
    "\uff0b",
    "\uff0d",
    "\uff20",
)


@dataclass
class Sheet:
    """One table: a title, column headings and rows of plain values.

    Values are int (Rupiah, counts), Decimal (kg, 3 places), str or date: the
    screen formats them, the exports keep them as numbers.
    """

    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)


def safe_cell(value):
    """Return `value` as an export may write it: text can never run as a formula.

    The one writer every CSV and XLSX cell goes through (titles, headings and
    rows alike). Text that starts like a formula gets a leading apostrophe, the
    spreadsheet convention for "this is text"; numbers and dates pass unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _csv_value(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.3f}"
    return safe_cell("" if value is None else value)


def csv_response(sheets: list[Sheet], filename: str) -> HttpResponse:
    """Return the sheets as one CSV file, each after a title line."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read UTF-8
    writer = csv.writer(response)
    for index, sheet in enumerate(sheets):
        if index:
            writer.writerow([])
        writer.writerow([_csv_value(str(sheet.title))])
        writer.writerow([_csv_value(str(c)) for c in sheet.columns])
        for row in sheet.rows:
            writer.writerow([_csv_value(v) for v in row])
    return response


def xlsx_bytes(sheets: list[Sheet]) -> bytes:
    """Return an XLSX workbook with one worksheet per sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    used = set()
    for sheet in sheets:
        name = sheet.title[:31]
        for char in "[]:*?/\\":
            name = name.replace(char, " ")
        while name in used:
            name = name[:28] + f"~{len(used)}"
        used.add(name)
        worksheet = workbook.create_sheet(name)
        worksheet.append([_xlsx_value(str(c)) for c in sheet.columns])
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            worksheet.append([_xlsx_value(v) for v in row])
            for cell, value in zip(worksheet[worksheet.max_row], row, strict=False):
                if isinstance(value, Decimal):
                    cell.number_format = "0.000"
                elif isinstance(value, int) and not isinstance(value, bool):
                    cell.number_format = "#,##0"
        for column in worksheet.columns:
            width = max(len(str(c.value or "")) for c in column)
            worksheet.column_dimensions[column[0].column_letter].width = min(
                max(10, width + 2), 50
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, str):
        # openpyxl refuses control characters (a 500); drop them, then neutralise.
        return safe_cell(ILLEGAL_CHARACTERS_RE.sub("", value))
    return safe_cell(value)


def xlsx_response(sheets: list[Sheet], filename: str) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(sheets), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
