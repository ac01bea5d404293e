"""The secretariat's actions on a round, each confirmed on the shared page first.

Every action is a small object with the same interface (its confirmation, then ``run``),
so the view that serves them does not switch on their names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from memorandum.impact import services
from memorandum.impact.models import EstimateRound, RoundStatus
from memorandum.lib.confirm import Confirmation


@dataclass(frozen=True)
class RoundAction:
    title: Callable[[], str]
    consequences: Callable[[EstimateRound], list[str]]
    button: Callable[[], str]
    allowed: Callable[[EstimateRound], bool]
    run: Callable[[EstimateRound], str]
    irreversible: bool = False

    def confirmation(self, round_: EstimateRound, *, url: str, cancel: str) -> Confirmation:
        return Confirmation(
            title=self.title(),
            consequences=self.consequences(round_),
            button=self.button(),
            cancel_url=cancel,
            action_url=url,
            irreversible=self.irreversible,
            blocked=""
            if self.allowed(round_)
            else _("This is not possible in the round's present state."),
        )


def _open(round_: EstimateRound) -> str:
    invited, without = services.round_open(round=round_)
    text = ngettext(
        "The round is open; %(count)s invitation is being sent.",
        "The round is open; %(count)s invitations are being sent.",
        invited,
    ) % {"count": invited}
    if without:
        text += " " + ngettext(
            "%(count)s zone has no e-mail address: its corps chief answers when signed in.",
            "%(count)s zones have no e-mail address: their corps chief answers when signed in.",
            without,
        ) % {"count": without}
    return text


def _remind(round_: EstimateRound) -> str:
    count = services.round_remind(round=round_)
    return ngettext(
        "%(count)s reminder is being sent.", "%(count)s reminders are being sent.", count
    ) % {"count": count}


def _close(round_: EstimateRound) -> str:
    services.round_close(round=round_)
    return _("The round is closed. The estimates are being counted; this page shows the progress.")


def _recount(round_: EstimateRound) -> str:
    services.count_queue(round=round_)
    return _("The estimates are being counted again.")


def _deadline(round_: EstimateRound) -> str:
    return date_format(timezone.localtime(round_.closes_at), "DATETIME_FORMAT")


ACTIONS = {
    "open": RoundAction(
        title=lambda: _("Open the round and invite every zone?"),
        consequences=lambda r: [
            _("Every zone gets its own link by e-mail, in its language."),
            _("Zones can answer, save drafts and change their answer until %(deadline)s.")
            % {"deadline": _deadline(r)},
        ],
        button=lambda: _("Open and invite"),
        allowed=lambda r: r.status == RoundStatus.DRAFT,
        run=_open,
        irreversible=True,
    ),
    "remind": RoundAction(
        title=lambda: _("Remind the zones that have not submitted?"),
        consequences=lambda r: [
            _("Each zone without a submitted estimate gets its same link again.")
        ],
        button=lambda: _("Send reminders"),
        allowed=lambda r: r.accepts_answers(),
        run=_remind,
    ),
    "close": RoundAction(
        title=lambda: _("Close the round and count?"),
        consequences=lambda r: [
            _(
                "No zone can change its estimate any more; drafts that were not submitted are not counted."
            ),
            _(
                "The worker computes the totals, the interval and the breakdowns; the note can then be downloaded."
            ),
        ],
        button=lambda: _("Close and count"),
        allowed=lambda r: r.status == RoundStatus.OPEN,
        run=_close,
        irreversible=True,
    ),
    "recount": RoundAction(
        title=lambda: _("Count the estimates again?"),
        consequences=lambda r: [
            _("The figures are computed again from the same submitted estimates.")
        ],
        button=lambda: _("Count again"),
        allowed=lambda r: r.status in (RoundStatus.CLOSED, RoundStatus.COUNTED),
        run=_recount,
    ),
}
