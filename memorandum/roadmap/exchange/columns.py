"""The sheets and columns of the follow-up form.

A content text has one column per language, taken from the models' bilingual
declarations (:mod:`memorandum.lib.bilingual`).
"""

from __future__ import annotations

from memorandum.lib.bilingual import bilingual_columns, required_columns
from memorandum.roadmap.models import Initiative, Milestone

COLUMNS: dict[str, list[str]] = {
    "initiatives": [
        "id",
        "recommendations",
        *bilingual_columns(Initiative),
        *Initiative.PLAN_FIELDS,
        "update_text",
    ],
    "milestones": [
        "id",
        "initiative",
        "initiative_title",
        *bilingual_columns(Milestone),
        "due_date",
        "done_date",
    ],
    "measurements": [
        "id",
        "indicator",
        "indicator_name",
        "unit",
        "baseline",
        "target",
        "date",
        "value",
        "note",
    ],
}
REQUIRED_COLUMNS: dict[str, list[str]] = {
    "initiatives": [
        "id",
        "recommendations",
        *required_columns(Initiative),
        "lead_organisation",
        "start_date",
        "status",
        "progress",
    ],
    "milestones": ["id", "initiative", *required_columns(Milestone), "due_date"],
    "measurements": ["id", "indicator", "date", "value"],
}
