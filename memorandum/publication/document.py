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
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from memorandum.catalogue.models import (
    Edition,
    Recommendation,
    RecommendationKind,
    ReferenceKind,
    TimelineKind,
)
from memorandum.lib.i18n import LocalizedText, localized
from memorandum.lib.validation import is_safe_link
from memorandum.publication.snapshot import collect_snapshot
from memorandum.survey.contract import PublishedPriorities, read_priorities
from memorandum.survey.results import method_label

LANGUAGES = ("nl", "fr")
LANGUAGE_TAGS = {"nl": "nl-BE", "fr": "fr-BE"}


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


@dataclass
class Addressee:
    name: str
    function: LocalizedText


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


@dataclass
class Section:
    """An entry of the table of contents."""

    anchor: str
    title: str


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
    # "Version 2, published on 29 November 2026"; empty for a draft that is not a version.
    version: str = ""
    sections: list[Section] = field(default_factory=list)
    # Up to this many items, the contents list each one; beyond, sections only (bookmarks keep all).
    contents_items_limit: int = 40
    fallback_languages: list[str] = field(default_factory=list)

    @property
    def contents_lists_items(self) -> bool:
        return len(self.recommendations) + len(self.commitments) <= self.contents_items_limit

    @property
    def language_tag(self) -> str:
        return LANGUAGE_TAGS[self.lang]

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
        return [t for t in found if isinstance(t, LocalizedText)]


def labels() -> dict[str, str]:
    """The document's fixed wording, in the active language."""
    return {
        "addressees": _("For the attention of"),
        "foreword": _("Foreword by the chair"),
        "introduction": _("Introduction"),
        "process": _("How this memorandum came about"),
        "process_date": _("When"),
        "process_step": _("Step"),
        "recommendations": _("Recommendations to the authorities"),
        "recommendations_intro": _(
            "The local police asks the authorities to act on the following recommendations."
        ),
        "commitments": _("Commitments of the local police"),
        "commitments_intro": _(
            "The local police commits itself to the following, within the means granted to it."
        ),
        "domain": _("Work domain"),
        "theme": _("Theme"),
        "context": _("Contextual elements"),
        "priorities": _("Priorities set by the survey"),
        "rank": _("Rank"),
        "rank_range": _("Plausible ranks"),
        "score": _("Score"),
        "code": _("Code"),
        "title": _("Title"),
        "chart_note": _("The same results are given in the table."),
        "references": _("Main references"),
        "colophon": _("Colophon"),
        "contents": _("Contents"),
        "update_contents": _(
            "Right-click here and choose “Update field” to show the table of contents."
        ),
        "page": _("page"),
        "of": _("of"),
        "draft": _("Draft: this edition has not been published."),
        "synthetic": _("Synthetic data: generated for testing, not real."),
        "generated": _("This document was generated from the data of the Memorandum platform."),
        "period": _("Period"),
        "issued_by": _("Issued by"),
        "version": _("Version"),
    }


def fallback_note(lang: str) -> str:
    """Says which marker means 'not yet translated', in the active language."""
    names = {"nl": pgettext("in a sentence", "Dutch"), "fr": pgettext("in a sentence", "French")}
    return _(
        "Texts marked [%(code)s] do not exist in this language yet; they are shown in %(language)s rather than left out."
    ) % {"code": lang.upper(), "language": names.get(lang, lang)}


REFERENCE_LABELS = {
    ReferenceKind.LOCAL_POLICE: lambda: _("References of the local police"),
    ReferenceKind.FEDERAL_POLICE: lambda: _("References of the federal police"),
    ReferenceKind.INTEGRATED_POLICE: lambda: _("References of the integrated police"),
    ReferenceKind.LEGISLATION: lambda: _("Legislative references"),
    ReferenceKind.POLICY_NOTES: lambda: _("Policy notes and analyses"),
    ReferenceKind.OTHER_PLANS: lambda: _("Other strategic plans and analysis reports"),
}


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


def bilingual(values: dict | None, lang: str) -> LocalizedText:
    """A ``{"nl": …, "fr": …}`` value of a snapshot in ``lang``, with the usual fallback."""
    holder = SimpleNamespace(**{f"t_{code}": text for code, text in (values or {}).items()})
    return localized(holder, "t", lang)


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
            Addressee(name=a["name"], function=text(a["function"])) for a in snapshot["addressees"]
        ],
        foreword=text(ed["foreword"]),
        foreword_author=ed["foreword_author"],
        foreword_author_function=text(ed["foreword_author_function"]),
        introduction=text(ed["introduction"]),
        facts=_facts(snapshot, timeline, len(recommendations), len(commitments), lang),
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
        priorities=_priorities(read_priorities(snapshot["survey"]), lang),
        references=[g for g in groups if g.references],
        notes=text(ed["notes"]),
        version=_("Version %(number)d, published on %(date)s")
        % {"number": version["number"], "date": format_date(publication[0])}
        if version
        else "",
    )
    doc.sections = _sections(doc)
    doc.fallback_languages = sorted({t.lang for t in doc.texts() if t.is_fallback})
    doc.labels["fallback_notes"] = " ".join(fallback_note(code) for code in doc.fallback_languages)
    return doc


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
    )


