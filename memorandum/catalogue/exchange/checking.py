"""Checking every row of every table before anything is written.

Each row is validated by its table's form (:mod:`memorandum.catalogue.exchange.rows`); what
needs the other rows or the edition (unique numbers, known domains, themes, addressees and
references) is checked here.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

from memorandum.catalogue.exchange.formats import COLUMNS, REQUIRED, TABLE_ORDER
from memorandum.catalogue.exchange.reading import Table
from memorandum.catalogue.exchange.rows import FORMS
from memorandum.catalogue.models import Addressee, Edition, Reference, Theme
from memorandum.lib.importing import Progress, check_row, missing_column
from memorandum.lib.spreadsheets import Problem

Clean = list[tuple[int, dict[str, Any]]]
WHOLE_NUMBER = re.compile(r"(\d{1,9})(?:\.0*)?")


class Checker:
    """Validates every table against the edition and the file itself, collecting problems."""

    def __init__(
        self, edition: Edition, tables: dict[str, Table], progress: Progress | None = None
    ):
        self.edition = edition
        self.tables = tables
        self.progress = progress
        self.problems: list[Problem] = []
        self.clean: dict[str, Clean] = {}
        self.seen: dict[str, dict] = {}
        self.done = 0
        self.total = sum(len(table[1]) for table in tables.values())

    def add(self, table: str, row: int | None, column: str | None, message: str) -> None:
        self.problems.append(Problem(table, row, column, message))

    def run(self) -> list[Problem]:
        for name in TABLE_ORDER:
            if name in self.tables:
                self.clean[name] = self._check_table(name, *self.tables[name])
        return self.problems

    def _check_table(self, name: str, header: list[str], rows, header_row: int | None) -> Clean:
        missing = [c for c in REQUIRED[name] if c not in header]
        for column in missing:
            self.problems.append(missing_column(name, column, header_row))
        unknown = [c for c in header if c and c not in COLUMNS[name]]
        for column in unknown:
            self.add(
                name,
                header_row,
                column,
                _("Unknown column; expected: %(columns)s.") % {"columns": ", ".join(COLUMNS[name])},
            )
        if missing or unknown:
            return []
        checked = []
        for number, row in rows:
            self.done += 1
            if self.progress and self.done % 50 == 0:
                self.progress(self.done, self.total)
            data = check_row(FORMS[name], name, number, row, self.problems)
            if data is None:
                continue
            data = getattr(self, f"_check_{name}")(number, data)
            checked.append((number, {k: v for k, v in data.items() if k in header}))
        return checked

    def _unique(self, table: str, number: int, column: str, key, label: str) -> None:
        seen = self.seen.setdefault(table, {})
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

    def _check_domains(self, number: int, data: dict) -> dict:
        self._unique(
            "domains", number, "number", data["number"], _("domain %(n)s") % {"n": data["number"]}
        )
        return data

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
        return known | {r["number"] for _, r in self.clean.get("domains", [])}

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
        return known | {f"{r['domain']}.{r['number']}" for _, r in self.clean.get("themes", [])}

    def _check_themes(self, number: int, data: dict) -> dict:
        domain = data["domain"]
        if domain not in self.domain_numbers():
            self.add("themes", number, "domain", _("Unknown work domain %(n)s.") % {"n": domain})
        code = f"{domain}.{data['number']}"
        self._unique("themes", number, "number", code, _("theme %(code)s") % {"code": code})
        return data

    def _check_addressees(self, number: int, data: dict) -> dict:
        order = data["order"]
        self._unique("addressees", number, "order", order, _("addressee %(n)s") % {"n": order})
        return data

    def _check_references(self, number: int, data: dict) -> dict:
        order = data["order"]
        self._unique("references", number, "order", order, _("reference %(n)s") % {"n": order})
        return data

    def _check_timeline(self, number: int, data: dict) -> dict:
        return data

    def _order_list(self, number: int, text: str, column: str, known: set[int]) -> list[int]:
        values = []
        for part in text.replace(",", ";").split(";"):
            if not part.strip():
                continue
            match = WHOLE_NUMBER.fullmatch(part.strip())
            value = int(match[1]) if match else None
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

    def _check_recommendations(self, number: int, data: dict) -> dict:
        kind, value, domain = data["kind"], data["number"], data["domain"]
        code = ("R" if kind == "recommendation" else "C") + str(value)
        self._unique("recommendations", number, "number", (kind, value), code)
        if domain not in self.domain_numbers():
            self.add(
                "recommendations",
                number,
                "domain",
                _("Unknown work domain %(n)s: add it to the domains first.") % {"n": domain},
            )
        theme = data["theme"]
        if theme:
            if theme not in self.theme_codes():
                self.add(
                    "recommendations",
                    number,
                    "theme",
                    _("Unknown theme “%(code)s” (write it as domain.theme, e.g. 3.2).")
                    % {"code": theme},
                )
            elif not theme.startswith(f"{domain}."):
                self.add(
                    "recommendations",
                    number,
                    "theme",
                    _("Theme %(code)s does not belong to work domain %(n)s.")
                    % {"code": theme, "n": domain},
                )
        return {
            **data,
            "theme": theme or None,
            "addressees": self._order_list(
                number,
                data["addressees"],
                "addressees",
                self._known_orders("addressees", Addressee),
            ),
            "references": self._order_list(
                number,
                data["references"],
                "references",
                self._known_orders("references", Reference),
            ),
        }

    def _known_orders(self, table: str, model) -> set[int]:
        return self._memo(table, lambda: self._orders(table, model))

    def _orders(self, table: str, model) -> set[int]:
        known = (
            set(model.objects.filter(edition=self.edition).values_list("order", flat=True))
            if self.edition.pk
            else set()
        )
        return known | {r["order"] for _, r in self.clean.get(table, [])}
