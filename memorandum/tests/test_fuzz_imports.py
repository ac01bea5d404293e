"""Fuzzing every import with generated workbooks, CSV and JSON files, as each role (see
``fuzzing.py``).

The files carry the real columns with hostile values, real ids or nothing; a refused import
changes no row, nothing imported comes back unescaped and exports carry no live formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from memorandum.catalogue.exchange import COLUMNS as CATALOGUE_COLUMNS
from memorandum.consultation.importer import COLUMNS as PROPOSAL_COLUMNS
from memorandum.roadmap.exchange import COLUMNS as FOLLOW_UP_COLUMNS
from memorandum.tests.fuzzing import (
    FAILURES,
    FIGURES,
    MARKER,
    ROLES,
    FuzzWorld,
    Rollback,
    fuzz_settings,
    hostile_text,
    is_live_formula,
)
from memorandum.tests.test_hostile_files import row_counts

cell_value = (
    hostile_text
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.dates(min_value=dt.date(1, 1, 1))
    | st.none()
)


def _xlsx_cell(value):
    # openpyxl refuses to write control characters: those go through CSV and JSON instead.
    if isinstance(value, str):
        return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", value)
    return value


def plausible(column: str, ids: list[int]) -> st.SearchStrategy:
    """Values that a real file would have in this column, so that rows often pass the checks
    and reach the writing (where partial imports and stored markup would happen)."""
    real_id = st.sampled_from(ids or [1])
    text = st.sampled_from(["Titel", "Titre", MARKER + "x", "=1+1", "-5 %", "$x$"])
    values = {
        "kind": st.sampled_from(["recommendation", "commitment", "legislation", "decision"]),
        "number": st.integers(1, 60),
        "order": st.integers(1, 60),
        "domain": st.integers(1, 12),
        "theme": st.sampled_from(["", "1.1", "3.2"]),
        "status": st.sampled_from(["draft", "adopted", "ongoing", "done", "at_risk"]),
        "precision": st.sampled_from(["day", "month", "year"]),
        "date": st.dates(dt.date(1990, 1, 1), dt.date(2040, 1, 1)),
        "end_date": st.none() | st.dates(dt.date(1990, 1, 1), dt.date(2040, 1, 1)),
        "start_date": st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)),
        "due_date": st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)),
        "done_date": st.none() | st.dates(dt.date(2020, 1, 1), dt.date(2025, 1, 1)),
        "url": st.sampled_from(["", "https://example.org/a", "javascript:alert(1)"]),
        "addressees": st.sampled_from(["", "1", "1;2"]),
        "references": st.sampled_from(["", "1"]),
        "id": st.none() | real_id,
        "initiative": real_id,
        "indicator": real_id,
        "recommendations": st.sampled_from(["R1", "R2, C1", "R1.1", "R999"]),
        "progress": st.integers(-5, 105),
        "value": st.sampled_from(["12,5", "1e15", "NaN", 3, 2.5]),
        "zone": st.sampled_from(["", "S001", "XXXX"]),
        "language": st.sampled_from(["nl", "fr", "de"]),
        "event": st.sampled_from(["", "1"]),
        "lead_organisation": text,
    }
    return values.get(column, text)


@st.composite
def tables(draw, columns: dict[str, list[str]], ids: dict[str, list[int]]):
    """A table per sheet: the real header (sometimes with a column dropped or added) and rows
    whose cells are hostile values, real ids or nothing."""
    result = {}
    for name, header in columns.items():
        header = list(header)
        if draw(st.booleans()) and draw(st.integers(0, 9)) == 0:
            header.pop(draw(st.integers(0, len(header) - 1)))
        if draw(st.integers(0, 9)) == 0:
            header.append(draw(hostile_text))
        cells = [
            st.one_of(*[plausible(column, ids.get(name, []))] * 3, cell_value) for column in header
        ]
        rows = draw(st.lists(st.tuples(*cells).map(list), max_size=4))
        result[name] = [header, *rows]
    return result


def xlsx(tables_: dict[str, list[list]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in tables_.items():
        sheet = book.create_sheet(name[:31])
        for row in rows:
            sheet.append([_xlsx_cell(v) for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def as_csv(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    return buffer.getvalue().encode("utf-8", "surrogatepass")


def as_json(tables_: dict[str, list[list]]) -> bytes:
    document: dict = {"format": "memorandum-catalogue/1"}
    for name, (header, *rows) in tables_.items():
        document[name] = [dict(zip(header, row, strict=False)) for row in rows]
    return json.dumps(document, default=str).encode("utf-8", "surrogatepass")


class ImportFuzzTestCase(FuzzWorld):
    def fuzz_import(self, url: str, name: str, build, roles: list[str]):
        @fuzz_settings()
        @given(content=build, role=st.sampled_from(roles))
        def case(content, role):
            FIGURES["cases"] += 1
            FIGURES["import_cases"] += 1
            client = Client()
            try:
                with transaction.atomic():
                    self.login_as(client, role)
                    before = row_counts()
                    response = self.request(
                        client, "post", url, {"file": SimpleUploadedFile(name, content)}
                    )
                    self.assert_escaped(response, f"the answer to {url}")
                    if response.status_code not in (301, 302, 303) and row_counts() != before:
                        FIGURES["partial_imports"] += 1
                        FAILURES.append(f"{role} {url}: refused but rows changed")
                        raise AssertionError("partial import")
                    if response.status_code in (301, 302, 303):
                        FIGURES["imports_accepted"] += 1
                        self.assert_everything_renders()
                        self.assert_no_live_formula(client)
                    raise Rollback
            except Rollback:
                pass

        try:
            case()
        except AssertionError as error:
            FAILURES.append(f"import {url} {name}: {error}")

    def assert_no_live_formula(self, client: Client) -> None:
        slug = self.edition.slug
        rows = csv.reader(
            io.StringIO(
                self.request(
                    client, "get", reverse("catalogue:export", args=[slug, "csv"])
                ).content.decode("utf-8-sig")
            ),
            delimiter=";",
        )
        book = load_workbook(
            io.BytesIO(
                self.request(
                    client, "get", reverse("catalogue:export", args=[slug, "xlsx"])
                ).content
            )
        )
        cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
        if any(is_live_formula(v) for row in rows for v in row) or any(
            c.data_type == "f" for c in cells
        ):
            FIGURES["live_formulas"] += 1
            raise AssertionError("a live formula in an export")

    def test_generated_files_against_every_import_as_every_role(self):
        slug = self.edition.slug
        catalogue_ids = {
            "domains": list(self.edition.domains.values_list("number", flat=True)),
            "recommendations": [1, 2, 3],
        }
        roadmap_ids = {
            "initiatives": [self.public_initiative.pk, self.private_initiative.pk],
            "milestones": [self.milestone.pk],
            "measurements": [self.measurement.pk, self.indicator.pk],
        }
        catalogue = reverse("catalogue:import", args=[slug])
        everyone = ROLES
        self.fuzz_import(
            catalogue,
            "catalogue.xlsx",
            tables(CATALOGUE_COLUMNS, catalogue_ids).map(xlsx),
            everyone,
        )
        self.fuzz_import(
            catalogue,
            "catalogue.csv",
            tables({"recommendations": CATALOGUE_COLUMNS["recommendations"]}, catalogue_ids).map(
                lambda t: as_csv(t["recommendations"])
            ),
            everyone,
        )
        self.fuzz_import(
            catalogue,
            "catalogue.json",
            tables(CATALOGUE_COLUMNS, catalogue_ids).map(as_json),
            everyone,
        )
        self.fuzz_import(
            reverse("roadmap:import", args=[slug]),
            "opvolgformulier.xlsx",
            tables(FOLLOW_UP_COLUMNS, roadmap_ids).map(xlsx),
            everyone,
        )
        self.fuzz_import(
            reverse("consultation:import", args=[slug]),
            "proposals.xlsx",
            tables({"proposals": PROPOSAL_COLUMNS}, {}).map(xlsx),
            everyone,
        )
        self.assert_no_failures()
