"""Demo data of the catalogue beyond the edition's fixture: the dates of its phases
(from ``memorandum/demo/data/phases.json``, which says where each date comes from)."""

from __future__ import annotations

from memorandum.catalogue.models import DatePrecision, Edition, EditionPhase
from memorandum.demo import day, read


def load_phase_dates(edition: Edition) -> int:
    """Store the demo's phase dates of ``edition`` (again on every run); return how many."""
    data = read("phases")
    if data["edition"] != edition.slug:
        return 0
    for row in data["phases"]:
        EditionPhase.objects.update_or_create(
            edition=edition,
            phase=row["phase"],
            defaults={
                "planned_start": day(row.get("planned_start")),
                "planned_end": day(row.get("planned_end")),
                "planned_precision": row.get("planned_precision", DatePrecision.DAY),
                "actual_start": day(row.get("actual_start")),
                "actual_end": day(row.get("actual_end")),
                "actual_precision": row.get("actual_precision", DatePrecision.DAY),
            },
        )
    return len(data["phases"])
