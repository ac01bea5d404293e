"""Writing a catalogue as JSON, CSV or XLSX."""

from __future__ import annotations

import json
from typing import Any

from memorandum.catalogue.exchange.formats import COLUMNS, EDITION_FIELDS, FORMAT
from memorandum.catalogue.models import (
    Edition,
    Recommendation,
    Theme,
)
from memorandum.lib.bilingual import texts_of
from memorandum.lib.exports import csv_bytes, neutralise_workbook, workbook_bytes, xlsx_row


def _numbers(items) -> str:
    return ";".join(str(item.order) for item in items)


def catalogue_tables(
    edition: Edition, *, public_only: bool = False
) -> dict[str, list[dict[str, Any]]]:
    """The edition's catalogue as plain rows, the common ground of every format."""
    recommendations = Recommendation.objects.filter(edition=edition)
    if public_only:
        recommendations = recommendations.public()
    recommendations = (
        recommendations.select_related("domain", "theme__domain")
        .prefetch_related("addressees", "references")
        .order_by("-kind", "number")
    )
    return {
        "domains": [{c: getattr(d, c) for c in COLUMNS["domains"]} for d in edition.domains.all()],
        "themes": [
            {
                "domain": t.domain.number,
                "number": t.number,
                **texts_of(t),
            }
            for t in Theme.objects.filter(domain__edition=edition).select_related("domain")
        ],
        "addressees": [
            {c: getattr(a, c) for c in COLUMNS["addressees"]} for a in edition.addressees.all()
        ],
        "references": [
            {c: getattr(r, c) for c in COLUMNS["references"]} for r in edition.references.all()
        ],
        "timeline": [
            {
                "date": e.date.isoformat(),
                "end_date": e.end_date.isoformat() if e.end_date else "",
                "precision": e.precision,
                "kind": e.kind,
                **texts_of(e),
            }
            for e in edition.timeline.all()
        ],
        "recommendations": [
            {
                "kind": r.kind,
                "number": r.number,
                "domain": r.domain.number,
                "theme": r.theme.code if r.theme else "",
                "status": r.status,
                **texts_of(r),
                "addressees": _numbers(r.addressees.all()),
                "references": _numbers(r.references.all()),
            }
            for r in recommendations
        ],
    }


def edition_header(edition: Edition) -> dict[str, Any]:
    return {name: getattr(edition, name) for name in EDITION_FIELDS}


def export_json(edition: Edition, *, public_only: bool = False) -> bytes:
    tables = catalogue_tables(edition, public_only=public_only)
    for row in tables["recommendations"]:
        row["addressees"] = [int(n) for n in row["addressees"].split(";") if n]
        row["references"] = [int(n) for n in row["references"].split(";") if n]
    for row in tables["themes"]:
        row["number"] = int(row["number"])
    for row in tables["recommendations"]:
        row["theme"] = row["theme"] or None
    for row in tables["timeline"]:
        row["end_date"] = row["end_date"] or None
    document = {"format": FORMAT, "edition": edition_header(edition), **tables}
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def export_csv(edition: Edition, *, public_only: bool = False) -> bytes:
    """The recommendations table as CSV for Excel (see :func:`memorandum.lib.exports.csv_bytes`)."""
    columns = COLUMNS["recommendations"]
    rows = catalogue_tables(edition, public_only=public_only)["recommendations"]
    return csv_bytes(columns, ([row[c] for c in columns] for row in rows))


def export_xlsx(edition: Edition, *, public_only: bool = False) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in catalogue_tables(edition, public_only=public_only).items():
        sheet = workbook.create_sheet(name)
        sheet.append(COLUMNS[name])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(xlsx_row(row[c] for c in COLUMNS[name]))
        sheet.freeze_panes = "A2"
        for column_cells in sheet.columns:
            width = max((len(str(c.value or "").split("\n")[0]) for c in column_cells), default=8)
            sheet.column_dimensions[column_cells[0].column_letter].width = min(
                max(width + 2, 8), 60
            )
            for cell in column_cells[1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    neutralise_workbook(workbook)
    return workbook_bytes(workbook)  # the same catalogue gives the same file


EXPORTERS = {"json": export_json, "csv": export_csv, "xlsx": export_xlsx}
