"""The catalogue: what a memorandum edition is made of.

An edition has work domains, themes and recommendations (to the authorities, or
commitments of the local police); it is addressed to authorities and cites references.
Police zones, grouped in provinces and regions, are the members who propose and vote.
Content texts exist in Dutch and French, each declared once with
``memorandum.lib.bilingual.BilingualField``.

The models live in one module per subject (``members``, ``editions``, ``recommendations``);
this package re-exports them, so ``from memorandum.catalogue.models import …`` stays the one
way to import them.
"""

from memorandum.catalogue.models.editions import (
    PUBLIC_PHASES,
    Addressee,
    DatePrecision,
    Edition,
    EditionPhase,
    EditionQuerySet,
    Honorific,
    Phase,
    Reference,
    ReferenceKind,
    Theme,
    TimelineEvent,
    TimelineKind,
    WorkDomain,
    edition_field,
    precision_field,
)
from memorandum.catalogue.models.members import (
    PoliceZone,
    Province,
    Region,
    UserProfile,
    ZoneLanguage,
    account_field,
)
from memorandum.catalogue.models.recommendations import (
    KIND_PREFIX,
    Recommendation,
    RecommendationKind,
    RecommendationQuerySet,
    Status,
    normalise_for_search,
)

__all__ = [
    "Addressee",
    "DatePrecision",
    "Edition",
    "EditionQuerySet",
    "Honorific",
    "KIND_PREFIX",
    "PUBLIC_PHASES",
    "Phase",
    "PoliceZone",
    "Province",
    "Recommendation",
    "RecommendationKind",
    "RecommendationQuerySet",
    "Reference",
    "ReferenceKind",
    "Region",
    "Status",
    "Theme",
    "EditionPhase",
    "TimelineEvent",
    "TimelineKind",
    "UserProfile",
    "WorkDomain",
    "account_field",
    "edition_field",
    "precision_field",
    "ZoneLanguage",
    "normalise_for_search",
]
