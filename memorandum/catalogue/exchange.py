"""Catalogue export and import as JSON, XLSX and CSV.

All three formats carry the same tables (one JSON list, one XLSX sheet each):
``domains``, ``themes``, ``addressees``, ``references``, ``timeline`` and
``recommendations``; CSV carries the ``recommendations`` table only (one file, one
table), whose domains and themes must then already exist in the edition.

Import is all or nothing: the whole file is read and checked first; any problem is
reported by table, row and column in plain language and nothing is written. Rows are
matched on their natural keys (domain number, theme code, addressee and reference
order, recommendation kind + number): matching rows are updated, others created,
nothing is deleted, so importing an export reproduces the same catalogue.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from memorandum.catalogue.models import (
    Addressee,
    DatePrecision,
    Edition,
    Recommendation,
    RecommendationKind,
    Reference,
    ReferenceKind,
    Status,
    Theme,
    TimelineEvent,
    TimelineKind,
    WorkDomain,
)

FORMAT = "memorandum-catalogue/1"

COLUMNS: dict[str, list[str]] = {
    "domains": ["number", "name_nl", "name_fr", "description_nl", "description_fr"],
    "themes": ["domain", "number", "name_nl", "name_fr"],
    "addressees": ["order", "name", "function_nl", "function_fr"],
    "references": ["order", "kind", "title_nl", "title_fr", "url"],
    "timeline": [
        "date",
        "end_date",
        "precision",
        "kind",
        "title_nl",
        "title_fr",
        "description_nl",
        "description_fr",
    ],
    "recommendations": [
        "kind",
        "number",
        "domain",
        "theme",
        "status",
        "title_nl",
        "title_fr",
        "objective_nl",
        "objective_fr",
        "actions_nl",
        "actions_fr",
        "context_nl",
        "context_fr",
        "addressees",
        "references",
    ],
}
REQUIRED: dict[str, list[str]] = {
    "domains": ["number", "name_nl"],
    "themes": ["domain", "number", "name_nl"],
    "addressees": ["order", "function_nl"],
    "references": ["order", "kind", "title_nl"],
    "timeline": ["date", "kind", "title_nl"],
    "recommendations": ["kind", "number", "domain", "title_nl"],
}
# Only the required columns must be in a file. A column left out of a hand-made sheet
# leaves that field as it is (or at its default for new rows) instead of emptying it.
EDITION_FIELDS = [
    "slug",
    "title_nl",
    "title_fr",
    "period_start",
    "period_end",
    "phase",
    "issuing_body_nl",
    "issuing_body_fr",
    "foreword_author",
    "foreword_author_function_nl",
    "foreword_author_function_fr",
    "foreword_nl",
    "foreword_fr",
    "introduction_nl",
    "introduction_fr",
    "notes_nl",
    "notes_fr",
    "is_synthetic",
]
TABLE_ORDER = ["domains", "themes", "addressees", "references", "timeline", "recommendations"]
MAX_LENGTH = {
    "domains": {"name_nl": 200, "name_fr": 200},
    "themes": {"name_nl": 200, "name_fr": 200},
    "addressees": {"name": 200, "function_nl": 300, "function_fr": 300},
    "references": {"url": 500},
    "timeline": {"title_nl": 200, "title_fr": 200},
    "recommendations": {"title_nl": 300, "title_fr": 300},
}


@dataclass
class Issue:
    """One problem in an import file. ``row`` counts like a spreadsheet: 1 is the header."""

    table: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.table]
        if self.row is not None:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("column “%(column)s”") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}"


@dataclass
class ImportResult:
    issues: list[Issue] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.issues


class ImportFileError(Exception):
    """The file cannot be read at all (wrong format, encoding, broken)."""

    def __init__(self, issues: list[Issue]):
        super().__init__("; ".join(str(i) for i in issues))
        self.issues = issues


# --- Export ---------------------------------------------------------------------------


def _numbers(items) -> str:
    return ";".join(str(item.order) for item in items)


def catalogue_tables(
    edition: Edition, *, public_only: bool = False
) -> dict[str, list[dict[str, Any]]]:
    """The edition's catalogue as plain rows, the common ground of every format."""
    recommendations = Recommendation.objects.filter(edition=edition)
    if public_only:
        recommendations = recommendations.public()
    recommendations = (
        recommendations.select_related("domain", "theme__domain")
        .prefetch_related("addressees", "references")
        .order_by("-kind", "number")
    )
    return {
        "domains": [{c: getattr(d, c) for c in COLUMNS["domains"]} for d in edition.domains.all()],
        "themes": [
            {
                "domain": t.domain.number,
                "number": t.number,
                "name_nl": t.name_nl,
                "name_fr": t.name_fr,
            }
            for t in Theme.objects.filter(domain__edition=edition).select_related("domain")
        ],
        "addressees": [
            {c: getattr(a, c) for c in COLUMNS["addressees"]} for a in edition.addressees.all()
        ],
        "references": [
            {c: getattr(r, c) for c in COLUMNS["references"]} for r in edition.references.all()
        ],
        "timeline": [
            {
                "date": e.date.isoformat(),
                "end_date": e.end_date.isoformat() if e.end_date else "",
                "precision": e.precision,
                "kind": e.kind,
                "title_nl": e.title_nl,
                "title_fr": e.title_fr,
                "description_nl": e.description_nl,
                "description_fr": e.description_fr,
            }
            for e in edition.timeline.all()
        ],
        "recommendations": [
            {
                "kind": r.kind,
                "number": r.number,
                "domain": r.domain.number,
                "theme": r.theme.code if r.theme else "",
                "status": r.status,
                **{
                    f"{base}_{lang}": getattr(r, f"{base}_{lang}")
                    for base in Recommendation.TEXT_FIELDS
                    for lang in ("nl", "fr")
                },
                "addressees": _numbers(r.addressees.all()),
                "references": _numbers(r.references.all()),
            }
            for r in recommendations
        ],
    }


