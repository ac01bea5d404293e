"""The catalogue file format: tables and columns."""

from __future__ import annotations

FORMAT = "memorandum-catalogue/1"

COLUMNS: dict[str, list[str]] = {
    "domains": ["number", "name_nl", "name_fr", "description_nl", "description_fr"],
    "themes": ["domain", "number", "name_nl", "name_fr"],
    "addressees": ["order", "honorific", "name", "function_nl", "function_fr"],
    "references": ["order", "kind", "title_nl", "title_fr", "url"],
    "timeline": [
        "date",
        "end_date",
        "precision",
        "kind",
        "title_nl",
        "title_fr",
        "description_nl",
        "description_fr",
    ],
    "recommendations": [
        "kind",
        "number",
        "domain",
        "theme",
        "status",
        "title_nl",
        "title_fr",
        "objective_nl",
        "objective_fr",
        "actions_nl",
        "actions_fr",
        "context_nl",
        "context_fr",
        "addressees",
        "references",
    ],
}
REQUIRED: dict[str, list[str]] = {
    "domains": ["number", "name_nl"],
    "themes": ["domain", "number", "name_nl"],
    "addressees": ["order", "function_nl"],
    "references": ["order", "kind", "title_nl"],
    "timeline": ["date", "kind", "title_nl"],
    "recommendations": ["kind", "number", "domain", "title_nl"],
}
# Only the required columns must be in a file. A column left out of a hand-made sheet
# leaves that field as it is (or at its default for new rows) instead of emptying it.
EDITION_FIELDS = [
    "slug",
    "title_nl",
    "title_fr",
    "period_start",
    "period_end",
    "phase",
    "issuing_body_nl",
    "issuing_body_fr",
    "foreword_author",
    "foreword_author_function_nl",
    "foreword_author_function_fr",
    "foreword_nl",
    "foreword_fr",
    "introduction_nl",
    "introduction_fr",
    "notes_nl",
    "notes_fr",
    "is_synthetic",
    "proposals_count",
]
TABLE_ORDER = ["domains", "themes", "addressees", "references", "timeline", "recommendations"]
