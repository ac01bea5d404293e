"""Reading uploaded files into rows numbered as the user sees them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from memorandum.catalogue.exchange.formats import (
    COLUMNS,
    FORMAT,
    TABLE_ORDER,
    ImportFileError,
    Issue,
)
from memorandum.lib import spreadsheets
from memorandum.lib.spreadsheets import UnreadableFile

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


def _issues(error: UnreadableFile, table: str) -> ImportFileError:
    return ImportFileError(
        [Issue(p.sheet or table, p.row, p.column, p.message) for p in error.problems]
    )


def _read_csv(content: bytes) -> Rows:
    try:
        lines = spreadsheets.read_csv(content, "recommendations")
    except UnreadableFile as error:
        raise _issues(error, "recommendations") from error
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
    tables: dict[str, Rows] = {}
    try:
        workbook = spreadsheets.open_workbook(content)
        try:
            for sheet in workbook.worksheets:
                name = sheet.title.strip().lower()
                if name in COLUMNS:
                    tables[name] = _rows_from_grid(
                        name, [list(r) for r in spreadsheets.sheet_rows(sheet)]
                    )
        finally:
            workbook.close()
    except UnreadableFile as error:
        raise _issues(error, "xlsx") from error
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
        document = spreadsheets.read_json(content)
    except UnreadableFile as error:
        raise _issues(error, "json") from error
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