def edition_header(edition: Edition) -> dict[str, Any]:
    return {name: getattr(edition, name) for name in EDITION_FIELDS}


def export_json(edition: Edition, *, public_only: bool = False) -> bytes:
    tables = catalogue_tables(edition, public_only=public_only)
    for row in tables["recommendations"]:
        row["addressees"] = [int(n) for n in row["addressees"].split(";") if n]
        row["references"] = [int(n) for n in row["references"].split(";") if n]
    for row in tables["themes"]:
        row["number"] = int(row["number"])
    for row in tables["recommendations"]:
        row["theme"] = row["theme"] or None
    for row in tables["timeline"]:
        row["end_date"] = row["end_date"] or None
    document = {"format": FORMAT, "edition": edition_header(edition), **tables}
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def export_csv(edition: Edition, *, public_only: bool = False) -> bytes:
    """The recommendations table as UTF-8 CSV with a BOM, so that Excel opens accents right."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS["recommendations"], lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(catalogue_tables(edition, public_only=public_only)["recommendations"])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_xlsx(edition: Edition, *, public_only: bool = False) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in catalogue_tables(edition, public_only=public_only).items():
        sheet = workbook.create_sheet(name)
        sheet.append(COLUMNS[name])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([row[c] for c in COLUMNS[name]])
        sheet.freeze_panes = "A2"
        for column_cells in sheet.columns:
            width = max((len(str(c.value or "").split("\n")[0]) for c in column_cells), default=8)
            sheet.column_dimensions[column_cells[0].column_letter].width = min(
                max(width + 2, 8), 60
            )
            for cell in column_cells[1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    output = io.BytesIO()
    # A fixed creation date keeps the same catalogue producing the same file.
    workbook.properties.created = workbook.properties.modified = dt.datetime(2000, 1, 1)
    workbook.save(output)
    return output.getvalue()


EXPORTERS = {
    "json": (export_json, "application/json"),
    "csv": (export_csv, "text/csv; charset=utf-8"),
    "xlsx": (export_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


# --- Reading files --------------------------------------------------------------------

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


# --- Checking -------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").strip()


def _integer(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        return None


class Checker:
    """Validates every table against the edition and the file itself, collecting issues."""

    def __init__(self, edition: Edition, tables: dict[str, Rows]):
        self.edition = edition
        self.tables = tables
        self.issues: list[Issue] = []
        self.clean: dict[str, list[tuple[int, dict[str, Any]]]] = {}

    def add(self, table: str, row: int | None, column: str | None, message: str) -> None:
        self.issues.append(Issue(table, row, column, message))

    def run(self) -> list[Issue]:
        for name in TABLE_ORDER:
            if name in self.tables:
                self.clean[name] = self._check_table(name, self.tables[name])
        return self.issues

    def _check_table(self, name: str, rows: Rows) -> list[tuple[int, dict[str, Any]]]:
        header = rows[0][1]["__header__"] if rows and "__header__" in rows[0][1] else []
        missing = [c for c in REQUIRED[name] if c not in header]
        for column in missing:
            self.add(
                name, 1 if rows and rows[0][0] == 1 else None, column, _("This column is missing.")
            )
        unknown = [c for c in header if c and c not in COLUMNS[name]]
        for column in unknown:
            self.add(
                name,
                1 if rows and rows[0][0] == 1 else None,
                column,
                _("Unknown column; expected: %(columns)s.") % {"columns": ", ".join(COLUMNS[name])},
            )
        if missing or unknown:
            return []
        checked = []
        for number, raw in rows[1:]:
            if "__extra__" in raw:
                self.add(
                    name, number, None, _("This row has more cells than the header has columns.")
                )
            row: dict[str, Any] = {}
            for column in COLUMNS[name]:
                value = raw.get(column)
                if column in REQUIRED[name] and _text(value) == "":
                    self.add(name, number, column, _("This cell is empty but required."))
                row[column] = value
            for column, limit in MAX_LENGTH[name].items():
                if column in row and len(_text(row[column])) > limit:
                    self.add(
                        name,
                        number,
                        column,
                        _("Too long: at most %(limit)s characters.") % {"limit": limit},
                    )
            cleaned = getattr(self, f"_check_{name}")(number, row)
            checked.append((number, {k: v for k, v in cleaned.items() if k in header}))
        return checked

    def _positive(self, table: str, number: int, row: dict, column: str) -> int | None:
        if _text(row.get(column)) == "":
            return None
        value = _integer(row.get(column))
        if value is None or value < 1:
            self.add(
                table,
                number,
                column,
                _("“%(value)s” is not a whole number of 1 or more.")
                % {"value": _text(row.get(column))},
            )
            return None
        return value

    def _choice(
        self, table: str, number: int, row: dict, column: str, choices, default: str | None = None
    ) -> str | None:
        value = _text(row.get(column)) or default
        if value is None:
            return None
        if value not in choices.values:
            self.add(
                table,
                number,
                column,
                _("“%(value)s” is not allowed; use one of: %(choices)s.")
                % {"value": value, "choices": ", ".join(choices.values)},
            )
            return None
        return value

    def _unique(self, table: str, number: int, column: str, key, label: str, seen: dict) -> None:
        if key in seen:
            self.add(
                table,
                number,
                column,
                _("Duplicate: %(label)s is already on row %(row)s.")
                % {"label": label, "row": seen[key]},
            )
        else:
            seen[key] = number

    def _texts(self, row: dict, columns: list[str]) -> dict[str, str]:
        return {c: _text(row.get(c)) for c in columns}

    def _check_domains(self, number: int, row: dict) -> dict:
        value = self._positive("domains", number, row, "number")
        if value is not None:
            self._unique(
                "domains",
                number,
                "number",
                value,
                _("domain %(n)s") % {"n": value},
                self.__dict__.setdefault("_seen_domains", {}),
            )
        return {"number": value, **self._texts(row, COLUMNS["domains"][1:])}

    def domain_numbers(self) -> set[int]:
        known = (
            set(self.edition.domains.values_list("number", flat=True)) if self.edition.pk else set()
        )
        return known | {r["number"] for _, r in self.clean.get("domains", []) if r["number"]}

    def theme_codes(self) -> set[str]:
        known = (
            {
                f"{d}.{t}"
                for d, t in Theme.objects.filter(domain__edition=self.edition).values_list(
                    "domain__number", "number"
                )
            }
            if self.edition.pk
            else set()
        )
        return known | {
            f"{r['domain']}.{r['number']}"
            for _, r in self.clean.get("themes", [])
            if r["domain"] and r["number"]
        }

    def _check_themes(self, number: int, row: dict) -> dict:
        domain = self._positive("themes", number, row, "domain")
        if domain is not None and domain not in self.domain_numbers():
            self.add("themes", number, "domain", _("Unknown work domain %(n)s.") % {"n": domain})
        value = self._positive("themes", number, row, "number")
        if domain and value:
            self._unique(
                "themes",
                number,
                "number",
                (domain, value),
                _("theme %(code)s") % {"code": f"{domain}.{value}"},
                self.__dict__.setdefault("_seen_themes", {}),
            )
        return {"domain": domain, "number": value, **self._texts(row, ["name_nl", "name_fr"])}

    def _check_addressees(self, number: int, row: dict) -> dict:
        order = self._positive("addressees", number, row, "order")
        if order:
            self._unique(
                "addressees",
                number,
                "order",
                order,
                _("addressee %(n)s") % {"n": order},
                self.__dict__.setdefault("_seen_addr", {}),
            )
        return {"order": order, **self._texts(row, ["name", "function_nl", "function_fr"])}

    def _check_references(self, number: int, row: dict) -> dict:
        order = self._positive("references", number, row, "order")
        if order:
            self._unique(
                "references",
                number,
                "order",
                order,
                _("reference %(n)s") % {"n": order},
                self.__dict__.setdefault("_seen_refs", {}),
            )
        kind = self._choice("references", number, row, "kind", ReferenceKind)
        return {"order": order, "kind": kind, **self._texts(row, ["title_nl", "title_fr", "url"])}

    def _check_timeline(self, number: int, row: dict) -> dict:
        date = _date(row.get("date")) if _text(row.get("date")) else None
        if _text(row.get("date")) and date is None:
            self.add(
                "timeline",
                number,
                "date",
                _("“%(value)s” is not a date (write it as YYYY-MM-DD).")
                % {"value": _text(row.get("date"))},
            )
        end = _date(row.get("end_date")) if _text(row.get("end_date")) else None
        if _text(row.get("end_date")) and end is None:
            self.add(
                "timeline",
                number,
                "end_date",
                _("“%(value)s” is not a date (write it as YYYY-MM-DD).")
                % {"value": _text(row.get("end_date"))},
            )
        if date and end and end < date:
            self.add("timeline", number, "end_date", _("The end date is before the start date."))
        return {
            "date": date,
            "end_date": end,
            "precision": self._choice(
                "timeline", number, row, "precision", DatePrecision, DatePrecision.DAY
            ),
            "kind": self._choice("timeline", number, row, "kind", TimelineKind),
            **self._texts(row, ["title_nl", "title_fr", "description_nl", "description_fr"]),
        }

    def _order_list(self, number: int, row: dict, column: str, known: set[int]) -> list[int]:
        values = []
        for part in _text(row.get(column)).replace(",", ";").split(";"):
            if not part.strip():
                continue
            value = _integer(part)
            if value is None or value not in known:
                self.add(
                    "recommendations",
                    number,
                    column,
                    _("“%(value)s” is not the number of one of the edition's %(what)s.")
                    % {"value": part.strip(), "what": column},
                )
            else:
                values.append(value)
        return values

    def _check_recommendations(self, number: int, row: dict) -> dict:
        kind = self._choice("recommendations", number, row, "kind", RecommendationKind)
        value = self._positive("recommendations", number, row, "number")
        if kind and value:
            code = ("R" if kind == RecommendationKind.RECOMMENDATION else "C") + str(value)
            self._unique(
                "recommendations",
                number,
                "number",
                (kind, value),
                code,
                self.__dict__.setdefault("_seen_recs", {}),
            )
        domain = self._positive("recommendations", number, row, "domain")
        if domain is not None and domain not in self.domain_numbers():
            self.add(
                "recommendations",
                number,
                "domain",
                _("Unknown work domain %(n)s: add it to the domains first.") % {"n": domain},
            )
        theme = _text(row.get("theme"))
        if theme:
            if theme not in self.theme_codes():
                self.add(
                    "recommendations",
                    number,
                    "theme",
                    _("Unknown theme “%(code)s” (write it as domain.theme, e.g. 3.2).")
                    % {"code": theme},
                )
            elif domain and not theme.startswith(f"{domain}."):
                self.add(
                    "recommendations",
                    number,
                    "theme",
                    _("Theme %(code)s does not belong to work domain %(n)s.")
                    % {"code": theme, "n": domain},
                )
        addressees = self._order_list(
            number, row, "addressees", self._known_orders("addressees", Addressee)
        )
        references = self._order_list(
            number, row, "references", self._known_orders("references", Reference)
        )
        return {
            "kind": kind,
            "number": value,
            "domain": domain,
            "theme": theme or None,
            "status": self._choice("recommendations", number, row, "status", Status, Status.DRAFT),
            **self._texts(
                row, [f"{b}_{lang}" for b in Recommendation.TEXT_FIELDS for lang in ("nl", "fr")]
            ),
            "addressees": addressees,
            "references": references,
        }

    def _known_orders(self, table: str, model) -> set[int]:
        known = (
            set(model.objects.filter(edition=self.edition).values_list("order", flat=True))
            if self.edition.pk
            else set()
        )
        return known | {r["order"] for _, r in self.clean.get(table, []) if r["order"]}


# --- Writing --------------------------------------------------------------------------


def _count(result: ImportResult, table: str, created: bool) -> None:
    target = result.created if created else result.updated
    target[table] = target.get(table, 0) + 1


def _apply(
    edition: Edition, clean: dict[str, list[tuple[int, dict]]], result: ImportResult
) -> None:
    for _row_number, row in clean.get("domains", []):
        _obj, created = WorkDomain.objects.update_or_create(
            edition=edition,
            number=row["number"],
            defaults={k: v for k, v in row.items() if k != "number"},
        )
        _count(result, "domains", created)
    domains = {d.number: d for d in edition.domains.all()}
    for _row_number, row in clean.get("themes", []):
        _obj, created = Theme.objects.update_or_create(
            domain=domains[row["domain"]],
            number=row["number"],
            defaults={"name_nl": row["name_nl"], "name_fr": row["name_fr"]},
        )
        _count(result, "themes", created)
    for _row_number, row in clean.get("addressees", []):
        _obj, created = Addressee.objects.update_or_create(
            edition=edition,
            order=row["order"],
            defaults={k: v for k, v in row.items() if k != "order"},
        )
        _count(result, "addressees", created)
    for _row_number, row in clean.get("references", []):
        _obj, created = Reference.objects.update_or_create(
            edition=edition,
            order=row["order"],
            defaults={k: v for k, v in row.items() if k != "order"},
        )
        _count(result, "references", created)
    if "timeline" in clean:
        # Events are matched on date, kind and Dutch title; the file's timeline is the whole
        # timeline, so events that are not in it are removed.
        kept = []
        for _row_number, row in clean["timeline"]:
            key = {"date": row["date"], "kind": row["kind"], "title_nl": row["title_nl"]}
            event, created = TimelineEvent.objects.update_or_create(
                edition=edition, **key, defaults={k: v for k, v in row.items() if k not in key}
            )
            kept.append(event.pk)
            _count(result, "timeline", created)
        edition.timeline.exclude(pk__in=kept).delete()
    themes = {
        t.code: t for t in Theme.objects.filter(domain__edition=edition).select_related("domain")
    }
    addressees = {a.order: a for a in edition.addressees.all()}
    references = {r.order: r for r in edition.references.all()}
    for _row_number, row in clean.get("recommendations", []):
        fields = {
            k: v
            for k, v in row.items()
            if k not in ("kind", "number", "domain", "theme", "addressees", "references")
        }
        fields["domain"] = domains[row["domain"]]
        if "theme" in row:
            fields["theme"] = themes.get(row["theme"]) if row["theme"] else None
        recommendation = Recommendation.objects.filter(
            edition=edition, kind=row["kind"], number=row["number"]
        ).first()
        created = recommendation is None
        if created:
            recommendation = Recommendation(edition=edition, kind=row["kind"], number=row["number"])
        changed = created or any(getattr(recommendation, k) != v for k, v in fields.items())
        if changed:
            for key, value in fields.items():
                setattr(recommendation, key, value)
            recommendation.save()  # one history version per real change, not per import
        if "addressees" in row:
            recommendation.addressees.set([addressees[n] for n in row["addressees"]])
        if "references" in row:
            recommendation.references.set([references[n] for n in row["references"]])
        _count(result, "recommendations", created)


def import_tables(
    edition: Edition, tables: dict[str, Rows], header: dict[str, Any] | None = None
) -> ImportResult:
    """Check everything, then write everything in one transaction (or nothing at all)."""
    result = ImportResult()
    checker = Checker(edition, tables)
    result.issues = checker.run()
    if result.issues:
        return result
    with transaction.atomic():
        if header:
            for name in EDITION_FIELDS:
                if name in header and name != "slug":
                    setattr(edition, name, header[name])
            edition.full_clean()
            edition.save()
        _apply(edition, checker.clean, result)
    return result


def import_file(
    edition: Edition, name: str, content: bytes, *, update_edition: bool = False
) -> ImportResult:
    """Read and import an uploaded file; unreadable files come back as issues too."""
    try:
        header, tables = read_file(name, content)
    except ImportFileError as error:
        return ImportResult(issues=error.issues)
    return import_tables(edition, tables, header if update_edition else None)


def load_edition(content: bytes, name: str = "catalogue.json") -> tuple[Edition, ImportResult]:
    """Create or update the edition described by a JSON catalogue file (demo and fixtures)."""
    header, tables = read_file(name, content)
    if not header or not header.get("slug"):
        raise ImportFileError(
            [
                Issue(
                    "json", None, "edition", _("The file does not name its edition (edition.slug).")
                )
            ]
        )
    with transaction.atomic():
        edition = Edition.objects.filter(slug=header["slug"]).first()
        if edition is None:
            edition = Edition(**{k: header[k] for k in EDITION_FIELDS if k in header})
            edition.full_clean()
            edition.save()
        result = import_tables(edition, tables, header)
        if result.issues:
            transaction.set_rollback(True)
    return edition, result
