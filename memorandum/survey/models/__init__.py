"""Prioritisation surveys: one ballot per police zone, then a frozen tally.

A :class:`Survey` asks every zone of the federation to put an edition's items in an order
of priority. Each zone gets one :class:`Invitation` (an unguessable link whose token is
only stored hashed) and casts at most one :class:`Ballot`, held by a database constraint.
In an anonymous survey the submitted ballot is a new row that keeps only its province,
region and weight class (see ``weights.py``); a separate :class:`Participation` row records
that the zone has voted, without a link to the ballot. Closing the survey freezes a :class:`Tally` with the data and seed behind it.

The models live in one module per subject (``surveys``, ``invitations``, ``ballots``,
``tallies``); this package re-exports them, so ``from memorandum.survey.models import …``
stays the one way to import them.
"""

from memorandum.lib.links import InvitationLink, InvitationLinkQuerySet, hash_token
from memorandum.lib.outbox import MailKind, MailStatus, OutboxMail, OutboxMailQuerySet
from memorandum.lib.runs import CountStatus
from memorandum.survey.models.ballots import (
    Ballot,
    BallotQuerySet,
    BallotStatus,
    PairCount,
    Participation,
    canonical_json,
)
from memorandum.survey.models.invitations import (
    INVITATION_PURPOSE,
    Invitation,
    InvitationMail,
    InvitationMailQuerySet,
    InvitationQuerySet,
    derive_token,
)
from memorandum.survey.models.surveys import (
    DEFAULT_MIN_GROUP,
    METHOD_LABELS,
    MIN_GROUP_CEILING,
    MIN_GROUP_FLOOR,
    POINTS_BUDGET,
    RATING_CRITERIA,
    RATING_LEVELS,
    TOP_N,
    Anonymity,
    BallotForm,
    Items,
    Survey,
    SurveyItem,
    SurveyQuerySet,
    SurveyStatus,
    Weighting,
    min_group_field,
)
from memorandum.survey.models.tallies import Tally, TallyRun

__all__ = [
    "DEFAULT_MIN_GROUP",
    "INVITATION_PURPOSE",
    "METHOD_LABELS",
    "MIN_GROUP_CEILING",
    "MIN_GROUP_FLOOR",
    "POINTS_BUDGET",
    "RATING_CRITERIA",
    "RATING_LEVELS",
    "TOP_N",
    "Anonymity",
    "Ballot",
    "BallotForm",
    "BallotQuerySet",
    "BallotStatus",
    "CountStatus",
    "Invitation",
    "InvitationLink",
    "InvitationLinkQuerySet",
    "InvitationMail",
    "InvitationMailQuerySet",
    "InvitationQuerySet",
    "Items",
    "MailKind",
    "MailStatus",
    "OutboxMail",
    "OutboxMailQuerySet",
    "PairCount",
    "Participation",
    "Survey",
    "SurveyItem",
    "SurveyQuerySet",
    "SurveyStatus",
    "Tally",
    "TallyRun",
    "Weighting",
    "canonical_json",
    "derive_token",
    "hash_token",
    "min_group_field",
]
