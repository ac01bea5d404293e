"""Minutes of a meeting in Dutch or French, as PDF (WeasyPrint) and DOCX (python-docx).

Both renderers read the same :func:`minutes_context`, so the two files always say the
same thing: attendance, quorum, each agenda item with its votes, result and, for an
amendment, the changed text shown as a diff.
"""

from __future__ import annotations

import io
import re

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from memorandum.assembly import rules
from memorandum.assembly.models import Decision, Meeting
from memorandum.catalogue.models import Edition
from memorandum.catalogue.people import public_name
from memorandum.lib.i18n import add_docx_text


def minutes_context(
    meeting: Meeting, lang: str, *, include_pending: bool = False, viewer=None
) -> dict:
    """Everything the minutes show, with texts in ``lang`` (Dutch when a French text is missing).

    Only published decisions, unless ``include_pending`` (for the secretariat and assembly
    members). Each item shows its latest decision; the decisions it corrected are listed in
    ``corrected`` (oldest first), each with its reason in the decision that corrected it.
    Members present are named as ``viewer`` may see them (visitors see their organisation
    unless they opted in, see ``catalogue.people.public_name``).
    """
    decisions = Decision.objects.filter(item__meeting=meeting)
    if not include_pending:
        decisions = decisions.published()
    decisions = decisions.select_related("merge_into", "superseded_by").prefetch_related(
        "split_into"
    )
    with translation.override(lang):
        present = meeting.present_count()
        items = []
        for item in meeting.items.select_related("recommendation").prefetch_related(
            Prefetch("decisions", queryset=decisions.order_by("pk"), to_attr="shown_decisions")
        ):
            chain = item.shown_decisions
            decision = chain[-1] if chain else None
            entry = {
                "item": item,
                "label": item.label(lang),
                "decision": decision,
                "corrected": [
                    {
                        "decision": earlier,
                        "reason": chain[i + 1].correction_reason,
                        "summary": summary(earlier),
                    }
                    for i, earlier in enumerate(chain[:-1])
                ],
                "parts": decision.split_parts(lang) if decision else [],
                "diffs": [],
                "result": "",
                "explanation": "",
            }
            if decision is not None:
                entry["diffs"] = decision.amendment_diffs(lang)
                entry["result"] = _("Carried") if decision.carried else _("Not carried")
                entry["explanation"] = explain(meeting.majority_rule, decision, present)
            items.append(entry)
        return {
            "meeting": meeting,
            "lang": lang,
            "starts_at": timezone.localtime(meeting.starts_at),
            "edition_title": Edition.title.localized(meeting.edition, lang),
            "members": [
                public_name(member, viewer)
                for member in meeting.members_present.select_related("profile__zone").order_by(
                    "last_name", "username"
                )
            ],
            "zones": list(meeting.zones_present.order_by("code")),
            "present": present,
            "quorum_required": meeting.quorum_required(),
            "has_quorum": meeting.has_quorum(),
            "majority": meeting.get_majority_rule_display(),
            "notes": Meeting.notes.localized(meeting, lang),
            "items": items,
        }


def summary(decision) -> str:
    """One line for a decision that was later corrected: what it said, and its votes."""
    return ngettext(
        "%(kind)s, %(result)s (%(for)s for, %(against)s against, %(abstain)s abstention)",
        "%(kind)s, %(result)s (%(for)s for, %(against)s against, %(abstain)s abstentions)",
        decision.abstentions,
    ) % {
        "kind": decision.get_kind_display(),
        "result": _("carried") if decision.carried else _("not carried"),
        "for": decision.votes_for,
        "against": decision.votes_against,
        "abstain": decision.abstentions,
    }


def explain(rule: str, decision, present: int) -> str:
    needed = rules.votes_needed(
        rule, decision.votes_against, present, decision.votes_for + decision.votes_against
    )
    votes = ngettext(
        "%(for)s for, %(against)s against, %(abstain)s abstention;",
        "%(for)s for, %(against)s against, %(abstain)s abstentions;",
        decision.abstentions,
    ) % {
        "for": decision.votes_for,
        "against": decision.votes_against,
        "abstain": decision.abstentions,
    }
    return f"{votes} " + ngettext(
        "%(needed)s vote for was needed.", "%(needed)s votes for were needed.", needed
    ) % {"needed": needed}


