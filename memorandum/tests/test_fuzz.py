"""Property-based fuzzing (Hypothesis) of every form and every import, as each role.

The forms are not listed by hand: every page of :func:`pages` is fetched as each role, and
every ``<form method="post">`` on it is parsed (inputs, selects with their options,
textareas) and posted with generated values — hostile text (markup, control characters,
mathtext, formulas, dates at the ends of the calendar, huge numbers, ``NaN``), real
options and random text. GET forms and query parameters get the same treatment. The
imports get generated workbooks, CSV and JSON files with the real columns. After every
case:

- no answer is a 5xx;
- an import that was refused changed no row (nothing partially imported);
- nothing posted comes back unescaped: a marker element posted in any field never appears
  as markup in the page answered, nor in the page a success redirects to;
- exports carry no live formula.

Each case runs in a savepoint that is rolled back, so cases do not see each other.

**Quick and full modes.** By default each form gets ``FUZZ_EXAMPLES=3`` cases per role
(derandomized, so CI is repeatable and stays within its time budget); set a larger value
for a full run, e.g. ``FUZZ_EXAMPLES=200``, which also draws fresh random cases every run.
``FUZZ_ONLY=milestones`` fuzzes only the forms whose address contains that text.
``FUZZ_REPORT=path.json`` writes the figures (cases tried, 5xx, partial imports, stored
XSS) for ``docs/robustness.md``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import traceback
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from memorandum.assembly.tests.helpers import item_for, make_meeting
from memorandum.catalogue.exchange import COLUMNS as CATALOGUE_COLUMNS
from memorandum.consultation.importer import COLUMNS as PROPOSAL_COLUMNS
from memorandum.consultation.tests.helpers import make_event, make_proposal
from memorandum.lib.exports import FORMULA_TRIGGERS
from memorandum.roadmap.exchange import COLUMNS as FOLLOW_UP_COLUMNS
from memorandum.roadmap.models import Measurement, PointOfAttention
from memorandum.roadmap.tests.base import RoadmapTestCase
from memorandum.survey.tests.helpers import invite, make_survey
from memorandum.tests.test_hostile_files import row_counts

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "3"))
QUICK = EXAMPLES <= 10
REPORT = os.environ.get("FUZZ_REPORT")
ONLY = os.environ.get("FUZZ_ONLY", "")  # fuzz only the forms whose address contains this
FIGURES: Counter = Counter()
FAILURES: list[str] = []

# Markup that must never come back as markup: found verbatim means stored or reflected XSS.
MARKER = '<i data-fuzz="1">'
HOSTILE = [
    "",
    " ",
    MARKER + "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(document.domain)",
    "\x00",
    "a\x01b\x1fc",
    "$\\undefinedcmd{x}$",
    "$x^2$ and $$",
    '=HYPERLINK("http://example.invalid","x")',
    "+1",
    "-1",
    "@SUM(A1)",
    "0001-01-01",
    "9999-12-31",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "31/02/2025",
    "2025-03-31",
    "1e15",
    "NaN",
    "inf",
    "-Infinity",
    "99999999999999999999",
    "2147483648",
    "-2147483649",
    "0",
    "1",
    "-1.5",
    "x" * 5000,
    "\u202eevil",
    "😀" * 10,
    "%00",
    "' OR 1=1 --",
    "../../etc/passwd",
]
hostile_text = st.sampled_from(HOSTILE) | st.text(max_size=40)

ROLES = ["anonymous", "secretariat", "chief", "coordinator", "assembly", "partner"]


def fuzz_settings(**kwargs):
    return settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=QUICK,
        database=None,
        print_blob=True,
        suppress_health_check=list(HealthCheck),
        **kwargs,
    )


class FormParser(HTMLParser):
    """The forms of a page: method, action and fields (name → kind, options, value)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "method": (attrs.get("method") or "get").lower(),
                    "action": attrs.get("action") or "",
                    "enctype": attrs.get("enctype") or "",
                    "fields": {},
                }
            )
            return
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            field = fields.setdefault(name, {"kind": kind, "options": [], "value": ""})
            if kind in ("checkbox", "radio"):
                field["options"].append(attrs.get("value") or "on")
            else:
                field["value"] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            fields.setdefault(name, {"kind": "textarea", "options": [], "value": ""})
        elif tag == "select" and name:
            self._select = name
            fields.setdefault(
                name,
                {"kind": "select", "options": [], "value": "", "multiple": "multiple" in attrs},
            )
        elif tag == "option" and self._select:
            fields[self._select]["options"].append(attrs.get("value", ""))
        elif tag == "button" and name:
            fields.setdefault(name, {"kind": "submit", "options": [], "value": ""})
            fields[name]["options"].append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def forms_of(html: str) -> list[dict]:
    parser = FormParser()
    parser.feed(html)
    return parser.forms


def value_for(field: dict) -> st.SearchStrategy:
    """Generated values for one field: its real options, its current value, or hostile text."""
    kind, options = field["kind"], [o for o in field["options"] if o is not None]
    if kind == "hidden" or kind == "submit":
        return st.sampled_from([field["value"], *options] or [""]) | hostile_text
    if kind == "file":
        return st.just(None)
    if options:
        real = st.sampled_from(options)
        if field.get("multiple") or kind == "checkbox":
            return st.lists(real, max_size=3) | st.lists(hostile_text, max_size=2)
        return real | hostile_text
    return hostile_text | st.just(field["value"])


