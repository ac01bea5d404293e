"""Reading uploaded files into rows numbered as the user sees them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from memorandum.catalogue.exchange.formats import COLUMNS, FORMAT, TABLE_ORDER
from memorandum.lib import spreadsheets
from memorandum.lib.importing import Rows, cell_text
from memorandum.lib.spreadsheets import Problem, UnreadableFile

# A table as read: its header (the columns the file has), its numbered rows, and the row
# number of the header (None in JSON, which has no header row).
Table = tuple[list[str], Rows, int | None]


def _fail(sheet: str | None, message: str, column: str | None = None) -> UnreadableFile:
    return UnreadableFile([Problem(sheet, None, column, message)])


def read_file(name: str, content: bytes) -> tuple[dict[str, Any] | None, dict[str, Table]]:
    """Turn an uploaded file into (edition header or None, {table: (header, rows)}).

    Raises :class:`~memorandum.lib.spreadsheets.UnreadableFile` for a file that cannot be
    read at all."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix == "json":
        return _read_json(content)
    if suffix == "xlsx":
        return None, _read_xlsx(content)
    if suffix == "csv":
        return None, {"recommendations": _read_csv(content)}
    raise _fail(name, _("Unknown file type: use a .xlsx, .csv or .json file."))


def _table(grid: list[list[Any]]) -> Table:
    """(header, rows) of a grid whose first line is the header; rows keep every column
    (unknown ones are reported by the checker) and cells past the header as ``__extra__``."""
    header = [cell_text(h).lower() for h in grid[0]] if grid else []
    rows: Rows = []
    for index, values in enumerate(grid[1:], start=2):
        if all(cell_text(v) == "" for v in values):
            continue
        row = {header[i]: values[i] for i in range(min(len(header), len(values))) if header[i]}
        extra = [v for v in values[len(header) :] if cell_text(v) != ""]
        if extra:
            row["__extra__"] = extra
        rows.append((index, row))
    return header, rows, 1


def _read_csv(content: bytes) -> Table:
    return _table(spreadsheets.read_csv(content, "recommendations"))


def _read_xlsx(content: bytes) -> dict[str, Table]:
    tables: dict[str, Table] = {}
    workbook = spreadsheets.open_workbook(content)
    try:
        for sheet in workbook.worksheets:
            name = sheet.title.strip().lower()
            if name in COLUMNS:
                tables[name] = _table([list(r) for r in spreadsheets.sheet_rows(sheet)])
    finally:
        workbook.close()
    if not tables:
        raise _fail(
            "xlsx",
            _("No sheet has a known name; expected: %(names)s.")
            % {"names": ", ".join(TABLE_ORDER)},
        )
    return tables


def _read_json(content: bytes) -> tuple[dict[str, Any] | None, dict[str, Table]]:
    document = spreadsheets.read_json(content)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise _fail(
            "json",
            _("This is not a catalogue file (expected “format”: “%(format)s”).")
            % {"format": FORMAT},
            "format",
        )
    tables: dict[str, Table] = {}
    for name in TABLE_ORDER:
        if name not in document:
            continue
        items = document[name]
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise _fail(name, _("Expected a list of objects."))
        header = sorted({k for item in items for k in item} | set(COLUMNS[name]))
        # Rows are numbered from 1 in JSON: the position in the list.
        rows: Rows = []
        for position, item in enumerate(items, start=1):
            row = {str(k): v for k, v in item.items()}
            for key in ("addressees", "references"):
                if isinstance(row.get(key), list):
                    row[key] = ";".join(str(v) for v in row[key])
            rows.append((position, row))
        tables[name] = (header, rows, None)
    header = document.get("edition") if isinstance(document.get("edition"), dict) else None
    return header, tables
