"""Reading uploaded files into rows numbered as the user sees them."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

from django.utils.translation import gettext as _

from memorandum.catalogue.exchange.formats import (
    COLUMNS,
    FORMAT,
    TABLE_ORDER,
    ImportFileError,
    Issue,
)

Rows = list[tuple[int, dict[str, Any]]]


def read_file(name: str, content: bytes) -> tuple[dict[str, Any] | None, dict[str, Rows]]:
    """Turn an uploaded file into (edition header or None, {table: [(row number, row)]})."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix == "json":
        return _read_json(content)
    if suffix == "xlsx":
        return None, _read_xlsx(content)
    if suffix == "csv":
        return None, {"recommendations": _read_csv(content)}
    raise ImportFileError(
        [Issue(name, None, None, _("Unknown file type: use a .xlsx, .csv or .json file."))]
    )


def _decode(content: bytes, table: str) -> str:
    try:
        return content.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a byte-order mark
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise ImportFileError(
            [
                Issue(
                    table,
                    line,
                    None,
                    _(
                        "The file is not in UTF-8 (byte %(byte)s cannot be read). It was probably saved as "
                        "“CSV” in Latin-1/Windows-1252; in Excel choose “CSV UTF-8 (comma delimited)” and try again."
                    )
                    % {"byte": hex(content[error.start])},
                )
            ]
        ) from error


def _read_csv(content: bytes) -> Rows:
    text = _decode(content, "recommendations")
    if not text.strip():
        raise ImportFileError([Issue("recommendations", None, None, _("The file is empty."))])
    first_line = text.splitlines()[0]
    # Excel in Belgium writes ";" as the separator; pick the one the header line uses.
    delimiter = max([",", ";", "\t"], key=first_line.count)
    try:
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        lines = list(reader)
    except csv.Error as error:
        raise ImportFileError(
            [
                Issue(
                    "recommendations",
                    None,
                    None,
                    _("The CSV file cannot be read: %(error)s") % {"error": error},
                )
            ]
        ) from error
    return _rows_from_grid("recommendations", lines)


def _rows_from_grid(table: str, grid: list[list[Any]]) -> Rows:
    if not grid:
        return []
    header = [str(h or "").strip().lower() for h in grid[0]]
    rows: Rows = []
    for index, values in enumerate(grid[1:], start=2):
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        row = {header[i]: values[i] for i in range(min(len(header), len(values))) if header[i]}
        extra = [v for v in values[len(header) :] if v not in (None, "")]
        if extra:
            row["__extra__"] = extra
        rows.append((index, row))
    rows.insert(0, (1, {"__header__": header}))
    return rows


def _read_xlsx(content: bytes) -> dict[str, Rows]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise ImportFileError(
            [Issue("xlsx", None, None, _("This is not a readable Excel (.xlsx) file."))]
        ) from error
    tables: dict[str, Rows] = {}
    for sheet in workbook.worksheets:
        name = sheet.title.strip().lower()
        if name not in COLUMNS:
            continue
        tables[name] = _rows_from_grid(name, [list(r) for r in sheet.iter_rows(values_only=True)])
    if not tables:
        raise ImportFileError(
            [
                Issue(
                    "xlsx",
                    None,
                    None,
                    _("No sheet has a known name; expected: %(names)s.")
                    % {"names": ", ".join(TABLE_ORDER)},
                )
            ]
        )
    return tables


def _read_json(content: bytes) -> tuple[dict[str, Any] | None, dict[str, Rows]]:
    try:
        document = json.loads(_decode(content, "json"))
    except json.JSONDecodeError as error:
        raise ImportFileError(
            [
                Issue(
                    "json",
                    error.lineno,
                    None,
                    _("Invalid JSON: %(msg)s (column %(col)s).")
                    % {"msg": error.msg, "col": error.colno},
                )
            ]
        ) from error
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportFileError(
            [
                Issue(
                    "json",
                    None,
                    "format",
                    _("This is not a catalogue file (expected “format”: “%(format)s”).")
                    % {"format": FORMAT},
                )
            ]
        )
    tables: dict[str, Rows] = {}
    for name in TABLE_ORDER:
        if name not in document:
            continue
        items = document[name]
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise ImportFileError([Issue(name, None, None, _("Expected a list of objects."))])
        # Rows are numbered from 1 in JSON: the position in the list.
        rows: Rows = [
            (0, {"__header__": sorted({k for item in items for k in item} | set(COLUMNS[name]))})
        ]
        for position, item in enumerate(items, start=1):
            row = dict(item)
            for key in ("addressees", "references"):
                if isinstance(row.get(key), list):
                    row[key] = ";".join(str(v) for v in row[key])
            rows.append((position, row))
        tables[name] = rows
    header = document.get("edition") if isinstance(document.get("edition"), dict) else None
    return header, tables
