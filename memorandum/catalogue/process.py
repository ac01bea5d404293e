"""The process page of an edition: every phase with its dates, what has happened in it and
what comes next, as a given user may see it.

Public-safe by construction: only counts and links to pages the reader may open; no names,
no zone of a proposal or a ballot; a survey answered by fewer zones than its smallest
group (*k*) is counted as "fewer than k". Each count is one query.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from memorandum.catalogue.models import PUBLIC_PHASES, Edition, EditionPhase, Phase
from memorandum.catalogue.phases import ALLOWED_IN, PhaseAction
from memorandum.catalogue.services import earlier_phases, move_refusal, next_phase
from memorandum.lib.confirm import Confirmation
from memorandum.lib.dates import DAY, MONTH, PART, ApproximateDate, elide, when


@dataclass
class Fact:
    """'12 proposals', with a link when the reader may open the list."""

    text: str
    url: str = ""


@dataclass
class Step:
    """Something to do next, and for whom."""

    who: str
    what: str
    url: str = ""


@dataclass
class PhaseRow:
    phase: str
    label: str
    state: str  # "done", "current" or "later"
    planned: str
    actual: str
    allows: list[str]
    facts: list[Fact] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    plan_form: object = None  # the secretariat's planned-dates form, set by the view


def period_text(start: datetime.date | None, end: datetime.date | None, precision: str) -> str:
    """'15 May to 5 June 2023', 'from October 2022', 'until December 2028', or "".

    A day, a month and a part of a month take other words in French ('à partir du 15 mai',
    'à partir d’avril', 'jusqu’à la mi-mai'), hence a context per precision.
    """
    if start and end:
        return when(start, end, precision)
    if not (start or end):
        return ""
    date = ApproximateDate(start or end, precision).text(in_range=precision == PART)
    if start:
        text = {
            DAY: pgettext("day", "from %(date)s"),
            MONTH: pgettext("month", "from %(date)s"),
        }.get(precision, pgettext("part of a month", "from %(date)s"))
    else:
        text = {
            DAY: pgettext("day", "until %(date)s"),
            MONTH: pgettext("month", "until %(date)s"),
        }.get(precision, pgettext("part of a month", "until %(date)s"))
    return elide(text % {"date": date})


def phase_dates(edition: Edition) -> dict[str, EditionPhase]:
    """The dates of each phase of ``edition``; a phase without a row gets an empty one."""
    rows = {row.phase: row for row in EditionPhase.objects.filter(edition=edition)}
    return {
        phase: rows.get(phase) or EditionPhase(edition=edition, phase=phase)
        for phase in Phase.values
    }


def process_for(user, edition: Edition) -> list[PhaseRow]:
    """One row per phase of ``edition``, in the order of the process, for ``user``."""
    dates = phase_dates(edition)
    done = set(earlier_phases(edition))
    rows = []
    for value, label in Phase.choices:
        row_dates = dates[value]
        row = PhaseRow(
            phase=value,
            label=str(label),
            state="done" if value in done else "current" if value == edition.phase else "later",
            planned=period_text(
                row_dates.planned_start, row_dates.planned_end, row_dates.planned_precision
            ),
            actual=period_text(
                row_dates.actual_start, row_dates.actual_end, row_dates.actual_precision
            ),
            allows=[str(a.label) for a in PhaseAction if value in ALLOWED_IN[a]],
        )
        facts, steps = CONTENT[value]
        row.facts = facts(user, edition)
        if value == edition.phase:
            row.steps = steps(user, edition)
        rows.append(row)
    return rows


def _link(user, permission: str | None, name: str, edition: Edition) -> str:
    if permission and not user.has_perm(permission):
        return ""
    return reverse(name, args=[edition.slug])


def _consultation_facts(user, edition: Edition) -> list[Fact]:
    from memorandum.consultation.models import Merge, Proposal, ProposalStatus

    events = edition.consultation_events.count()
    # a split proposal lives on in its parts: counted once, as its parts
    proposals = (
        Proposal.objects.filter(edition=edition).exclude(status=ProposalStatus.SPLIT).count()
    )
    merges = Merge.objects.filter(edition=edition).active().count()
    facts = [
        Fact(
            ngettext("%(count)s consultation event", "%(count)s consultation events", events)
            % {"count": events},
            _link(user, "consultation.view_consultationevent", "consultation:events", edition),
        ),
        Fact(
            ngettext(
                "%(count)s proposal from the zones", "%(count)s proposals from the zones", proposals
            )
            % {"count": proposals},
            _link(user, "consultation.view_proposal", "consultation:proposals", edition),
        ),
        Fact(
            ngettext(
                "%(count)s merge of proposals into recommendations",
                "%(count)s merges of proposals into recommendations",
                merges,
            )
            % {"count": merges},
            _link(user, "consultation.view_merge", "consultation:merges", edition),
        ),
    ]
    if edition.proposals_count:
        facts.append(
            Fact(
                ngettext(
                    "%(count)s recommendation put to the consultation (before this platform)",
                    "%(count)s recommendations put to the consultation (before this platform)",
                    edition.proposals_count,
                )
                % {"count": edition.proposals_count}
            )
        )
    return facts


def _answered(survey, count: int) -> str:
    if survey.is_anonymous and 0 < count < survey.min_group:
        return _("fewer than %(k)s zones answered") % {"k": survey.min_group}
    return ngettext("%(count)s zone answered", "%(count)s zones answered", count) % {"count": count}


def _prioritisation_facts(user, edition: Edition) -> list[Fact]:
    from django.db.models import Count

    from memorandum.survey.views import listed_surveys

    listed = {s.pk for s in listed_surveys(user, edition)}
    from memorandum.survey.models import Survey

    surveys = (
        Survey.objects.for_edition(edition)
        .filter(pk__in=listed)
        .select_related("edition")
        .annotate(answered=Count("participations"))
        .order_by("opens_at", "pk")
    )
    facts = [
        Fact(
            ngettext("%(count)s survey", "%(count)s surveys", len(surveys))
            % {"count": len(surveys)},
            reverse("survey:list", args=[edition.slug]),
        )
    ]
    for survey in surveys:
        facts.append(
            Fact(
                _("“%(title)s” (%(status)s): %(answered)s")
                % {
                    "title": survey.title,
                    "status": survey.get_status_display(),
                    "answered": _answered(survey, survey.answered),
                },
                survey.get_absolute_url(),
            )
        )
    return facts


def _consolidation_facts(user, edition: Edition) -> list[Fact]:
    from memorandum.assembly.models import Decision, Meeting

    meetings = Meeting.objects.visible_to(user).filter(edition=edition).count()
    decisions = Decision.objects.visible_to(user).filter(item__meeting__edition=edition)
    published = decisions.filter(published_at__isnull=False).count()
    pending = decisions.filter(published_at__isnull=True).count()
    url = reverse("assembly:meetings", args=[edition.slug])
    facts = [
        Fact(
            ngettext(
                "%(count)s meeting of the General Assembly",
                "%(count)s meetings of the General Assembly",
                meetings,
            )
            % {"count": meetings},
            url,
        ),
        Fact(
            ngettext(
                "%(count)s decision with published minutes",
                "%(count)s decisions with published minutes",
                published,
            )
            % {"count": published},
            reverse("assembly:adopted", args=[edition.slug]),
        ),
    ]
    if pending:
        facts.append(
            Fact(
                ngettext(
                    "%(count)s decision waiting for its minutes",
                    "%(count)s decisions waiting for their minutes",
                    pending,
                )
                % {"count": pending},
                url,
            )
        )
    return facts


def _publication_facts(user, edition: Edition) -> list[Fact]:
    from memorandum.publication.models import PublicationVersion

    versions = PublicationVersion.objects.for_edition(edition).count()
    return [
        Fact(
            ngettext(
                "%(count)s published version of the memorandum",
                "%(count)s published versions of the memorandum",
                versions,
            )
            % {"count": versions},
            reverse("publication:memorandum", args=[edition.slug]),
        )
    ]


def _follow_up_facts(user, edition: Edition) -> list[Fact]:
    from memorandum.roadmap.models import Initiative, Update

    initiatives = Initiative.objects.visible_to(user).filter(edition=edition)
    updates = Update.objects.filter(initiative__in=initiatives).count()
    url = reverse("roadmap:dashboard", args=[edition.slug])
    count = initiatives.count()
    return [
        Fact(
            ngettext(
                "%(count)s initiative on the roadmap", "%(count)s initiatives on the roadmap", count
            )
            % {"count": count},
            url,
        ),
        Fact(
            ngettext("%(count)s progress update", "%(count)s progress updates", updates)
            % {"count": updates},
            url,
        ),
    ]


def _move_on(edition: Edition) -> Step:
    following = next_phase(edition)
    return Step(
        _("Secretariat"),
        _("When this phase is complete, move the edition to the phase “%(phase)s” on this page.")
        % {"phase": Phase(following).label},
    )


def _consultation_steps(user, edition: Edition) -> list[Step]:
    from memorandum.consultation.models import Proposal

    waiting = Proposal.objects.filter(edition=edition).open().count()
    steps = [
        Step(
            _("Corps chiefs"),
            _("Submit proposals for the memorandum, in Dutch or French."),
            _link(user, "consultation.add_proposal", "consultation:proposal_new", edition),
        ),
        Step(
            _("Secretariat"),
            ngettext(
                "Group similar proposals into recommendations: %(count)s proposal waits.",
                "Group similar proposals into recommendations: %(count)s proposals wait.",
                waiting,
            )
            % {"count": waiting},
            _link(user, "consultation.view_all_proposals", "consultation:duplicates", edition),
        ),
    ]
    return [*steps, _move_on(edition)]


def _prioritisation_steps(user, edition: Edition) -> list[Step]:
    from memorandum.survey.models import SurveyStatus
    from memorandum.survey.views import listed_surveys

    # only the surveys this reader may see listed, as on the survey list
    listed = listed_surveys(user, edition)
    open_surveys = [s for s in listed if s.status == SurveyStatus.OPEN]
    steps = [
        Step(
            _("Secretariat"),
            _("Prepare the prioritisation survey, open it and invite the zones."),
            _link(user, "survey.manage_survey", "survey:list", edition),
        )
    ]
    for survey in sorted(open_surveys, key=lambda survey: survey.closes_at):
        steps.append(
            Step(
                _("Corps chiefs"),
                _("Answer the survey “%(title)s” before %(closes)s.")
                % {
                    "title": survey.title,
                    "closes": formats.date_format(
                        timezone.localtime(survey.closes_at), "DATETIME_FORMAT"
                    ),
                },
                reverse("survey:list", args=[edition.slug]),
            )
        )
    steps.append(
        Step(_("Secretariat"), _("Close and count the survey; its results go to the assembly."))
    )
    return [*steps, _move_on(edition)]


def _consolidation_steps(user, edition: Edition) -> list[Step]:
    return [
        Step(
            _("Secretariat"),
            _("Convene the General Assembly, record its decisions and publish the minutes."),
            _link(user, "assembly.add_meeting", "assembly:meetings", edition),
        ),
        Step(
            _("Assembly members"),
            _("Vote on the recommendations, in the light of the survey results."),
        ),
        _move_on(edition),
    ]


def _publication_steps(user, edition: Edition) -> list[Step]:
    return [
        Step(
            _("Secretariat"),
            _("Publish the memorandum in Dutch and French (PDF, Word and web page)."),
            _link(user, "publication.publish_memorandum", "publication:publish", edition),
        ),
        Step(
            _("Everyone"),
            _("Read and download the memorandum."),
            reverse("publication:memorandum", args=[edition.slug]),
        ),
        _move_on(edition),
    ]


def _follow_up_steps(user, edition: Edition) -> list[Step]:
    return [
        Step(
            _("Owners of initiatives (partners, corps chiefs)"),
            _("Record the progress of their initiatives."),
            reverse("roadmap:dashboard", args=[edition.slug]),
        ),
        Step(
            _("Secretariat"),
            _(
                "Follow the roadmap and report on it; publish a corrected version of the "
                "memorandum when needed; prepare the next edition."
            ),
        ),
    ]


# Per phase: what it has done (the facts, on every row) and what comes next in it (the
# steps, on the current phase's row only).
CONTENT = {
    Phase.CONSULTATION: (_consultation_facts, _consultation_steps),
    Phase.PRIORITISATION: (_prioritisation_facts, _prioritisation_steps),
    Phase.CONSOLIDATION: (_consolidation_facts, _consolidation_steps),
    Phase.PUBLISHED: (_publication_facts, _publication_steps),
    Phase.FOLLOW_UP: (_follow_up_facts, _follow_up_steps),
}


def move_confirmation(edition: Edition) -> Confirmation:
    """What moving ``edition`` to its next phase will do, said before it is done."""
    following = next_phase(edition)
    back = reverse("catalogue:process", args=[edition.slug])
    if following is None:
        return Confirmation(
            title=_("Move the edition to the next phase?"),
            consequences=[],
            button="",
            cancel_url=back,
            blocked=_("The follow-up is the last phase of an edition."),
        )
    current, target = Phase(edition.phase).label, Phase(following).label
    allowed = [str(a.label) for a in PhaseAction if following in ALLOWED_IN[a]]
    ended = [
        str(a.label)
        for a in PhaseAction
        if edition.phase in ALLOWED_IN[a] and following not in ALLOWED_IN[a]
    ]
    consequences = [
        _("The edition “%(edition)s” moves from the phase “%(from)s” to “%(to)s”.")
        % {"edition": edition.title, "from": current, "to": target},
        _("Today is recorded as the end of “%(from)s” and the start of “%(to)s”.")
        % {"from": current, "to": target},
    ]
    if ended:
        consequences.append(_("No longer possible: %(acts)s.") % {"acts": "; ".join(ended)})
    if allowed:
        consequences.append(_("Possible from now on: %(acts)s.") % {"acts": "; ".join(allowed)})
    if following in PUBLIC_PHASES and edition.phase not in PUBLIC_PHASES:
        consequences.append(
            _("The edition and its adopted recommendations become visible to the public.")
        )
    consequences.append(
        _("Going back later is possible, with a reason; the move is kept in the audit log.")
    )
    return Confirmation(
        title=_("Move the edition to “%(phase)s”?") % {"phase": target},
        consequences=consequences,
        button=_("Move to “%(phase)s”") % {"phase": target},
        cancel_url=back,
        blocked=move_refusal(edition, following),
        hidden={"to": following},
    )
