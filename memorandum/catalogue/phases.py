"""What each phase of an edition allows: the one rule every app asks.

An edition moves consultation → prioritisation → consolidation → published → follow-up
(:class:`~memorandum.catalogue.models.Phase`, ``Edition.phase``). Some acts belong to one
phase: zones propose during the consultation, a survey opens during the prioritisation, the
General Assembly decides during the consolidation, versions of the memorandum are
published once it is published (and during its follow-up), and the roadmap is followed up
during the follow-up. The services of those apps call :func:`require_phase` (or
:func:`phase_refusal` for a confirmation's ``blocked`` sentence) before they act; nothing
else decides it.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from memorandum.catalogue.models import PUBLIC_PHASES, Edition, Phase


class PhaseAction(models.TextChoices):
    """An act that only some phases allow."""

    PROPOSE = "propose", _("Submit proposals")
    OPEN_SURVEY = "open_survey", _("Open a prioritisation survey")
    DECIDE = "decide", _("Record decisions of the General Assembly")
    PUBLISH = "publish", _("Publish a version of the memorandum")
    FOLLOW_UP = "follow_up", _("Follow up the roadmap")


ALLOWED_IN: dict[str, tuple[str, ...]] = {
    PhaseAction.PROPOSE: (Phase.CONSULTATION,),
    PhaseAction.OPEN_SURVEY: (Phase.PRIORITISATION,),
    PhaseAction.DECIDE: (Phase.CONSOLIDATION,),
    # A published memorandum can be corrected by publishing its next version, also
    # while it is followed up.
    PhaseAction.PUBLISH: PUBLIC_PHASES,
    PhaseAction.FOLLOW_UP: (Phase.FOLLOW_UP,),
}

# The refusal, per act; %(phase)s is the edition's current phase.
_REFUSALS = {
    PhaseAction.PROPOSE: _(
        "Proposals can only be submitted during the consultation. The edition “%(edition)s” "
        "is in the phase “%(phase)s”."
    ),
    PhaseAction.OPEN_SURVEY: _(
        "A survey can only be opened during the prioritisation. The edition “%(edition)s” is "
        "in the phase “%(phase)s”; the secretariat moves it to the prioritisation on its "
        "process page."
    ),
    PhaseAction.DECIDE: _(
        "Decisions of the General Assembly can only be recorded during the consolidation. The "
        "edition “%(edition)s” is in the phase “%(phase)s”."
    ),
    PhaseAction.PUBLISH: _(
        "The memorandum can only be published once the edition is in the phase “Published” "
        "(or during its follow-up). The edition “%(edition)s” is in the phase “%(phase)s”, "
        "which the public cannot see; until then, use the preview."
    ),
    PhaseAction.FOLLOW_UP: _(
        "The roadmap can only be followed up during the follow-up. The edition “%(edition)s” "
        "is in the phase “%(phase)s”."
    ),
}


class PhaseRefused(ValidationError):
    """An act the edition's current phase does not allow; ``message`` says why, for the
    person acting. A ``ValidationError``, so that views and forms that show a service's
    refusal show this one too."""


def allows(edition: Edition, action: str) -> bool:
    """Whether ``edition``'s current phase allows ``action`` (a :class:`PhaseAction`)."""
    return edition.phase in ALLOWED_IN[action]


def phase_refusal(edition: Edition, action: str) -> str:
    """Why ``edition``'s current phase does not allow ``action``, or "" when it does."""
    if allows(edition, action):
        return ""
    return gettext(_REFUSALS[action]) % {
        "edition": edition.title,
        "phase": edition.get_phase_display(),
    }


def require_phase(edition: Edition, action: str) -> None:
    """Raise :class:`PhaseRefused` unless ``edition``'s current phase allows ``action``."""
    if reason := phase_refusal(edition, action):
        raise PhaseRefused(reason, code="phase")


def phases_allowing(action: str) -> list[str]:
    """The labels of the phases that allow ``action``, in the order of the process."""
    return [label for value, label in Phase.choices if value in ALLOWED_IN[action]]


@contextmanager
def standing_in(edition: Edition, phase: str):
    """Let ``edition`` stand in ``phase`` while the block runs, then put its phase back.

    For demo data and tests that replay an edition's past (the demo's General Assembly of
    June 2023 decides on an edition that is followed up today). It writes the phase
    column only: no dates, no audit entry. The secretariat moves an edition with
    :func:`memorandum.catalogue.services.edition_move_phase`.
    """
    previous = edition.phase
    Edition.objects.filter(pk=edition.pk).update(phase=phase)
    edition.phase = phase
    try:
        yield edition
    finally:
        Edition.objects.filter(pk=edition.pk).update(phase=previous)
        edition.phase = previous
