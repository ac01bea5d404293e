"""The sheets and columns of the follow-up form, and how problems are reported."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

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
REQUIRED_CELLS: dict[str, list[str]] = {
    "initiatives": [
        "recommendations",
        "title_nl",
        "lead_organisation",
        "start_date",
        "status",
        "progress",
    ],
    "milestones": ["initiative", "title_nl", "due_date"],
    "measurements": ["indicator", "date", "value"],
}
MAX_LENGTH = {
    "title_nl": 300,
    "title_fr": 300,
    "lead_organisation": 200,
    "partners": 500,
    "note": 500,
}
CODE = re.compile(r"^([RC])(\d{1,9})(?:\.(\d{1,9}))?$", re.IGNORECASE)


@dataclass
class Issue:
    """One problem in the workbook; ``row`` counts like the spreadsheet (1 is the header)."""

    sheet: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.sheet] + ([_("row %(row)s") % {"row": self.row}] if self.row else [])
        where += [_("column “%(column)s”") % {"column": self.column}] if self.column else []
        return f"{', '.join(where)}: {self.message}"


@dataclass
class ImportResult:
    issues: list[Issue] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.issues
