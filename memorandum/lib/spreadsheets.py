"""Reading uploaded workbooks, CSV and JSON safely: the one place every import starts.

An import may be sent by any signed-in partner, so what one upload may cost is bounded
*before* it is parsed, and every way a file can be broken becomes a :class:`Problem` the
import page can show, never an exception:

- the upload's size (:attr:`Limits.max_bytes`), checked by :class:`UploadField` in the form
  and again here for callers that bypass the form (commands, tests);
- for an XLSX (a ZIP package): the number of entries and the *declared* decompressed size,
  read from the ZIP directory before anything is inflated (a ZIP bomb of a few megabytes
  that unpacks to gigabytes is refused at once; :mod:`zipfile` itself stops at the declared
  size and fails the CRC check if an entry lies about it);
- XML with a document type or entity declarations (billion laughs, external entities) is
  refused; openpyxl also parses through ``defusedxml``, which refuses entities on its own;
- rows and columns per sheet, read in openpyxl's streaming (read-only) mode with the row
  and column window bounded, so a sheet that declares a million rows costs nothing;
- JSON nesting depth, ``NaN``/``Infinity`` and huge numbers; CSV rows and encodings;
- cell values that no database column or renderer can hold (:func:`value_problem`): NUL and
  other control characters, integers beyond PostgreSQL's ``bigint``, ``NaN``/infinities.

The importers call :func:`open_workbook` and :func:`sheet_rows`, :func:`read_csv` or
:func:`read_json`, then check rows with :mod:`memorandum.lib.importing`, which reports every
problem as a :class:`Problem`.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from memorandum.lib.exports import csv_import_cell
from memorandum.lib.text import CONTROL_CHARACTERS

MB = 1024 * 1024
BIGINT_MAX = 2**63 - 1
INT_MAX = 2**31 - 1  # PostgreSQL "integer" (IntegerField, PositiveIntegerField)
# A document type declaration is where entities are declared; no Office file needs one.
XML_DECLARATIONS = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
XML_PROLOG_BYTES = 64 * 1024


@dataclass(frozen=True)
class Limits:
    """What one import may cost. The defaults fit the largest real file many times over."""

    max_bytes: int = 5 * MB
    max_unzipped_bytes: int = 30 * MB
    # openpyxl reads a whole sheet to learn its size when the sheet does not declare it
    # (Excel, LibreOffice and openpyxl always do); only small sheets may omit it.
    max_undeclared_sheet_bytes: int = 2 * MB
    max_zip_entries: int = 400
    max_rows: int = 5_000
    max_columns: int = 60
    max_json_depth: int = 20


LIMITS = Limits()


@dataclass
class Problem:
    """One reason a file cannot be imported; ``row`` counts like a spreadsheet (1 = header)."""

    sheet: str | None
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.sheet] if self.sheet else []
        if self.row is not None:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("column “%(column)s”") % {"column": self.column})
        if not where:
            return str(self.message)
        # Translated, so that French puts its no-break space before the colon.
        return _("%(where)s: %(message)s") % {"where": ", ".join(where), "message": self.message}


class UnreadableFile(Exception):
    """The file cannot be read at all: too big, not the format it claims, broken."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def _fail(message: str, sheet: str | None = None, row: int | None = None) -> UnreadableFile:
    return UnreadableFile([Problem(sheet, row, None, message)])


def size_problem(size: int, limits: Limits = LIMITS) -> str | None:
    """Why an upload of ``size`` bytes is refused, or None."""
    if size <= limits.max_bytes:
        return None
    return _(
        "The file is %(size)s; an import may be at most %(limit)s. Split it into several files."
    ) % {"size": filesizeformat(size), "limit": filesizeformat(limits.max_bytes)}


def _size_help(template: str, size: int) -> str:
    return str(template) % {"size": filesizeformat(size)}


