"""The one way our imports check a spreadsheet, on top of :mod:`memorandum.lib.spreadsheets`.

Every import (catalogue, follow-up form, proposals …) does the same four things, here:

1. read the file safely (:mod:`~memorandum.lib.spreadsheets`) into a grid per sheet;
2. turn a grid into numbered rows with :func:`read_table`, which reports each missing
   required column the same way;
3. validate each row with a Django :class:`~django.forms.Form` (:func:`check_row`): the
   fields are derived from the models (:func:`model_fields`), so ``max_length`` and required
   errors come for free, in the user's language; dates and decimals are read as Belgian
   spreadsheets write them (:class:`DateCell`, :class:`DecimalCell`);
4. collect every problem as a :class:`~memorandum.lib.spreadsheets.Problem`
   (sheet, row, column, message) in one :class:`ImportResult`, and write nothing unless the
   whole file is valid; the importer then writes in one transaction and counts a row as
   "updated" only when it changed something.

Pages show an :class:`ImportResult` with the partial ``import_summary.html``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from memorandum.lib.spreadsheets import (
    INT_MAX,
    LIMITS,
    XML_PROLOG_BYTES,
    Limits,
    Problem,
    UnreadableFile,
    check_package,
    parse_decimal,
    size_problem,
    value_problem,
)
from memorandum.lib.validation import validate_sane_date

Rows = list[tuple[int, dict[str, Any]]]
REQUIRED_CELL = gettext_lazy("This cell is empty; it is required.")
Progress = Callable[[int, int], None]

# A file means the same whatever the language of the person uploading it: ISO dates, and the
# day-first dates Belgian spreadsheets write (31/03/2025, 31-03-2025, 31.03.2025).
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S"]


# The tables (sheets) of our import files, as a reader of the summary calls them: the file
# keeps its own names ("domains"), the page says "werkgebieden" or "domaines".
TABLE_LABELS = {
    "domains": pgettext_lazy("import table", "domains"),
    "themes": pgettext_lazy("import table", "themes"),
    "addressees": pgettext_lazy("import table", "addressees"),
    "references": pgettext_lazy("import table", "references"),
    "timeline": pgettext_lazy("import table", "timeline"),
    "recommendations": pgettext_lazy("import table", "recommendations"),
    "zones": pgettext_lazy("import table", "police zones"),
    "proposals": pgettext_lazy("import table", "proposals"),
    "initiatives": pgettext_lazy("import table", "initiatives"),
    "milestones": pgettext_lazy("import table", "milestones"),
    "measurements": pgettext_lazy("import table", "measurements"),
}


def table_label(table: str) -> str:
    """What the summary of an import calls ``table``, in the reader's language."""
    return str(TABLE_LABELS.get(table, table))


