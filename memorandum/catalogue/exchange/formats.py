"""The catalogue file format: tables and columns.

A content text has one column per language (``title_nl``, ``title_fr``), taken from the
models' bilingual declarations (:mod:`memorandum.lib.bilingual`), never spelled out here.
"""

from __future__ import annotations

from memorandum.catalogue import models as catalogue
from memorandum.lib.bilingual import bilingual_columns, required_columns

FORMAT = "memorandum-catalogue/1"

COLUMNS: dict[str, list[str]] = {
    "domains": ["number", *bilingual_columns(catalogue.WorkDomain)],
    "themes": ["domain", "number", *bilingual_columns(catalogue.Theme)],
    "addressees": ["order", "honorific", "name", *bilingual_columns(catalogue.Addressee)],
    "references": ["order", "kind", *bilingual_columns(catalogue.Reference), "url"],
    "timeline": [
        "date",
        "end_date",
        "precision",
        "kind",
        *bilingual_columns(catalogue.TimelineEvent),
    ],
    "recommendations": [
        "kind",
        "number",
        "domain",
        "theme",
        "status",
        *bilingual_columns(catalogue.Recommendation),
        "addressees",
        "references",
    ],
}
REQUIRED: dict[str, list[str]] = {
    "domains": ["number", *required_columns(catalogue.WorkDomain)],
    "themes": ["domain", "number", *required_columns(catalogue.Theme)],
    "addressees": ["order", *required_columns(catalogue.Addressee)],
    "references": ["order", "kind", *required_columns(catalogue.Reference)],
    "timeline": ["date", "kind", *required_columns(catalogue.TimelineEvent)],
    "recommendations": ["kind", "number", "domain", *required_columns(catalogue.Recommendation)],
}
# Only the required columns must be in a file. A column left out of a hand-made sheet
# leaves that field as it is (or at its default for new rows) instead of emptying it.
EDITION_FIELDS = [
    "slug",
    *bilingual_columns(catalogue.Edition, ["title"]),
    "period_start",
    "period_end",
    "phase",
    *bilingual_columns(catalogue.Edition, ["issuing_body"]),
    "foreword_author",
    *bilingual_columns(
        catalogue.Edition, ["foreword_author_function", "foreword", "introduction", "notes"]
    ),
    "is_synthetic",
    "proposals_count",
]
TABLE_ORDER = ["domains", "themes", "addressees", "references", "timeline", "recommendations"]
