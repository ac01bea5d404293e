"""The audit log as a spreadsheet: CSV for Belgian Excel (semicolons, UTF-8 BOM) and XLSX.

A name or label typed by someone (``=HYPERLINK(…)``) must stay text when the file is
opened: CSV cells that start with a formula character get an apostrophe in front, XLSX
cells are stored as text.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from memorandum.audit.models import AuditEntry
from memorandum.lib.exports import csv_bytes, neutralise_sheet, xlsx_row


def header() -> list[str]:
    return [
        _("When"),
        _("Action"),
        _("Action code"),
        _("Who"),
        _("Summary"),
        _("Kind of object"),
        _("Object id"),
        _("Object"),
        _("Address"),
        _("Details"),
    ]


def rows(entries: Iterable[AuditEntry]) -> Iterable[list[object]]:
    for entry in entries:
        kind = entry.content_type.name if entry.content_type_id else ""
        yield [
            timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            entry.get_action_display(),
            entry.action,
            entry.who,
            entry.summary(),
            kind,
            entry.object_id,
            entry.object_label,
            entry.ip_address or "",
            "; ".join(f"{key}: {value}" for key, value in entry.detail_items()),
        ]


def to_csv(entries: Iterable[AuditEntry]) -> bytes:
    return csv_bytes(header(), rows(entries))


def to_xlsx(entries: Iterable[AuditEntry]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Audit log")[:31]
    sheet.append(header())
    for row in rows(entries):
        sheet.append(xlsx_row(row))  # a typed user name may hold control characters
    neutralise_sheet(sheet)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFGHIJ", (20, 26, 22, 30, 60, 18, 10, 40, 16, 50), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
