"""Property-based fuzzing (Hypothesis) of every form and every import, as each role: the world
the cases run in, the hostile values and the checks every case ends with.

The cases are in ``test_fuzz_forms.py`` (every form and every page's query parameters) and
``test_fuzz_imports.py`` (every import).

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

import datetime as dt
import json
import os
import traceback
from collections import Counter
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from memorandum.assembly.tests.helpers import item_for, make_meeting
from memorandum.consultation.tests.helpers import make_event, make_proposal
from memorandum.lib.exports import FORMULA_TRIGGERS
from memorandum.roadmap.models import Measurement, PointOfAttention
from memorandum.roadmap.tests.base import RoadmapTestCase
from memorandum.survey.tests.helpers import invite, make_survey

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