PLAUSIBLE_BY_KIND = {
    "date": "2025-03-31",
    "datetime-local": "2025-03-31T10:00",
    "number": "1",
    "email": "someone@example.org",
    "url": "https://example.org/",
    "text": "Titel",
    "textarea": "Tekst",
    "password": "a-long-test-password-42",
}


def plausible_value(field: dict):
    """What a careful user would send in this field, so that a form can succeed."""
    options = [o for o in field["options"] if o]
    if field["kind"] in ("checkbox", "radio", "select", "submit") and options:
        return [options[0]] if field["kind"] == "checkbox" or field.get("multiple") else options[0]
    return field["value"] or PLAUSIBLE_BY_KIND.get(field["kind"], "Titel")


def form_data(fields: dict) -> st.SearchStrategy:
    """Mostly one hostile field in an otherwise plausible form (so the form can succeed and
    store the hostile value), sometimes every field generated at once."""
    posted = {name: field for name, field in fields.items() if field["kind"] != "file"}
    if not posted:
        return st.just({})
    everything = st.fixed_dictionaries({name: value_for(f) for name, f in posted.items()})

    @st.composite
    def one_hostile(draw):
        target = draw(st.sampled_from(sorted(posted)))
        data = {name: plausible_value(field) for name, field in posted.items()}
        data[target] = draw(value_for(posted[target]))
        return data

    return st.one_of(one_hostile(), one_hostile(), one_hostile(), everything)


def is_live_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


class Rollback(Exception):
    """Raised at the end of every case: its savepoint is rolled back."""