def _sections(doc: Document) -> list[Section]:
    entries = [
        ("addressees", bool(doc.addressees)),
        ("foreword", bool(doc.foreword)),
        ("introduction", bool(doc.introduction or doc.facts or doc.process)),
        ("recommendations", bool(doc.recommendations)),
        ("commitments", bool(doc.commitments)),
        ("priorities", doc.priorities is not None),
        ("references", bool(doc.references)),
        ("colophon", True),
    ]
    return [Section(anchor=key, title=doc.labels[key]) for key, shown in entries if shown]


def format_date(value: datetime.date, precision: str = "day") -> str:
    """'13 juni 2023', or 'oktober 2022' when only the month is known (active language)."""
    return formats.date_format(value, "F Y" if precision == "month" else "j F Y")


def when(start: datetime.date, end: datetime.date | None, precision: str = "day") -> str:
    if end is None or end == start:
        return format_date(start, precision)
    if start.year == end.year and precision == "day":
        first = formats.date_format(start, "j F")
    else:
        first = format_date(start, precision)
    return _("%(start)s to %(end)s") % {"start": first, "end": format_date(end, precision)}


def join_dates(dates: list[datetime.date]) -> str:
    """'13 juni en 11 juli 2023': the year once when all dates share it."""
    same_year = len({d.year for d in dates}) == 1
    parts = [formats.date_format(d, "j F" if same_year else "j F Y") for d in dates]
    if same_year:
        parts[-1] = formats.date_format(dates[-1], "j F Y")
    if len(parts) == 1:
        return parts[0]
    return _("%(list)s and %(last)s") % {"list": ", ".join(parts[:-1]), "last": parts[-1]}


def _facts(
    snapshot: dict, timeline: list, recommendations: int, commitments: int, lang: str
) -> list[str]:
    """Sentences about the process, with every figure and date taken from the data."""
    facts = []
    domains, themes = snapshot["domains"], snapshot["themes"]
    if domains:
        sentence = ngettext(
            "The work was organised in %(count)d work domain",
            "The work was organised in %(count)d work domains",
            domains,
        ) % {"count": domains}
        if themes:
            sentence += ngettext(
                ", with %(count)d theme for reflection",
                ", with %(count)d themes for reflection",
                themes,
            ) % {"count": themes}
        facts.append(sentence + ".")
    consultation = [
        e
        for e in timeline
        if e.kind
        in (TimelineKind.CONFERENCE, TimelineKind.SEMINAR, TimelineKind.PROVINCIAL_CONSULTATION)
    ]
    if consultation:
        steps = "; ".join(
            f"{bilingual(e.title, lang)} ({when(e.date, e.end_date, e.precision)})"
            for e in consultation
        )
        facts.append(
            _("The proposals were prepared and discussed at: %(steps)s.") % {"steps": steps}
        )
    surveys = [e for e in timeline if e.kind == TimelineKind.SURVEY]
    if surveys:
        survey = surveys[0]
        facts.append(
            _("An order of priority was set by a survey held from %(window)s.")
            % {"window": when(survey.date, survey.end_date or survey.date, survey.precision)}
        )
    assemblies = [e.date for e in timeline if e.kind == TimelineKind.GENERAL_ASSEMBLY]
    if assemblies:
        facts.append(
            ngettext(
                "The General Assembly consolidated the results on %(dates)s.",
                "The General Assembly consolidated the results on %(dates)s.",
                len(assemblies),
            )
            % {"dates": join_dates(assemblies)}
        )
    facts.append(
        _("This memorandum contains %(recommendations)s and %(commitments)s.")
        % {
            "recommendations": ngettext(
                "%(count)d recommendation to the authorities",
                "%(count)d recommendations to the authorities",
                recommendations,
            )
            % {"count": recommendations},
            "commitments": ngettext(
                "%(count)d commitment of the local police",
                "%(count)d commitments of the local police",
                commitments,
            )
            % {"count": commitments},
        }
    )
    return facts


def _priorities(result: PublishedPriorities | None, lang: str) -> Priorities | None:
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
    window = when(result.opens, result.closes)
    title = bilingual(result.title, lang)
    method = method_label(result.method)
    summary = _(
        "%(ballots)d of %(zones)d police zones took part in the survey “%(title)s”, held from "
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