class UploadField(forms.FileField):
    """A file field for imports: refuses files above the size limit and other extensions."""

    def __init__(self, *, extensions: Iterable[str], limits: Limits = LIMITS, **kwargs):
        self.extensions = tuple(e.lower() for e in extensions)
        self.limits = limits
        limit = gettext_lazy("At most %(size)s.")
        kwargs["help_text"] = format_lazy(
            "{} {}", kwargs.get("help_text", ""), lazy(_size_help, str)(limit, limits.max_bytes)
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            problem = size_problem(upload.size, self.limits)
            if problem:
                raise forms.ValidationError(problem, code="too_big")
            suffix = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
            if suffix not in self.extensions:
                raise forms.ValidationError(
                    _("Unknown file type: use a %(types)s file.")
                    % {"types": ", ".join(f".{e}" for e in self.extensions)},
                    code="extension",
                )
        return upload


# --------------------------------------------------------------------------------------
# XLSX


def check_package(content: bytes, limits: Limits = LIMITS) -> None:
    """Refuse a ZIP package that is too large unpacked or declares XML entities.

    Only the ZIP directory and the first bytes of each XML part are read.
    """
    problem = size_problem(len(content), limits)
    if problem:
        raise _fail(problem)
    try:
        package = zipfile.ZipFile(io.BytesIO(content))
        entries = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as error:
        raise _fail(_("This is not a readable Excel (.xlsx) file.")) from error
    if len(entries) > limits.max_zip_entries:
        raise _fail(
            _("The workbook has %(count)s parts; at most %(limit)s are accepted.")
            % {"count": len(entries), "limit": limits.max_zip_entries}
        )
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > limits.max_unzipped_bytes:
        raise _fail(
            _(
                "The workbook unpacks to %(size)s; at most %(limit)s are accepted. "
                "Remove unused sheets, images or formatting, or split the file."
            )
            % {
                "size": filesizeformat(unpacked),
                "limit": filesizeformat(limits.max_unzipped_bytes),
            }
        )
    try:
        for entry in entries:
            if entry.filename.endswith((".xml", ".rels", ".vml")):
                with package.open(entry) as part:
                    prolog = part.read(XML_PROLOG_BYTES)
                if XML_DECLARATIONS.search(prolog):
                    raise _fail(
                        _(
                            "The workbook contains XML declarations (DOCTYPE or ENTITY) that "
                            "spreadsheet programs never write; it is refused for safety."
                        )
                    )
                if (
                    entry.filename.startswith("xl/worksheets/")
                    and entry.file_size > limits.max_undeclared_sheet_bytes
                    and b"<dimension" not in prolog
                ):
                    raise _fail(
                        _(
                            "A large sheet of this workbook does not say how big it is, as "
                            "spreadsheet programs do. Open the file in Excel or LibreOffice, "
                            "save it again and upload it once more."
                        )
                    )
    except (zipfile.BadZipFile, NotImplementedError, EOFError, OSError, ValueError) as error:
        raise _fail(_("This is not a readable Excel (.xlsx) file; it may be truncated.")) from error


def open_workbook(content: bytes, limits: Limits = LIMITS):
    """An openpyxl workbook in streaming (read-only, values) mode, after :func:`check_package`.

    Close it (``workbook.close()``) when done. Raises :class:`UnreadableFile`.
    """
    from openpyxl import load_workbook

    check_package(content, limits)
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds of errors for a broken package
        raise _fail(_("This is not a readable Excel (.xlsx) file.")) from error


def sheet_rows(sheet, limits: Limits = LIMITS) -> list[tuple[Any, ...]]:
    """Every row of a read-only sheet (header included), trailing empty cells dropped.

    The window read is bounded by the limits whatever the sheet declares; a sheet beyond
    them, or whose XML, cell references or cell types are broken, raises
    :class:`UnreadableFile` naming the sheet and row.
    """
    rows: list[tuple[Any, ...]] = []
    number = 0
    try:
        for number, values in enumerate(
            sheet.iter_rows(
                max_row=limits.max_rows + 2, max_col=limits.max_columns + 1, values_only=True
            ),
            start=1,
        ):
            cells = list(values)
            while cells and (cells[-1] is None or cells[-1] == ""):
                cells.pop()
            if len(cells) > limits.max_columns:
                raise _fail(
                    _("The sheet has more than %(limit)s columns.") % {"limit": limits.max_columns},
                    sheet.title,
                    number,
                )
            if number > limits.max_rows + 1 and cells:
                raise _fail(
                    _("The sheet has more than %(limit)s rows; split it into several files.")
                    % {"limit": limits.max_rows},
                    sheet.title,
                )
            rows.append(tuple(cells))
    except UnreadableFile:
        raise
    except Exception as error:  # broken sheet XML, bad cell references, bad types, dates
        raise _fail(
            _("This sheet cannot be read after row %(row)s: the file is damaged.")
            % {"row": number},
            sheet.title,
            number + 1,
        ) from error
    while rows and not rows[-1]:
        rows.pop()
    return rows


# --------------------------------------------------------------------------------------
# CSV and JSON


def decode_text(content: bytes, sheet: str | None = None) -> str:
    """UTF-8 text (with or without Excel's byte-order mark), or a problem naming the line."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise _fail(
            _(
                "The file is not in UTF-8 (byte %(byte)s cannot be read). It was probably saved as "
                "“CSV” in Latin-1/Windows-1252; in Excel choose “CSV UTF-8 (comma delimited)” and try again."
            )
            % {"byte": hex(content[error.start])},
            sheet,
            line,
        ) from error


def read_csv(content: bytes, sheet: str, limits: Limits = LIMITS) -> list[list[str]]:
    """The rows of a CSV file (header first); the separator is the one the header uses."""
    problem = size_problem(len(content), limits)
    if problem:
        raise _fail(problem, sheet)
    text = decode_text(content, sheet)
    if not text.strip():
        raise _fail(_("The file is empty."), sheet)
    first_line = text.splitlines()[0]
    # Excel in Belgium writes ";" as the separator; pick the one the header line uses.
    delimiter = max([",", ";", "\t"], key=first_line.count)
    rows: list[list[str]] = []
    try:
        for values in csv.reader(io.StringIO(text), delimiter=delimiter):
            if len(rows) > limits.max_rows:
                raise _fail(
                    _("The file has more than %(limit)s rows; split it into several files.")
                    % {"limit": limits.max_rows},
                    sheet,
                )
            if len(values) > limits.max_columns:
                raise _fail(
                    _("The sheet has more than %(limit)s columns.") % {"limit": limits.max_columns},
                    sheet,
                    len(rows) + 1,
                )
            rows.append([csv_import_cell(value) for value in values])
    except csv.Error as error:
        raise _fail(
            _("The CSV file cannot be read: %(error)s") % {"error": error}, sheet, len(rows) + 1
        ) from error
    return rows


def _refuse_constant(name: str):
    raise ValueError(_("%(value)s is not a number that can be imported.") % {"value": name})


def _bounded_int(text: str) -> int:
    value = int(text)
    if abs(value) > BIGINT_MAX:
        raise ValueError(_("The number %(value)s is too large.") % {"value": text[:30]})
    return value


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(_("The number %(value)s is too large.") % {"value": text[:30]})
    return value


def json_depth(document: Any) -> int:
    """How deeply lists and objects nest in a parsed JSON document (a scalar is 0)."""
    depth, level = 0, [(document, 1)]
    while level:
        value, current = level.pop()
        if isinstance(value, dict | list):
            depth = max(depth, current)
            children = value.values() if isinstance(value, dict) else value
            level.extend((child, current + 1) for child in children)
    return depth


def read_json(content: bytes, limits: Limits = LIMITS) -> Any:
    """A parsed JSON document with bounded size and depth, finite numbers only."""
    problem = size_problem(len(content), limits)
    if problem:
        raise _fail(problem, "json")
    text = decode_text(content, "json")
    try:
        document = json.loads(
            text,
            parse_constant=_refuse_constant,
            parse_int=_bounded_int,
            parse_float=_finite_float,
        )
    except json.JSONDecodeError as error:
        raise UnreadableFile(
            [
                Problem(
                    "json",
                    error.lineno,
                    None,
                    _("Invalid JSON: %(msg)s (column %(col)s).")
                    % {"msg": error.msg, "col": error.colno},
                )
            ]
        ) from error
    except RecursionError as error:
        raise _fail(
            _("The JSON nests deeper than %(limit)s levels.") % {"limit": limits.max_json_depth},
            "json",
        ) from error
    except ValueError as error:  # our number checks, or a number with thousands of digits
        raise _fail(_("Invalid JSON: %(msg)s") % {"msg": error}, "json") from error
    if json_depth(document) > limits.max_json_depth:
        raise _fail(
            _("The JSON nests deeper than %(limit)s levels.") % {"limit": limits.max_json_depth},
            "json",
        )
    return document


# --------------------------------------------------------------------------------------
# Cell values


def value_problem(value: Any) -> str | None:
    """Why a cell value cannot be stored or shown anywhere, or None.

    Text with NUL or other control characters (PostgreSQL refuses NUL; XLSX and DOCX cannot
    hold the others), integers beyond ``bigint``, ``NaN`` and infinities are refused.
    Numbers that a particular column cannot hold are the importer's business
    (:func:`parse_decimal`, :data:`INT_MAX`).
    """
    if isinstance(value, str):
        if CONTROL_CHARACTERS.search(value):
            return _("The text contains a control character (such as NUL) that cannot be stored.")
    elif isinstance(value, bool):
        return None
    elif isinstance(value, int):
        if abs(value) > BIGINT_MAX:
            return _("The number is too large.")
    elif isinstance(value, float | Decimal):
        if not math.isfinite(value):
            return _("“%(value)s” is not a number.") % {"value": value}
    return None


def row_problems(row: dict[str, Any]) -> list[tuple[str, str]]:
    """(column, message) for every cell of a row that :func:`value_problem` refuses."""
    problems = []
    for column, value in row.items():
        if column.startswith("__"):
            continue
        message = value_problem(value)
        if message:
            problems.append((column, message))
    return problems


def parse_decimal(value: Any, *, max_digits: int, decimal_places: int) -> Decimal | None | str:
    """A decimal that fits ``DecimalField(max_digits, decimal_places)``, None, or a message.

    Accepts a comma as the decimal separator. ``NaN``, infinities and numbers with more
    integer digits than the field holds come back as a message.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        return _("“%(value)s” is not a number.") % {"value": value}
    text = str(value).strip().replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return _("“%(value)s” is not a number.") % {"value": text[:50]}
    if not number.is_finite():
        return _("“%(value)s” is not a number.") % {"value": text[:50]}
    limit = Decimal(10) ** (max_digits - decimal_places)
    if abs(number) >= limit:
        return _("%(value)s is too large: at most %(digits)s digits before the decimal point.") % {
            "value": text[:50],
            "digits": max_digits - decimal_places,
        }
    return number.quantize(Decimal(1).scaleb(-decimal_places))
