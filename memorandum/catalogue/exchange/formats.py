"""The catalogue file format: tables and columns.

A content text has one column per language (``title_nl``, ``title_fr``), taken from the
models' bilingual declarations (:mod:`memorandum.lib.bilingual`), never spelled out here.
"""

from __future__ import annotations

from memorandum.catalogue.models import (
    Addressee,
    Edition,
    Recommendation,
    Reference,
    Theme,
    TimelineEvent,
    WorkDomain,
)
from memorandum.lib.bilingual import bilingual_columns, required_columns

FORMAT = "memorandum-catalogue/1"

COLUMNS: dict[str, list[str]] = {
    "domains": ["number", *bilingual_columns(WorkDomain)],
    "themes": ["domain", "number", *bilingual_columns(Theme)],
    "addressees": ["order", "honorific", "name", *bilingual_columns(Addressee)],
    "references": ["order", "kind", *bilingual_columns(Reference), "url"],
    "timeline": ["date", "end_date", "precision", "kind", *bilingual_columns(TimelineEvent)],
    "recommendations": [
        "kind",
        "number",
        "domain",
        "theme",
        "status",
        *bilingual_columns(Recommendation),
        "addressees",
        "references",
    ],
}
REQUIRED: dict[str, list[str]] = {
    "domains": ["number", *required_columns(WorkDomain)],
    "themes": ["domain", "number", *required_columns(Theme)],
    "addressees": ["order", *required_columns(Addressee)],
    "references": ["order", "kind", *required_columns(Reference)],
    "timeline": ["date", "kind", *required_columns(TimelineEvent)],
    "recommendations": ["kind", "number", "domain", *required_columns(Recommendation)],
}
# Only the required columns must be in a file. A column left out of a hand-made sheet
# leaves that field as it is (or at its default for new rows) instead of emptying it.
EDITION_FIELDS = [
    "slug",
    *bilingual_columns(Edition, ["title"]),
    "period_start",
    "period_end",
    "phase",
    *bilingual_columns(Edition, ["issuing_body"]),
    "foreword_author",
    *bilingual_columns(Edition, ["foreword_author_function", "foreword", "introduction", "notes"]),
    "is_synthetic",
    "proposals_count",
]
TABLE_ORDER = ["domains", "themes", "addressees", "references", "timeline", "recommendations"]
