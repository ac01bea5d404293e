"""Spreadsheet exports that cannot carry a formula (CSV and formula injection).

A title or a name typed by a user, such as ``=HYPERLINK("http://evil", "click")``, must
stay text when an export is opened in Excel or LibreOffice:

- in XLSX, openpyxl turns a string that starts with ``=`` into a formula; :func:`neutralise_sheet`
  stores every such cell as text again (the value itself is unchanged, so a re-import
  round-trips);
- in CSV, a spreadsheet program evaluates any cell starting with ``=``, ``+``, ``-``, ``@``,
  a tab or a carriage return; :func:`csv_cell` puts an apostrophe in front (the usual
  spreadsheet escape, shown by no program), and :func:`csv_import_cell` removes it again when
  our own importers read such a file back.

CSV is written for Belgian spreadsheet users: a semicolon between cells (Excel in Dutch and
French expects it, since the comma is the decimal sign), CRLF line ends and a UTF-8 byte
order mark, without which Excel reads accents as Windows-1252. Our importers accept both
separators.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from typing import Any

from memorandum.lib.files import with_fixed_zip_dates
from memorandum.lib.text import printable

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def csv_cell(value: Any) -> Any:
    """The value as a CSV cell that no spreadsheet program evaluates."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return ESCAPE + value
    return value


def csv_import_cell(value: Any) -> Any:
    """Undo :func:`csv_cell` on a cell read from a CSV file."""
    if isinstance(value, str) and value[:1] == ESCAPE and value[1:2] in FORMULA_TRIGGERS:
        return value[1:]
    return value


CSV_DELIMITER = ";"
BOM = "\ufeff"


class SafeCSVWriter:
    """``csv.writer`` whose rows are neutralised cell by cell (``;`` and CRLF by default)."""

    def __init__(self, buffer, **kwargs):
        kwargs.setdefault("delimiter", CSV_DELIMITER)
        kwargs.setdefault("lineterminator", "\r\n")
        self._writer = csv.writer(buffer, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([csv_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_bytes(header: Iterable[Any], rows: Iterable[Iterable[Any]]) -> bytes:
    """A whole CSV export: UTF-8 with a BOM, ``;`` between cells, formulas neutralised."""
    buffer = io.StringIO()
    writer = SafeCSVWriter(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return (BOM + buffer.getvalue()).encode("utf-8")


def xlsx_row(values: Iterable[Any]) -> list[Any]:
    """A row for ``sheet.append`` without characters XLSX cannot hold."""
    return [printable(v) if isinstance(v, str) else v for v in values]


def neutralise_sheet(sheet) -> None:
    """Store as text every cell openpyxl would write as a formula (header included)."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"


def neutralise_workbook(workbook) -> None:
    for sheet in workbook.worksheets:
        neutralise_sheet(sheet)


def workbook_bytes(workbook) -> bytes:
    """An openpyxl workbook as XLSX bytes; fixed dates, so the same data gives the same file."""
    output = io.BytesIO()
    workbook.properties.created = workbook.properties.modified = datetime.datetime(2000, 1, 1)
    workbook.save(output)
    return with_fixed_zip_dates(output.getvalue())
