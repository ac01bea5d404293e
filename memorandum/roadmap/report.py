"""The progress report for a period (e.g. the yearly report to the authorities), PDF or DOCX.

The report is organised per work domain, then per recommendation or commitment, then per
initiative: status and progress, the updates within the period, milestones done in the
period and overdue at its end, and indicators (the last measurement up to the end of the
period against the target). Status and progress are those on the day the report is made;
the updates say how they got there.

This module has its own templates (``roadmap/report.html``) so it does not depend on the
publication app.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from memorandum.catalogue.models import Edition, Recommendation
from memorandum.lib.downloads import CONTENT_TYPES
from memorandum.lib.i18n import add_docx_text, language_tag
from memorandum.roadmap.models import (
    Indicator,
    InitiativeLink,
    InitiativeStatus,
    Measurement,
    today,
)

PDF, DOCX = CONTENT_TYPES["pdf"], CONTENT_TYPES["docx"]


@dataclass
class IndicatorLine:
    indicator: Indicator
    latest: Measurement | None
    achievement: int | None
    reached: bool


@dataclass
class InitiativeBlock:
    initiative: object
    updates: list
    milestones_done: list
    milestones_overdue: list
    indicators: list[IndicatorLine]
    also_serves: list[str]


@dataclass
class RecommendationBlock:
    recommendation: Recommendation
    initiatives: list[InitiativeBlock] = field(default_factory=list)


@dataclass
class DomainBlock:
    domain: object
    recommendations: list[RecommendationBlock] = field(default_factory=list)


@dataclass
class Report:
    edition: Edition
    start: dt.date
    end: dt.date
    made_on: dt.date
    domains: list[DomainBlock]
    status_counts: list[tuple[str, int]]
    uncovered: list[Recommendation]
    has_synthetic: bool


def build(edition: Edition, initiatives, start: dt.date, end: dt.date) -> Report:
    """Collect what the report shows, in the active language."""
    initiatives = list(
        initiatives.filter(start_date__lte=end)
        .prefetch_related(
            Prefetch("links", queryset=InitiativeLink.objects.select_related("recommendation")),
            "updates__author",
            "milestones",
            Prefetch("indicators", queryset=Indicator.objects.prefetch_related("measurements")),
        )
        .order_by("start_date", "id")
    )
    blocks = {i.pk: _initiative_block(i, start, end) for i in initiatives}
    recommendations = (
        Recommendation.objects.filter(edition=edition)
        .select_related("domain")
        .order_by("domain__number", "-kind", "number")
    )
    domains: dict = {}
    uncovered = []
    for recommendation in recommendations:
        serving = [
            blocks[i.pk]
            for i in initiatives
            if any(link.recommendation_id == recommendation.pk for link in i.links.all())
        ]
        if not serving:
            uncovered.append(recommendation)
            continue
        for block in serving:
            block.also_serves = [
                code
                for code in block.initiative.serves()
                if code.split(".")[0] != recommendation.code
            ]
        domain = domains.setdefault(recommendation.domain_id, DomainBlock(recommendation.domain))
        domain.recommendations.append(
            RecommendationBlock(recommendation, [_copy(b) for b in serving])
        )
    counts = Counter(i.status for i in initiatives)
    return Report(
        edition=edition,
        start=start,
        end=end,
        made_on=today(),
        domains=list(domains.values()),
        status_counts=[(label, counts.get(value, 0)) for value, label in InitiativeStatus.choices],
        uncovered=uncovered,
        has_synthetic=any(i.is_synthetic for i in initiatives),
    )


def _copy(block: InitiativeBlock) -> InitiativeBlock:
    return InitiativeBlock(**{**block.__dict__, "also_serves": list(block.also_serves)})


def _initiative_block(initiative, start: dt.date, end: dt.date) -> InitiativeBlock:
    milestones = list(initiative.milestones.all())
    lines = []
    for indicator in initiative.indicators.all():
        upto = [m for m in indicator.measurements.all() if m.date <= end]
        latest = max(upto, key=lambda m: (m.date, m.pk)) if upto else None
        achievement = indicator.achievement(latest.value) if latest else None
        reached = bool(latest) and (
            latest.value >= indicator.target
            if indicator.direction == "up"
            else latest.value <= indicator.target
        )
        lines.append(IndicatorLine(indicator, latest, achievement, reached))
    return InitiativeBlock(
        initiative=initiative,
        updates=sorted(
            (u for u in initiative.updates.all() if start <= u.date <= end),
            key=lambda u: (u.date, u.pk),
        ),
        milestones_done=[m for m in milestones if m.done_date and start <= m.done_date <= end],
        milestones_overdue=[
            m
            for m in milestones
            if m.due_date <= end
            and (m.done_date is None or m.done_date > end)
            and not initiative.is_closed
        ],
        indicators=lines,
        also_serves=[],
    )


def render(
    edition: Edition, initiatives, start: dt.date, end: dt.date, lang: str, fmt: str
) -> tuple[bytes, str]:
    """The report as (bytes, content type); ``fmt`` is 'pdf' or 'docx', ``lang`` 'nl' or 'fr'."""
    with translation.override(lang):
        report = build(edition, initiatives, start, end)
        if fmt == "pdf":
            return render_pdf(report), PDF
        if fmt == "docx":
            return render_docx(report), DOCX
    raise ValueError(f"Unknown format {fmt!r}")


def render_html(report: Report) -> str:
    return render_to_string(
        "roadmap/report.html", {"report": report, "lang": translation.get_language()}
    )


def render_pdf(report: Report) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(report)).write_pdf()


def _title(report: Report) -> str:
    return _("Progress report %(edition)s") % {"edition": report.edition.title}


def _period(report: Report) -> str:
    return _("Period from %(start)s to %(end)s") % {
        "start": date_format(report.start, "DATE_FORMAT"),
        "end": date_format(report.end, "DATE_FORMAT"),
    }


def render_docx(report: Report) -> bytes:
    """A Word document with real Heading 1–3 styles, so its navigation pane and TOC work."""
    from docx import Document

    document = Document()
    document.core_properties.title = _title(report)
    document.core_properties.language = language_tag(translation.get_language())
    document.add_heading(_title(report), level=0)
    document.add_paragraph(_period(report))
    document.add_paragraph(
        _("Status and progress as on %(date)s.")
        % {"date": date_format(report.made_on, "DATE_FORMAT")}
    )
    if report.has_synthetic:
        document.add_paragraph(
            _("This report contains synthetic demonstration data, not real initiatives.")
        )
    document.add_heading(_("Summary"), level=1)
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = _("Status"), _("Initiatives")
    for label, count in report.status_counts:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = str(label), str(count)
    for domain_block in report.domains:
        heading = document.add_heading(f"{domain_block.domain.number}. ", level=1)
        add_docx_text(heading, domain_block.domain.name)
        for rec_block in domain_block.recommendations:
            rec = rec_block.recommendation
            add_docx_text(document.add_heading(f"{rec.code} ", level=2), rec.title)
            for block in rec_block.initiatives:
                _docx_initiative(document, block)
    document.add_heading(_("Recommendations without an initiative"), level=1)
    if report.uncovered:
        for rec in report.uncovered:
            add_docx_text(document.add_paragraph(f"{rec.code} ", style="List Bullet"), rec.title)
    else:
        document.add_paragraph(
            _("Every recommendation and commitment has at least one initiative.")
        )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_initiative(document, block: InitiativeBlock) -> None:
    initiative = block.initiative
    heading = document.add_heading(level=3)
    add_docx_text(heading, initiative.title)
    if initiative.is_synthetic:
        heading.add_run(f" ({_('synthetic')})")
    facts = [
        _("Status: %(status)s; progress %(progress)s %%")
        % {"status": initiative.get_status_display(), "progress": initiative.progress},
        _("Lead: %(lead)s") % {"lead": initiative.lead()},
    ]
    if initiative.partners:
        facts.append(_("Partners: %(partners)s") % {"partners": initiative.partners})
    if block.also_serves:
        facts.append(_("Also serves: %(codes)s") % {"codes": ", ".join(block.also_serves)})
    document.add_paragraph(" · ".join(facts))
    if block.updates:
        document.add_paragraph(_("Updates in the period"), style="Heading 4")
        for update in block.updates:
            document.add_paragraph(
                f"{date_format(update.date, 'DATE_FORMAT')}: {update.text}", style="List Bullet"
            )
    _docx_milestones(
        document,
        _("Milestones done in the period"),
        [(m.title, date_format(m.done_date, "DATE_FORMAT")) for m in block.milestones_done],
    )
    _docx_milestones(
        document,
        _("Milestones overdue at the end of the period"),
        [
            (m.title, f"{_('due')} {date_format(m.due_date, 'DATE_FORMAT')}")
            for m in block.milestones_overdue
        ],
    )
    if block.indicators:
        document.add_paragraph(_("Indicators"), style="Heading 4")
        table = document.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells,
            [_("Indicator"), _("Baseline"), _("Target"), _("Last value"), _("Achieved")],
            strict=True,
        ):
            cell.text = text
        for line in block.indicators:
            cells = table.add_row().cells
            add_docx_text(cells[0].paragraphs[0], line.indicator.name)
            cells[0].paragraphs[0].add_run(f" ({line.indicator.unit})")
            cells[1].text, cells[2].text = (
                _number(line.indicator.baseline),
                _number(line.indicator.target),
            )
            cells[3].text = (
                f"{_number(line.latest.value)} ({date_format(line.latest.date, 'DATE_FORMAT')})"
                if line.latest
                else "—"
            )
            cells[4].text = f"{line.achievement} %" if line.achievement is not None else "—"


def _docx_milestones(document, heading: str, rows: list[tuple[object, str]]) -> None:
    """Under ``heading``, one bullet per milestone: its title (in its language) and, in
    brackets, its date; nothing at all when there is none."""
    if not rows:
        return
    document.add_paragraph(heading, style="Heading 4")
    for title, when in rows:
        paragraph = document.add_paragraph(style="List Bullet")
        add_docx_text(paragraph, title)
        paragraph.add_run(f" ({when})")


def _number(value) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")
