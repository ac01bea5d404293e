"""The follow-up form (opvolgformulier) as an XLSX workbook, to fill in offline.

One sheet per table: ``initiatives``, ``milestones`` and ``measurements``, plus a ``help``
sheet that import ignores. Every row carries its ``id``; on import a row with an id updates
that object and a row without one creates a new object. Import is all or nothing: the whole
workbook is read and checked first, and any problem (sheet, row, column, why) means nothing
is written. A row that changes nothing is skipped, so a partner can send back the full form
even with rows of initiatives they may only read.
"""

from memorandum.lib.importing import ImportResult
from memorandum.roadmap.exchange.columns import COLUMNS
from memorandum.roadmap.exchange.export import export_xlsx
from memorandum.roadmap.exchange.importer import import_xlsx

__all__ = ["COLUMNS", "ImportResult", "export_xlsx", "import_xlsx"]