class FuzzWorld(RoadmapTestCase):
    """The world every form and page needs: roadmap items, a meeting, a survey, proposals."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.measurement = Measurement.objects.create(
            indicator=cls.indicator, date=dt.date(2025, 1, 1), value=10, recorded_by=cls.chief
        )
        cls.point = PointOfAttention.objects.create(
            initiative=cls.public_initiative, text="Budget", raised_by=cls.chief
        )
        cls.meeting = make_meeting(cls.edition, cls.zones)
        cls.item = item_for(cls.meeting)
        cls.event = make_event(cls.edition)
        cls.proposal = make_proposal(cls.edition, zone=cls.zones[0], author=cls.chief)
        cls.survey = make_survey(cls.edition)
        cls.invitation, cls.token = invite(cls.survey, cls.zones[0])

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        if REPORT:
            with open(REPORT, "w") as out:
                json.dump({"examples": EXAMPLES, **FIGURES, "failures": FAILURES}, out, indent=2)

    def pages(self) -> list[str]:
        slug, initiative = self.edition.slug, self.public_initiative.pk
        meeting = self.meeting.pk

        def r(name, *args):
            return reverse(name, args=[slug, *args])

        return [
            "/nl/login/",
            r("catalogue:catalogue"),
            r("catalogue:recommendation", "R1"),
            r("catalogue:history", "R1"),
            r("consultation:events"),
            r("consultation:event_new"),
            r("consultation:proposals"),
            r("consultation:proposal_new"),
            r("consultation:proposal", self.proposal.pk),
            r("consultation:duplicates"),
            r("consultation:merge") + f"?proposals={self.proposal.pk}",
            r("consultation:merges"),
            r("survey:list"),
            r("survey:create"),
            r("survey:detail", self.survey.pk),
            r("survey:edit", self.survey.pk),
            r("survey:participation", self.survey.pk),
            r("survey:my_ballot", self.survey.pk),
            f"/nl/survey/ballot/{self.token}/",
            r("assembly:meetings"),
            r("assembly:meeting_new"),
            r("assembly:meeting", meeting),
            r("assembly:meeting_edit", meeting),
            r("assembly:agenda_item_new", meeting),
            r("assembly:decision_new", meeting, self.item.pk),
            r("roadmap:dashboard"),
            r("roadmap:initiative_create"),
            r("roadmap:initiative", initiative),
            r("roadmap:initiative_edit", initiative),
            r("roadmap:record_update", initiative),
            r("roadmap:add_milestone", initiative),
            r("roadmap:edit_milestone", initiative, self.milestone.pk),
            r("roadmap:add_indicator", initiative),
            r("roadmap:add_measurement", initiative),
            r("roadmap:raise_point", initiative),
            r("roadmap:report"),
        ]

    def render_pages(self) -> list[str]:
        """Where stored values are shown: pages, charts, exports, the report (as DOCX)."""
        slug = self.edition.slug

        def r(name, *args):
            return reverse(name, args=[slug, *args])

        return [
            r("catalogue:catalogue"),
            r("catalogue:recommendation", "R1"),
            r("catalogue:export", "xlsx"),
            r("catalogue:export", "csv"),
            r("consultation:proposals"),
            r("consultation:events"),
            r("survey:list"),
            r("survey:detail", self.survey.pk),
            r("assembly:meetings"),
            r("assembly:meeting", self.meeting.pk),
            r("roadmap:dashboard"),
            r("roadmap:timeline_chart"),
            r("roadmap:status_chart", "domain"),
            r("roadmap:initiative", self.public_initiative.pk),
            r("roadmap:indicator_chart", self.public_initiative.pk, self.indicator.pk),
            r("roadmap:export"),
            r("roadmap:report")
            + "?date_from=2020-01-01&date_to=2030-12-31&language=nl&format=docx",
        ]

    def assert_everything_renders(self) -> None:
        """After a successful write: every page that shows stored values still answers."""
        client = Client()
        client.force_login(self.secretariat)
        for page in self.render_pages():
            self.assert_escaped(self.request(client, "get", page), page)

    def login_as(self, client: Client, role: str) -> None:
        if role != "anonymous":
            client.force_login(getattr(self, role))

    def request(self, client: Client, method: str, url: str, data=None):
        """The response; a server error is recorded with its traceback and fails the case."""
        FIGURES["requests"] += 1
        try:
            response = getattr(client, method)(url, data or {})
        except Exception:  # the test client re-raises what the view raised: a 500
            FIGURES["server_errors"] += 1
            FAILURES.append(f"{method.upper()} {url} {data!r}\n{traceback.format_exc(limit=-3)}")
            raise AssertionError(f"5xx on {method.upper()} {url}") from None
        if response.status_code >= 500:
            FIGURES["server_errors"] += 1
            FAILURES.append(f"{method.upper()} {url} {data!r}: {response.status_code}")
            raise AssertionError(f"{response.status_code} on {method.upper()} {url}")
        return response

    def assert_escaped(self, response, what: str) -> None:
        content_type = response.get("Content-Type", "")
        if ("html" in content_type or "svg" in content_type) and MARKER.encode() in (
            response.content
        ):
            FIGURES["stored_xss"] += 1
            FAILURES.append(f"unescaped markup in {what}")
            raise AssertionError(f"unescaped markup in {what}")

    def targets(self) -> list[tuple[str, str, str, dict]]:
        """(role, method, url, fields) of every form on every page, as each role."""
        found, seen = [], set()
        for role in ROLES:
            client = Client()
            self.login_as(client, role)
            for page in self.pages():
                response = client.get(page)
                if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                    continue
                for form in forms_of(response.content.decode()):
                    action = form["action"] or page
                    if not action.startswith("/") or "logout" in action:
                        continue
                    key = (
                        role,
                        form["method"],
                        urlsplit(action).path,
                        tuple(sorted(form["fields"])),
                    )
                    if key not in seen:
                        seen.add(key)
                        found.append((role, form["method"], action, form["fields"]))
        return found

    def fuzz_form(self, role: str, method: str, url: str, fields: dict) -> None:
        @fuzz_settings()
        @given(data=form_data(fields))
        def case(data):
            FIGURES["cases"] += 1
            client = Client()
            try:
                with transaction.atomic():
                    self.login_as(client, role)
                    response = self.request(client, method, url, data)
                    self.assert_escaped(response, f"the answer to {url}")
                    if response.status_code in (301, 302, 303) and response.get(
                        "Location", ""
                    ).startswith("/"):
                        target = self.request(client, "get", response["Location"])
                        self.assert_escaped(target, f"{response['Location']} after {url}")
                        self.assert_everything_renders()
                    raise Rollback
            except Rollback:
                pass

        try:
            case()
        except AssertionError as error:
            FAILURES.append(f"{role} {method} {url}: {error}")

    def setUp(self):
        super().setUp()
        self.failures_before = len(FAILURES)

    def assert_no_failures(self) -> None:
        self.assertEqual(FAILURES[self.failures_before :], [])


class FormFuzzTestCase(FuzzWorld):
    def test_every_form_as_every_role_answers_without_5xx_and_escapes_what_it_stores(self):
        targets = self.targets()
        self.assertGreater(len(targets), 20, "the fuzzer found too few forms")
        for role, method, url, fields in targets:
            if ONLY in url:
                self.fuzz_form(role, method, url, fields)
        FIGURES["forms"] = len(targets)
        self.assert_no_failures()

    def test_query_parameters_of_every_page_answer_without_5xx(self):
        parameters = ["page", "q", "receipt", "recommendation", "indicator", "proposals", "lang"]

        @fuzz_settings()
        @given(
            page=st.sampled_from(self.pages()),
            role=st.sampled_from(ROLES),
            query=st.dictionaries(st.sampled_from(parameters) | hostile_text, hostile_text),
        )
        def case(page, role, query):
            FIGURES["cases"] += 1
            client = Client()
            try:
                with transaction.atomic():
                    self.login_as(client, role)
                    response = self.request(client, "get", page + "?" + urlencode(query))
                    self.assert_escaped(response, page)
                    raise Rollback
            except Rollback:
                pass

        for _ in range(1 if QUICK else 5):
            try:
                case()
            except AssertionError as error:
                FAILURES.append(f"query parameters: {error}")
        self.assert_no_failures()


# -- imports ---------------------------------------------------------------------------

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
