"""Writing the member register as XLSX or CSV (the format the import reads)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from memorandum.catalogue.models import PoliceZone
from memorandum.catalogue.register.rows import COLUMNS, MODEL_FIELD
from memorandum.lib.exports import SafeCSVWriter, neutralise_sheet, workbook_bytes, xlsx_row


def register_rows() -> list[list[Any]]:
    """Every zone, ended ones included, as rows of :data:`COLUMNS`."""
    rows = []
    for zone in PoliceZone.objects.select_related("province", "merged_into").order_by("code"):
        values = {column: getattr(zone, field) for column, field in MODEL_FIELD.items()}
        values.update(
            code=zone.code,
            province=zone.province.code,
            region=zone.province.region,
            merged_into=zone.merged_into.code if zone.merged_into else "",
        )
        rows.append([values[column] for column in COLUMNS])
    return rows


def export_csv() -> bytes:
    """UTF-8 with a BOM and semicolons, as Excel in Belgium opens and saves CSV."""
    buffer = io.StringIO()
    writer = SafeCSVWriter(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in register_rows():
        writer.writerow(v.isoformat() if isinstance(v, dt.date) else v for v in row)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "zones"
    sheet.append(COLUMNS)
    for row in register_rows():
        sheet.append(xlsx_row(row))
    neutralise_sheet(sheet)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = 14 if len(cell.value) < 9 else 28
    letter = sheet.cell(row=1, column=COLUMNS.index("ended_on") + 1).column_letter
    for cell in sheet[letter][1:]:
        cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "B2"
    return workbook_bytes(workbook)


EXPORTERS = {"csv": export_csv, "xlsx": export_xlsx}
