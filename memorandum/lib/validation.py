"""Rules for values every renderer can show, shared by forms and imports.

A value that is stored is shown later in pages, charts (matplotlib), spreadsheets
(openpyxl), DOCX and PDF, and sorted in the database. Each of those has limits that an
ordinary form field does not know: Excel holds no date before 1900, matplotlib none before
year 1 or after 9999 once a margin is added, PostgreSQL cannot convert 0001-01-01 00:00 in
Brussels to UTC, XML (XLSX, DOCX) holds no control character. So stored values are kept
within these rules at the edge (:class:`GuardedFormMixin` for forms, the same functions in
the importers), and the renderers are defensive anyway.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from memorandum.lib.text import CONTROL_CHARACTERS

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2200, 12, 31)
WEB_SCHEMES = ("http", "https")
LINK_SCHEMES = ("http", "https", "mailto")


def date_problem(value: dt.date | dt.datetime | None) -> str | None:
    """Why a date is outside what charts, spreadsheets and the database can hold, or None."""
    if value is None:
        return None
    day = value.date() if isinstance(value, dt.datetime) else value
    if EARLIEST <= day <= LATEST:
        return None
    return _("Give a date between %(first)s and %(last)s.") % {
        "first": date_format(EARLIEST, "DATE_FORMAT"),
        "last": date_format(LATEST, "DATE_FORMAT"),
    }


def is_sane_date(value: dt.date | dt.datetime | None) -> bool:
    """Whether a renderer can place this date (None counts as sane: nothing to place)."""
    if value is None:
        return True
    day = value.date() if isinstance(value, dt.datetime) else value
    return EARLIEST <= day <= LATEST


def validate_sane_date(value: dt.date | dt.datetime | None) -> None:
    problem = date_problem(value)
    if problem:
        raise ValidationError(problem, code="date_range")


def text_problem(value: str | None) -> str | None:
    """Why a text cannot be stored and rendered (control characters), or None."""
    if value and CONTROL_CHARACTERS.search(value):
        return _("Remove the control character (an invisible character such as NUL) from the text.")
    return None


def validate_plain_text(value: str | None) -> None:
    problem = text_problem(value)
    if problem:
        raise ValidationError(problem, code="control_character")


def url_problem(value: str | None) -> str | None:
    """Why a link address is refused (only http and https addresses are links), or None."""
    if not value:
        return None
    try:
        URLValidator(schemes=list(WEB_SCHEMES))(value)
    except ValidationError:
        return _("Give a web address that starts with http:// or https://.")
    return None


def validate_web_url(value: str | None) -> None:
    problem = url_problem(value)
    if problem:
        raise ValidationError(problem, code="url")


def is_safe_link(value: str | None) -> bool:
    """Whether an address may be rendered as a link: http(s) or mailto, nothing else.

    Defensive rendering for values stored before validation existed (``javascript:``,
    ``data:`` …); browsers ignore tabs and newlines inside a scheme, so those are refused too.
    """
    if not value or any(c in value for c in "\t\r\n\x00"):
        return False
    scheme = urlsplit(value.strip()).scheme.lower()
    return scheme in LINK_SCHEMES


HUGE_NUMBER = re.compile(r"\s*[-+]?\d{19,}\s*")


def _without_huge_numbers(field: forms.ModelChoiceField, clean):
    """A choice of a model by a number no database integer holds is simply not a choice.

    (Django looks ``pk__in`` up without range checks: SQLite raises ``OverflowError``.)
    """

    def guarded(value):
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            if isinstance(item, str) and HUGE_NUMBER.fullmatch(item):
                code = "invalid_choice" if "invalid_choice" in field.error_messages else "invalid"
                raise ValidationError(
                    field.error_messages[code], code=code, params={"value": item[:30]}
                )
        return clean(value)

    return guarded


class GuardedFormMixin:
    """Adds the shared rules to a form's fields: sane dates, no control characters, web URLs.

    Put it first in the bases of a ``Form`` or ``ModelForm``; fields added later in a
    subclass's ``__init__`` are covered too, since the rules are attached in ``full_clean``.
    """

    def full_clean(self):
        for field in self.fields.values():
            if getattr(field, "_guarded", False):
                continue
            field._guarded = True
            if isinstance(field, forms.DateField | forms.DateTimeField | forms.SplitDateTimeField):
                field.validators.append(validate_sane_date)
            elif isinstance(field, forms.URLField):
                field.validators.append(validate_web_url)
            elif isinstance(field, forms.CharField):
                field.validators.append(validate_plain_text)
            elif isinstance(field, forms.ModelChoiceField):
                field.clean = _without_huge_numbers(field, field.clean)
        super().full_clean()


class GuardedModelForm(GuardedFormMixin, forms.ModelForm):
    """The base form of the admin's pages (see :class:`GuardedAdminMixin`)."""


class GuardedAdminMixin:
    """Gives an admin page (``ModelAdmin`` or inline) the same rules as the site's forms."""

    form = GuardedModelForm


class ReadOnlyAdminMixin:
    """An admin page (``ModelAdmin`` or inline) that shows records and never changes them:
    what the platform writes itself (a log, an invitation, a published version)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def is_plain_number(value: object, digits: int = 18) -> bool:
    """A whole number written with ASCII digits only and short enough for a database id.

    ``str.isdigit`` also accepts "²" or Arabic-Indic digits, which ``int()`` refuses or turns
    into numbers beyond any column: use this before ``int()`` on anything a request sent.
    """
    text = str(value)
    return 0 < len(text) <= digits and text.isascii() and text.isdigit()
