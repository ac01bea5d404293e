"""The annex "What changed since the previous memorandum", for an edition started from another.

:func:`collect_changes` freezes the catalogue's comparison
(:func:`memorandum.catalogue.succession.changes_since_previous`, public items only) into the
snapshot under ``"changes"``; :func:`changes_annex` reads it back in one language for the
document. Snapshots without the key (every edition without a previous one, and versions
published before the annex existed) have no annex, so published versions do not change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from memorandum.catalogue.models import Edition, Recommendation
from memorandum.lib.i18n import LocalizedText, stored_texts
from memorandum.publication.typography import typeset
from memorandum.publication.wording import bilingual


def _entry(recommendation: Recommendation | None) -> dict[str, Any] | None:
    if recommendation is None:
        return None
    return {"code": recommendation.code, "title": stored_texts(recommendation, "title")}


def collect_changes(edition: Edition) -> dict[str, Any] | None:
    """The comparison with the previous edition as JSON values, or None without one."""
    from memorandum.catalogue.succession import changes_since_previous

    changes = changes_since_previous(edition, public_only=True)
    if changes is None:
        return None
    return {
        "previous": changes.previous.period,
        "groups": [
            {
                "key": key,
                "rows": [
                    {"before": _entry(c.before), "after": _entry(c.after)} for c in changes_list
                ],
            }
            for key, _heading, changes_list in changes.groups
        ],
    }


@dataclass
class ChangeRow:
    before: str  # the code in the previous edition, or ""
    after: str  # the code in this edition, or ""
    title: LocalizedText


@dataclass
class ChangeGroup:
    key: str
    heading: str
    rows: list[ChangeRow]


@dataclass
class ChangesAnnex:
    """The annex in one language: an introduction and the groups that have rows."""

    previous: str
    intro: str
    before_label: str
    after_label: str
    title_label: str
    groups: list[ChangeGroup]

    def texts(self) -> list[LocalizedText]:
        return [row.title for group in self.groups for row in group.rows]


def annex_label() -> str:
    return _("What changed since the previous memorandum")


def changes_annex(frozen: dict | None, lang: str, period: str) -> ChangesAnnex | None:
    """The annex of a snapshot's ``"changes"`` in ``lang`` (active translation), or None."""
    if not frozen:
        return None
    from memorandum.catalogue.succession import change_headings

    names = change_headings()
    groups = []
    for group in frozen["groups"]:
        rows = [
            ChangeRow(
                before=(row["before"] or {}).get("code", ""),
                after=(row["after"] or {}).get("code", ""),
                title=bilingual((row["after"] or row["before"])["title"], lang),
            )
            for row in group["rows"]
        ]
        if rows and group["key"] in names:
            groups.append(ChangeGroup(key=group["key"], heading=names[group["key"]], rows=rows))
    annex = ChangesAnnex(
        previous=frozen["previous"],
        intro=_(
            "This memorandum continues the memorandum %(previous)s. Carried over: its "
            "recommendations and commitments that were not achieved and are kept. New: added "
            "in this memorandum. Merged or dropped: carried over, then merged into another, "
            "rejected or withdrawn. Achieved: not carried over, because the follow-up shows "
            "them achieved."
        )
        % {"previous": frozen["previous"]},
        before_label=_("In %(period)s") % {"period": frozen["previous"]},
        after_label=_("In %(period)s") % {"period": period},
        title_label=_("Title"),
        groups=groups,
    )
    if lang == "fr":
        annex.intro = typeset(annex.intro)
        for group in annex.groups:
            group.heading = typeset(group.heading)
    return annex
