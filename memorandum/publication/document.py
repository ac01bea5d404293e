"""The memorandum as one document model, built from a snapshot of the catalogue data.

:func:`document_from_snapshot` turns a frozen snapshot (see ``snapshot.py``) into a plain
dataclass tree in one language; :func:`build_document` does the same from the data as
they stand now (the draft). The HTML, PDF and DOCX renderers only walk that tree, so the three
formats always say the same thing in the same order. Every fixed label comes from gettext in the
document's language; every content text is a :class:`LocalizedText` that knows when it
stands in for a missing translation, so renderers can mark it instead of dropping it.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field, replace
from types import SimpleNamespace

from django.utils import translation
from django.utils.translation import gettext as _

from memorandum.catalogue.models import (
    Edition,
    Recommendation,
    RecommendationKind,
    ReferenceKind,
    TimelineKind,
)
from memorandum.lib.dates import during, format_date, when
from memorandum.lib.i18n import LocalizedText, language_tag
from memorandum.lib.validation import is_safe_link
from memorandum.publication.changes import ChangesAnnex, annex_label, changes_annex
from memorandum.publication.snapshot import collect_snapshot
from memorandum.publication.typography import plain_typeset, typeset
from memorandum.publication.wording import (
    REFERENCE_LABELS,
    bilingual,
    facts,
    fallback_note,
    honorific,
    labels,
)
from memorandum.survey.contract import PublishedPriorities, read_priorities
from memorandum.survey.results import method_label

LANGUAGES = ("nl", "fr")
# Up to this many items the contents lists each one in the source's order; beyond, the
# items are grouped by domain and theme and the contents lists those.
CONTENTS_ITEMS_LIMIT = 40


@dataclass
class Action:
    """One "door …" line of a recommendation, with its sub-items."""

    text: str
    children: list[str] = field(default_factory=list)


@dataclass
class Item:
    """A numbered recommendation to the authorities or commitment of the local police."""

    code: str
    number: int
    anchor: str
    domain: LocalizedText
    theme: LocalizedText | None
    theme_code: str
    title: LocalizedText
    objective: LocalizedText
    namely: str
    actions: list[Action]
    actions_text: LocalizedText
    context: LocalizedText
    is_synthetic: bool
    domain_number: int = 0
    # The number as printed: "3" in the source's own order, "3.2.1" (domain, theme,
    # place) when a large edition is grouped by domain and theme.
    label: str = ""

    def __post_init__(self) -> None:
        self.label = self.label or str(self.number)


@dataclass
class ThemeGroup:
    """The items of one theme (or of a domain's items without a theme) in a grouped edition."""

    anchor: str
    code: str
    title: LocalizedText | None
    items: list[Item]


@dataclass
class DomainGroup:
    anchor: str
    number: int
    title: LocalizedText
    themes: list[ThemeGroup]

    @property
    def count(self) -> int:
        return sum(len(t.items) for t in self.themes)


@dataclass
class Addressee:
    honorific: str  # in the document's language: "De heer", "Madame" …
    name: str
    function: LocalizedText

    @property
    def salutation(self) -> str:
        return f"{self.honorific} {self.name}" if self.honorific and self.name else self.name


@dataclass
class Domain:
    """A work domain with its themes, as the source names them."""

    number: int
    name: LocalizedText
    themes: list[tuple[str, LocalizedText]]  # ("3.2", name)


@dataclass
class Reference:
    title: LocalizedText
    url: str


@dataclass
class ReferenceGroup:
    label: str
    references: list[Reference]


@dataclass
class ProcessStep:
    """A dated step of the edition's process, as shown in the introduction."""

    when: str
    iso: str
    title: LocalizedText


@dataclass
class PriorityRow:
    code: str
    title: LocalizedText
    rank: int
    score: float
    rank_low: int
    rank_high: int

    @property
    def rank_range(self) -> str:
        return (
            str(self.rank)
            if self.rank_low == self.rank_high
            else f"{self.rank_low}–{self.rank_high}"
        )


@dataclass
class Priorities:
    """The tallied priority survey, when the survey app publishes one."""

    title: str
    method: str
    ballots: int
    zones_total: int
    window: str
    rows: list[PriorityRow]
    synthetic: bool
    summary: str

    @property
    def has_scores(self) -> bool:
        """False when the survey withheld its scores (they could be taken apart to recover a
        zone's weight): then the order and plausible ranks are shown without a score chart."""
        return all(math.isfinite(row.score) for row in self.rows)

    def for_chart(self, lang: str) -> Priorities:
        """The same priorities with the titles a chart label can show: no notes or language
        marks, French typography on French titles (the table sets them as it renders)."""
        rows = [replace(row, title=plain_typeset(row.title, lang)) for row in self.rows]
        return replace(self, rows=rows)


@dataclass
class Section:
    """An entry of the table of contents."""

    anchor: str
    title: str
    synthetic: bool = False


@dataclass
class Document:
    """Everything one rendering of the memorandum shows, in one language."""

    lang: str
    slug: str
    title: LocalizedText
    period: str
    issuing_body: LocalizedText
    is_draft: bool
    is_synthetic: bool
    date: datetime.date
    labels: dict[str, str]
    addressees: list[Addressee]
    foreword: LocalizedText
    foreword_author: str
    foreword_author_function: LocalizedText
    introduction: LocalizedText
    facts: list[str]
    process: list[ProcessStep]
    recommendations: list[Item]
    commitments: list[Item]
    priorities: Priorities | None
    references: list[ReferenceGroup]
    notes: LocalizedText
    domains: list[Domain] = field(default_factory=list)
    # Names of the parts made of generated data ("Priorities set by the survey"), for the
    # cover, contents, bookmarks and colophon; empty when the whole edition is synthetic.
    synthetic_parts: list[str] = field(default_factory=list)
    # "recommendations"/"commitments" -> domains and themes, when the edition is grouped.
    item_groups: dict[str, list[DomainGroup]] = field(default_factory=dict)
    # The edition's cover picture: a data address and its text alternative, or "".
    cover_image: str = ""
    cover_alt: str = ""
    # Publication option: each item on a page of its own, as the printed original does.
    item_per_page: bool = False
    # "Version 2, published on 29 November 2026"; empty for a draft that is not a version.
    version: str = ""
    sections: list[Section] = field(default_factory=list)
    # Up to this many items, the contents list each one; beyond, sections only (bookmarks keep all).
    contents_items_limit: int = field(default_factory=lambda: CONTENTS_ITEMS_LIMIT)
    fallback_languages: list[str] = field(default_factory=list)
    # The annex "What changed since the previous memorandum" (publication/changes.py).
    changes: ChangesAnnex | None = None

    @property
    def contents_lists_items(self) -> bool:
        return len(self.recommendations) + len(self.commitments) <= self.contents_items_limit

    @property
    def grouped(self) -> bool:
        """A large edition is printed by domain and theme, numbered along that structure;
        a small one keeps the source's own order and numbers (as the real memorandum)."""
        return not self.contents_lists_items

    @property
    def synthetic_note(self) -> str:
        """The colophon's sentence on which parts are generated."""
        return self.labels["synthetic_parts_note"] % {"parts": ", ".join(self.synthetic_parts)}

    @property
    def language_tag(self) -> str:
        """The document's BCP 47 tag (``nl-BE``): HTML ``lang``, PDF ``/Lang``, DOCX."""
        return language_tag(self.lang)

    def texts(self) -> list[LocalizedText]:
        """Every content text, to find the ones shown in the other language."""
        found = [
            self.title,
            self.issuing_body,
            self.foreword,
            self.foreword_author_function,
            self.introduction,
            self.notes,
        ]
        found += [a.function for a in self.addressees] + [s.title for s in self.process]
        found += [d.name for d in self.domains]
        for item in self.recommendations + self.commitments:
            found += [
                item.domain,
                item.theme,
                item.title,
                item.objective,
                item.actions_text,
                item.context,
            ]
        found += [r.title for g in self.references for r in g.references]
        if self.priorities:
            found += [r.title for r in self.priorities.rows]
        if self.changes:
            found += self.changes.texts()
        return [t for t in found if isinstance(t, LocalizedText)]


def build_document(edition: Edition, lang: str, *, survey=None) -> Document:
    """The memorandum of ``edition`` in ``lang`` ("nl" or "fr") as the data stand now.

    Adopted items only. ``survey`` is the counted survey whose priorities go into the
    document, or None for none: the builder never picks a survey by itself.
    """
    return document_from_snapshot(collect_snapshot(edition, survey), lang)


def document_from_snapshot(snapshot: dict, lang: str) -> Document:
    """The document in ``lang`` from a snapshot (:func:`~memorandum.publication.snapshot.collect_snapshot`)."""
    if lang not in LANGUAGES:
        raise ValueError(f"Unknown document language {lang!r}; use one of {', '.join(LANGUAGES)}.")
    with translation.override(lang):
        return _build(snapshot, lang)


@dataclass
class _Event:
    kind: str
    date: datetime.date
    end_date: datetime.date | None
    precision: str
    title: dict


def _build(snapshot: dict, lang: str) -> Document:
    def text(values: dict | None) -> LocalizedText:
        return bilingual(values, lang)

    ed = snapshot["edition"]
    timeline = [
        _Event(
            kind=e["kind"],
            date=datetime.date.fromisoformat(e["date"]),
            end_date=datetime.date.fromisoformat(e["end_date"]) if e["end_date"] else None,
            precision=e["precision"],
            title=e["title"],
        )
        for e in snapshot["timeline"]
    ]
    items = snapshot["items"]
    recommendations = [
        _item(r, lang) for r in items if r["kind"] == RecommendationKind.RECOMMENDATION
    ]
    commitments = [_item(r, lang) for r in items if r["kind"] == RecommendationKind.COMMITMENT]
    references = snapshot["references"]
    groups = [
        ReferenceGroup(
            label=str(REFERENCE_LABELS[kind]()),
            references=[
                Reference(title=text(r["title"]), url=r["url"] if is_safe_link(r["url"]) else "")
                for r in references
                if r["kind"] == kind
            ],
        )
        for kind in ReferenceKind
    ]
    publication = [e.date for e in timeline if e.kind == TimelineKind.PUBLICATION]
    version = snapshot.get("version")
    if version:
        # A published version carries its own date, in the metadata too.
        publication = [datetime.date.fromisoformat(version["published_on"])]
    doc = Document(
        lang=lang,
        slug=ed["slug"],
        title=text(ed["title"]),
        period=ed["period"],
        issuing_body=text(ed["issuing_body"]),
        is_draft=not ed["is_public"],
        is_synthetic=ed["is_synthetic"],
        # A fixed date from the data, never the clock: the same data gives the same file.
        date=publication[0] if publication else datetime.date(ed["period_start"], 1, 1),
        labels=labels(),
        addressees=[
            Addressee(
                honorific=honorific(a.get("honorific", "")),
                name=a["name"],
                function=text(a["function"]),
            )
            for a in snapshot["addressees"]
        ],
        foreword=text(ed["foreword"]),
        foreword_author=ed["foreword_author"],
        foreword_author_function=text(ed["foreword_author_function"]),
        introduction=text(ed["introduction"]),
        facts=facts(snapshot, timeline, len(recommendations), len(commitments), lang),
        process=[
            ProcessStep(
                when=when(e.date, e.end_date, e.precision),
                iso=e.date.isoformat(),
                title=text(e.title),
            )
            for e in timeline
            if e.kind != TimelineKind.PUBLICATION
        ],
        recommendations=recommendations,
        commitments=commitments,
        priorities=_priorities(read_priorities(snapshot["survey"]), lang, timeline),
        references=[g for g in groups if g.references],
        notes=text(ed["notes"]),
        domains=[
            Domain(
                number=d["number"],
                name=text(d["name"]),
                themes=[(f"{d['number']}.{t['number']}", text(t["name"])) for t in d["themes"]],
            )
            for d in snapshot.get("structure", [])
        ],
        version=_("Version %(number)d, published on %(date)s")
        % {"number": version["number"], "date": format_date(publication[0])}
        if version
        else "",
    )
    doc.changes = changes_annex(snapshot.get("changes"), lang, ed["period"])
    if doc.changes:
        doc.labels["changes"] = annex_label()
    doc.fallback_languages = sorted({t.lang for t in doc.texts() if t.is_fallback})
    doc.labels["fallback_notes"] = " ".join(fallback_note(code) for code in doc.fallback_languages)
    if lang == "fr":
        _typeset(doc)
    if doc.priorities and doc.priorities.synthetic and not doc.is_synthetic:
        doc.synthetic_parts.append(doc.labels["priorities"])
    cover = snapshot.get("cover")
    if cover:
        doc.cover_image, doc.cover_alt = cover["src"], str(text(cover["alt"]))
    doc.item_per_page = bool((snapshot.get("options") or {}).get("item_per_page"))
    if doc.grouped:
        doc.item_groups = {
            "recommendations": group_items(doc.recommendations, "r"),
            "commitments": group_items(doc.commitments, "c"),
        }
    doc.sections = _sections(doc)
    return doc


def _typeset(doc: Document) -> None:
    """French typography on the generated wording (content texts are set as they render)."""
    doc.labels = {key: typeset(value) for key, value in doc.labels.items()}
    doc.facts = [typeset(sentence) for sentence in doc.facts]
    doc.version = typeset(doc.version)
    for group in doc.references:
        group.label = typeset(group.label)
    for step in doc.process:
        step.when = typeset(step.when)
    if doc.priorities:
        doc.priorities.summary = typeset(doc.priorities.summary)


def _item(item: dict, lang: str) -> Item:
    actions_text = bilingual(item["actions"], lang)
    # The connective belongs to the language the action lines are actually written in.
    with translation.override(actions_text.lang or lang):
        namely = _("namely:")
    # The catalogue's own parser of action lines, applied to the frozen text.
    holder = SimpleNamespace(**{f"actions_{code}": t for code, t in item["actions"].items()})
    return Item(
        code=item["code"],
        number=item["number"],
        anchor=item["code"].lower(),
        domain=bilingual(item["domain"], lang),
        theme=bilingual(item["theme"], lang) if item["theme"] else None,
        theme_code=item["theme_code"],
        title=bilingual(item["title"], lang),
        objective=bilingual(item["objective"], lang),
        namely=namely,
        actions=[
            Action(a["text"], a["children"])
            for a in Recommendation.action_items(holder, actions_text.lang)
        ],
        actions_text=actions_text,
        context=bilingual(item["context"], lang),
        is_synthetic=item["is_synthetic"],
        # Version-1 snapshots have no domain number: the theme code starts with it.
        domain_number=item.get("domain_number")
        or (int(item["theme_code"].split(".")[0]) if item["theme_code"] else 0),
    )


def _theme_key(code: str) -> tuple[int, ...]:
    return tuple(int(part) for part in code.split(".") if part.isdigit()) or (0,)


def group_items(items: list[Item], prefix: str) -> list[DomainGroup]:
    """Items by domain, then theme (items without a theme first), each numbered
    "domain.theme.place" (or "domain.place" without a theme). Sets each item's label."""
    domains: dict[int, DomainGroup] = {}
    ordered = sorted(items, key=lambda i: (i.domain_number, _theme_key(i.theme_code), i.number))
    for item in ordered:
        domain = domains.get(item.domain_number)
        if domain is None:
            domain = domains[item.domain_number] = DomainGroup(
                anchor=f"{prefix}-d{item.domain_number}",
                number=item.domain_number,
                title=item.domain,
                themes=[],
            )
        if not domain.themes or domain.themes[-1].code != item.theme_code:
            domain.themes.append(
                ThemeGroup(
                    anchor=f"{prefix}-t{item.theme_code or item.domain_number}",
                    code=item.theme_code,
                    title=item.theme,
                    items=[],
                )
            )
        theme = domain.themes[-1]
        theme.items.append(item)
        base = theme.code or str(domain.number)
        item.label = f"{base}.{len(theme.items)}"
    return list(domains.values())


def _sections(doc: Document) -> list[Section]:
    entries = [
        ("addressees", bool(doc.addressees)),
        ("foreword", bool(doc.foreword)),
        ("introduction", bool(doc.introduction or doc.facts or doc.process)),
        ("recommendations", bool(doc.recommendations)),
        ("commitments", bool(doc.commitments)),
        ("priorities", doc.priorities is not None),
        ("references", bool(doc.references)),
        ("changes", doc.changes is not None),
        ("colophon", True),
    ]
    synthetic = {"priorities": bool(doc.priorities and doc.priorities.synthetic)}
    return [
        Section(anchor=key, title=doc.labels[key], synthetic=synthetic.get(key, False))
        for key, shown in entries
        if shown
    ]


def survey_window(opens: datetime.date, closes: datetime.date, timeline: list) -> str:
    """The survey's window, no more precise than the timeline knows it.

    When the edition's timeline records the survey with an approximate date ("between
    mid-May and early June 2023"), that wording wins over the survey's technical dates.
    """
    for event in timeline:
        if event.kind == TimelineKind.SURVEY and event.date == opens:
            return during(event.date, event.end_date or closes, event.precision)
    return during(opens, closes)


def _priorities(
    result: PublishedPriorities | None, lang: str, timeline: list = ()
) -> Priorities | None:
    """The priorities of the survey chosen for the memorandum (frozen in the snapshot)."""
    if result is None:
        return None
    rows = [
        PriorityRow(
            code=row.code,
            title=bilingual(row.title, lang),
            rank=row.rank,
            score=float("nan") if row.score is None else row.score,
            rank_low=row.rank_low,
            rank_high=row.rank_high,
        )
        for row in result.rows
    ]
    rows.sort(key=lambda r: (r.rank, r.code))
    window = survey_window(result.opens, result.closes, timeline)
    title = bilingual(result.title, lang)
    method = method_label(result.method)
    summary = _(
        "%(ballots)d of %(zones)d police zones took part in the survey “%(title)s”, held "
        "%(window)s and counted on %(counted)s. Method: %(method)s."
    ) % {
        "ballots": result.ballots,
        "zones": result.zones_total,
        "title": title,
        "window": window,
        "counted": format_date(result.counted),
        "method": method,
    }
    return Priorities(
        title=str(title),
        method=method,
        ballots=result.ballots,
        zones_total=result.zones_total,
        window=window,
        rows=rows,
        synthetic=result.synthetic,
        summary=summary,
    )


def describe_survey(result: PublishedPriorities | None, lang: str) -> str:
    """'“Title” (15 May to 5 June 2023; 141 of 185 zones; Schulze)', or that there is none."""
    if result is None:
        return _("No survey result")
    return _("“%(title)s” (%(window)s; %(ballots)d of %(zones)d zones; %(method)s)") % {
        "title": bilingual(result.title, lang),
        "window": when(result.opens, result.closes),
        "ballots": result.ballots,
        "zones": result.zones_total,
        "method": method_label(result.method),
    }
