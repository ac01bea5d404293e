"""The sheets and columns of the follow-up form."""

from __future__ import annotations

COLUMNS: dict[str, list[str]] = {
    "initiatives": [
        "id",
        "recommendations",
        "title_nl",
        "title_fr",
        "description_nl",
        "description_fr",
        "lead_organisation",
        "lead_zone",
        "partners",
        "start_date",
        "end_date",
        "status",
        "progress",
        "update_text",
    ],
    "milestones": [
        "id",
        "initiative",
        "initiative_title",
        "title_nl",
        "title_fr",
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
        "title_nl",
        "lead_organisation",
        "start_date",
        "status",
        "progress",
    ],
    "milestones": ["id", "initiative", "title_nl", "due_date"],
    "measurements": ["id", "indicator", "date", "value"],
}
