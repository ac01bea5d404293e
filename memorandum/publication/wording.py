"""The memorandum's own wording: fixed labels, generated sentences, honorifics.

Everything here speaks the active language (``document_from_snapshot`` switches to the
document's language before calling it). Figures and dates always come from the snapshot.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from memorandum.catalogue.models import ReferenceKind, TimelineKind
from memorandum.lib.dates import during, join_dates, when
from memorandum.lib.i18n import LocalizedText, localized


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
        "synthetic_section": _("synthetic data"),
        "synthetic_parts": _("Synthetic parts"),
        "synthetic_parts_note": _(
            "Generated for the demonstration, not real results: %(parts)s. Everything else "
            "follows the published memorandum."
        ),
        "notes_heading": _("Notes"),
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


def bilingual(values: dict | None, lang: str) -> LocalizedText:
    """A ``{"nl": …, "fr": …}`` value of a snapshot in ``lang``, with the usual fallback."""
    holder = SimpleNamespace(**{f"t_{code}": text for code, text in (values or {}).items()})
    return localized(holder, "t", lang)


def honorific(code: str) -> str:
    """'De heer' / 'Monsieur' for "mr", in the active language; '' for none."""
    words = {
        "mr": pgettext("addressing a letter", "Mr"),
        "mrs": pgettext("addressing a letter", "Mrs"),
    }
    return words.get(code, "")


def facts(
    snapshot: dict, timeline: list, recommendations: int, commitments: int, lang: str
) -> list[str]:
    """Sentences about the process, with every figure and date taken from the data."""
    facts = []
    domains, themes = snapshot["domains"], snapshot["themes"]
    names = [str(bilingual(d["name"], lang)) for d in snapshot.get("structure", []) if d["name"]]
    if domains:
        sentence = ngettext(
            "The work was organised in %(count)d work domain",
            "The work was organised in %(count)d work domains",
            domains,
        ) % {"count": domains}
        if names and len(names) == domains:
            # Commas only, as the source lists them: several names hold an "en"/"et" themselves.
            lowered = ", ".join(n[:1].lower() + n[1:] for n in names)
            sentence += _(": %(names)s") % {"names": lowered}
        facts.append(sentence + ".")
        considered = snapshot.get("considered", 0)
        led_to = []
        if themes:
            led_to.append(
                ngettext(
                    "%(count)d theme for reflection", "%(count)d themes for reflection", themes
                )
                % {"count": themes}
            )
        if considered > recommendations + commitments:
            led_to.append(
                ngettext("%(count)d recommendation", "%(count)d recommendations", considered)
                % {"count": considered}
            )
        if len(led_to) == 2:
            facts.append(
                _("These domains led to %(themes)s and %(considered)s.")
                % {"themes": led_to[0], "considered": led_to[1]}
            )
        elif led_to:
            facts.append(_("These domains led to %(what)s.") % {"what": led_to[0]})
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
            _("An order of priority was set by a survey of the chiefs of police held %(window)s.")
            % {"window": during(survey.date, survey.end_date, survey.precision)}
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