@dataclass
class ImportResult:
    """What an import found (``problems``) or did (``created``/``updated`` per table)."""

    problems: list[Problem] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, table: str, *, created: bool) -> None:
        target = self.created if created else self.updated
        target[table] = target.get(table, 0) + 1

    def counts(self) -> list[tuple[str, int, int]]:
        """(table, created, updated) for every table the import changed."""
        tables = list(dict.fromkeys([*self.created, *self.updated]))
        return [(t, self.created.get(t, 0), self.updated.get(t, 0)) for t in tables]

    def shown_counts(self) -> list[tuple[str, int, int]]:
        """:meth:`counts` with each table named in the reader's language."""
        return [(table_label(t), created, updated) for t, created, updated in self.counts()]

    def summary(self) -> str:
        """One sentence for the message shown after a successful import."""
        counts = "; ".join(
            _("%(table)s: %(created)s new, %(updated)s updated")
            % {"table": table, "created": created, "updated": updated}
            for table, created, updated in self.shown_counts()
        )
        return _("Import done. %(summary)s.") % {"summary": counts or _("nothing to change")}

    def as_json(self) -> dict[str, Any]:
        return {
            "problems": [[p.sheet, p.row, p.column, str(p.message)] for p in self.problems],
            "created": self.created,
            "updated": self.updated,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ImportResult:
        return cls(
            problems=[Problem(*item) for item in data.get("problems", [])],
            created=dict(data.get("created", {})),
            updated=dict(data.get("updated", {})),
        )


def missing_column(sheet: str | None, column: str, header_row: int | None = 1) -> Problem:
    """The one message for a required column that is not in the header row."""
    return Problem(
        sheet,
        header_row,
        column,
        _("The column “%(column)s” is missing from the header row.") % {"column": column},
    )


def cell_text(value: Any) -> str:
    """A cell as text: empty for None, ``3`` for the float ``3.0`` Excel stores, stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime) and not (value.hour or value.minute or value.second):
        value = value.date()
    return str(value).replace("\r\n", "\n").strip()


def read_table(
    grid: Iterable[Iterable[Any]],
    sheet: str | None,
    *,
    columns: list[str],
    required: Iterable[str],
    problems: list[Problem],
) -> tuple[list[str], Rows] | None:
    """(header, rows) of a sheet whose first line is the header; None when a required
    column is missing (each one reported). Rows keep their spreadsheet number and only the
    known columns; empty rows are skipped and cells past the header are kept as
    ``__extra__``."""
    lines = [list(values) for values in grid]
    header = [cell_text(h).lower() for h in lines[0]] if lines else []
    missing = [column for column in required if column not in header]
    problems.extend(missing_column(sheet, column) for column in missing)
    if missing:
        return None
    rows: Rows = []
    for number, values in enumerate(lines[1:], start=2):
        if all(cell_text(v) == "" for v in values):
            continue
        row = {name: values[i] for i, name in enumerate(header[: len(values)]) if name in columns}
        extra = [v for v in values[len(header) :] if cell_text(v) != ""]
        if extra:
            row["__extra__"] = extra
        rows.append((number, row))
    return header, rows


# --------------------------------------------------------------------------------------
# Too big for a request

DIMENSION = re.compile(rb'<dimension ref="[A-Z]{1,3}\d+(?::[A-Z]{1,3}(\d+))?"')


def declared_rows(name: str, content: bytes) -> int:
    """How many rows a file holds, as far as can be known without reading it: the
    dimensions XLSX sheets declare, the lines of a CSV; 0 when unknown (JSON, broken)."""
    if name.lower().endswith(".csv"):
        return content.count(b"\n")
    try:
        package = zipfile.ZipFile(io.BytesIO(content))
        rows = 0
        for entry in package.infolist():
            if entry.filename.startswith("xl/worksheets/") and entry.filename.endswith(".xml"):
                with package.open(entry) as part:
                    match = DIMENSION.search(part.read(XML_PROLOG_BYTES))
                if match and match[1]:
                    rows += int(match[1])
        return rows
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return 0  # the import says what is wrong with it, in the request


def needs_worker(name: str, content: bytes, limits: Limits = LIMITS) -> bool:
    """Whether an upload is too big to check and import while the person waits
    (``IMPORT_IN_REQUEST_BYTES``, ``IMPORT_IN_REQUEST_ROWS``): it goes to the worker.

    A file that breaks the limits of every import (size, rows, a package that unpacks too
    far or cannot be read) stays in the request, which refuses it at once with its reason.
    """
    if size_problem(len(content), limits):
        return False
    if name.lower().endswith(".xlsx"):
        try:
            check_package(content, limits)
        except UnreadableFile:
            return False
    rows = declared_rows(name, content)
    if rows > limits.max_rows + 1:
        return False
    return len(content) > settings.IMPORT_IN_REQUEST_BYTES or rows > settings.IMPORT_IN_REQUEST_ROWS


# --------------------------------------------------------------------------------------
# Fields and forms


class DateCell(forms.DateField):
    """A date from a cell: a date object as the spreadsheet stores it, ISO or day-first text."""

    default_error_messages = {
        "invalid": gettext_lazy("“%(value)s” is not a date; write it as 31/03/2025 or 2025-03-31.")
    }
    default_validators = [validate_sane_date]

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, str) and value.strip():
            for pattern in self.input_formats:
                try:
                    return dt.datetime.strptime(value.strip(), pattern).date()
                except ValueError:
                    continue
            raise forms.ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value[:50]}
            )
        return super().to_python(value)


class DecimalCell(forms.Field):
    """A decimal that fits the model's ``DecimalField`` (a comma is a decimal separator)."""

    def __init__(self, *, max_digits: int, decimal_places: int, **kwargs):
        self.max_digits, self.decimal_places = max_digits, decimal_places
        super().__init__(**kwargs)

    def to_python(self, value):
        number = parse_decimal(
            value, max_digits=self.max_digits, decimal_places=self.decimal_places
        )
        if isinstance(number, str):
            raise forms.ValidationError(number, code="invalid")
        return number


class ChoiceCell(forms.ChoiceField):
    """A choice written as its code (in any case); the message lists the codes."""

    def to_python(self, value):
        text = super().to_python(value)
        codes = {str(k).lower(): str(k) for k, _label in self.choices}
        return codes.get(text.lower(), text)

    def validate(self, value):
        if value and not self.valid_value(value):
            raise forms.ValidationError(
                _("“%(value)s” is not allowed; use one of: %(choices)s.")
                % {"value": value, "choices": ", ".join(str(k) for k, _label in self.choices if k)},
                code="invalid_choice",
            )
        super(forms.ChoiceField, self).validate(value)


def choice_lookup(choices: type[models.Choices]) -> dict[str, str]:
    """A choice by its code or its label in any of our languages, in lower case
    ('at_risk', 'at risk', 'in gevaar' → 'at_risk')."""
    lookup = {value: value for value in choices.values}
    for lang in ("en", "nl", "fr"):
        with translation.override(lang):
            lookup.update({str(label).lower(): value for value, label in choices.choices})
    return lookup


def model_fields(
    model: type[models.Model], names: Iterable[str], *, required: Iterable[str] = ()
) -> dict[str, forms.Field]:
    """Form fields for a model's columns, as an import reads them.

    Text keeps the model's ``max_length``; dates are :class:`DateCell`, decimals
    :class:`DecimalCell`, choices :class:`ChoiceCell`; a column is required only when it is
    in ``required`` (a file may leave an optional column empty whatever the model says).
    """
    required = set(required)
    result: dict[str, forms.Field] = {}
    for name in names:
        model_field = model._meta.get_field(name)
        kwargs = {"required": name in required, "label": name}
        if model_field.choices:
            choices = [(k, v) for k, v in model_field.flatchoices]
            result[name] = ChoiceCell(choices=[("", "")] + choices, **kwargs)
        elif isinstance(model_field, models.DateField):
            result[name] = DateCell(**kwargs)
        elif isinstance(model_field, models.DecimalField):
            result[name] = DecimalCell(
                max_digits=model_field.max_digits,
                decimal_places=model_field.decimal_places,
                **kwargs,
            )
        elif isinstance(model_field, models.IntegerField):
            # the model's validators carry its range (small, positive …) and minimum
            result[name] = forms.IntegerField(
                max_value=INT_MAX, validators=model_field.validators, **kwargs
            )
        else:
            result[name] = forms.CharField(
                max_length=getattr(model_field, "max_length", None), **kwargs
            )
    return result


def row_form(name: str, fields: dict[str, forms.Field]) -> type[forms.Form]:
    """A form class with these fields (built once per table, at import time)."""
    return type(name, (forms.Form,), dict(fields))


def form_data(row: dict[str, Any]) -> dict[str, Any]:
    """What a row form is given: dates stay dates, everything else is the cell's text."""
    return {
        key: value if isinstance(value, dt.date) else cell_text(value)
        for key, value in row.items()
        if not key.startswith("__")
    }


def check_row(
    form_class: type[forms.Form],
    sheet: str | None,
    number: int | None,
    row: dict[str, Any],
    problems: list[Problem],
    **kwargs: Any,
) -> dict[str, Any] | None:
    """The row's cleaned values, or None with its problems added (sheet, row, column, why).

    Cells that no database or renderer can hold (:func:`value_problem`) are refused first;
    then the form validates what remains.
    """
    found = len(problems)
    for column, value in row.items():
        if column == "__extra__":
            problems.append(
                Problem(
                    sheet, number, None, _("This row has more cells than the header has columns.")
                )
            )
        elif not column.startswith("__"):
            message = value_problem(value)
            if message:
                problems.append(Problem(sheet, number, column, message))
    if len(problems) > found:
        return None
    form = form_class(data=form_data(row), **kwargs)
    if form.is_valid():
        return form.cleaned_data
    for column, errors in form.errors.as_data().items():
        for error in errors:
            # "this field" reads oddly in a spreadsheet: every import says the same thing
            message = REQUIRED_CELL if error.code == "required" else " ".join(error.messages)
            problems.append(
                Problem(sheet, number, None if column == "__all__" else column, str(message))
            )
    return None
