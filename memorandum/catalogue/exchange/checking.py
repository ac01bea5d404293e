"""Checking every row of every table before anything is written."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from memorandum.catalogue.exchange.formats import COLUMNS, REQUIRED, TABLE_ORDER, Issue
from memorandum.catalogue.exchange.reading import Rows
from memorandum.catalogue.models import (
    Addressee,
    DatePrecision,
    Edition,
    Honorific,
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
from memorandum.lib.spreadsheets import INT_MAX, row_problems
from memorandum.lib.validation import date_problem, url_problem

MODELS = {
    "domains": WorkDomain,
    "themes": Theme,
    "addressees": Addressee,
    "references": Reference,
    "timeline": TimelineEvent,
    "recommendations": Recommendation,
}


def max_lengths(table: str) -> dict[str, int]:
    """The ``max_length`` of each text column of a table, as its model declares it."""
    fields = {f.name: f for f in MODELS[table]._meta.get_fields()}
    return {
        column: fields[column].max_length
        for column in COLUMNS[table]
        if column in fields
        and getattr(fields[column], "max_length", None)
        and not fields[column].choices
    }


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
            for column, message in row_problems(raw):
                self.add(name, number, column, message)
            for column, limit in max_lengths(name).items():
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
        if value is None or value < 1 or value > INT_MAX:
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

    def _memo(self, key: str, compute):
        # The sets below are read for every row but only change between tables.
        cache = self.__dict__.setdefault("_cache", {})
        if key not in cache:
            cache[key] = compute()
        return cache[key]

    def domain_numbers(self) -> set[int]:
        return self._memo("domains", self._domain_numbers)

    def _domain_numbers(self) -> set[int]:
        known = (
            set(self.edition.domains.values_list("number", flat=True)) if self.edition.pk else set()
        )
        return known | {r["number"] for _, r in self.clean.get("domains", []) if r["number"]}

    def theme_codes(self) -> set[str]:
        return self._memo("themes", self._theme_codes)

    def _theme_codes(self) -> set[str]:
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
        clean = {"order": order, **self._texts(row, ["name", "function_nl", "function_fr"])}
        if "honorific" in row:  # a sheet without the column leaves the honorific as it is
            clean["honorific"] = self._choice("addressees", number, row, "honorific", Honorific, "")
        return clean

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
        problem = url_problem(_text(row.get("url")))
        if problem:
            self.add("references", number, "url", problem)
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
        for column, value in (("date", date), ("end_date", end)):
            if date_problem(value):
                self.add("timeline", number, column, date_problem(value))
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
        return self._memo(table, lambda: self._orders(table, model))

    def _orders(self, table: str, model) -> set[int]:
        known = (
            set(model.objects.filter(edition=self.edition).values_list("order", flat=True))
            if self.edition.pk
            else set()
        )
        return known | {r["order"] for _, r in self.clean.get(table, []) if r["order"]}