def minutes_html(meeting: Meeting, lang: str, *, include_pending: bool = False, viewer=None) -> str:
    context = minutes_context(meeting, lang, include_pending=include_pending, viewer=viewer)
    with translation.override(lang):
        return render_to_string("assembly/minutes_print.html", context)


def minutes_pdf(
    meeting: Meeting, lang: str, *, include_pending: bool = False, viewer=None
) -> bytes:
    from weasyprint import HTML

    return HTML(
        string=minutes_html(meeting, lang, include_pending=include_pending, viewer=viewer)
    ).write_pdf()


def _tokens(html: str) -> list[tuple[str, str]]:
    from html import unescape

    tokens = []
    for match in re.finditer(r"<(del|ins)>(.*?)</\1>|([^<]+)", html, flags=re.S):
        if match.group(1):
            tokens.append((match.group(1), unescape(match.group(2))))
        else:
            tokens.append(("", unescape(match.group(3))))
    return tokens


def minutes_docx(
    meeting: Meeting, lang: str, *, include_pending: bool = False, viewer=None
) -> bytes:
    from docx import Document

    context = minutes_context(meeting, lang, include_pending=include_pending, viewer=viewer)
    with translation.override(lang):
        document = Document()
        document.add_heading(_("Minutes of the General Assembly"), level=0)
        if not meeting.published:
            document.add_paragraph(
                _("Draft: these minutes are not published; their decisions are pending."),
                style="Intense Quote",
            )
        add_docx_text(document.add_paragraph(), context["edition_title"])
        if meeting.is_synthetic:
            document.add_paragraph(
                _("Synthetic data: attendance and votes are invented for the demonstration."),
                style="Intense Quote",
            )
        document.add_paragraph(
            _("Date: %(date)s. Place: %(place)s.")
            % {
                "date": formats.date_format(context["starts_at"], "DATETIME_FORMAT"),
                "place": meeting.place or "—",
            }
        )
        document.add_heading(_("Attendance and quorum"), level=1)
        document.add_paragraph(
            ngettext(
                "%(counter)s member present out of %(eligible)s; quorum: %(required)s.",
                "%(counter)s members present out of %(eligible)s; quorum: %(required)s.",
                context["present"],
            )
            % {
                "counter": context["present"],
                "eligible": meeting.eligible_members,
                "required": context["quorum_required"],
            }
            + " "
            + (
                _("The quorum is reached.")
                if context["has_quorum"]
                else _("The quorum is not reached.")
            )
        )
        for member in context["members"]:
            document.add_paragraph(member, style="List Bullet")
        for zone in context["zones"]:
            document.add_paragraph(str(zone), style="List Bullet")
        document.add_paragraph(_("Majority rule: %(rule)s.") % {"rule": context["majority"]})
        if context["notes"]:
            add_docx_text(document.add_paragraph(), context["notes"])
        document.add_heading(_("Agenda and decisions"), level=1)
        for entry in context["items"]:
            heading = document.add_heading(f"{entry['item'].order}. ", level=2)
            add_docx_text(heading, entry["label"])
            if entry["item"].survey_results:
                document.add_paragraph(
                    _("Survey results: %(text)s") % {"text": entry["item"].survey_results}
                )
            decision = entry["decision"]
            if decision is None:
                document.add_paragraph(_("No decision recorded."))
                continue
            document.add_paragraph(
                f"{_('Decision')}: {decision.get_kind_display()} — {entry['result']}. {entry['explanation']}"
            )
            if not decision.is_published:
                document.add_paragraph(_("Pending: not published yet."))
            for earlier in entry["corrected"]:
                document.add_paragraph(
                    _("Corrects an earlier record: %(summary)s. Reason: %(reason)s") % earlier
                )
            if decision.merge_into:
                document.add_paragraph(
                    _("Merged into %(code)s.") % {"code": decision.merge_into.code}
                )
            for code, title in entry["parts"]:
                add_docx_text(
                    document.add_paragraph(f"{code} " if code else "", style="List Bullet"), title
                )
            if entry["diffs"]:
                document.add_heading(_("Amendment"), level=3)
                for diff in entry["diffs"]:
                    paragraph = document.add_paragraph()
                    paragraph.add_run(f"{diff['label']}: ").bold = True
                    for tag, text in _tokens(str(diff["diff"])):
                        run = paragraph.add_run(text)
                        if tag == "del":
                            run.font.strike = True
                        elif tag == "ins":
                            run.font.underline = True
        out = io.BytesIO()
        document.save(out)
        return out.getvalue()
