"""Catalogue export and import as JSON, XLSX and CSV.

All three formats carry the same tables (one JSON list, one XLSX sheet each):
``domains``, ``themes``, ``addressees``, ``references``, ``timeline`` and
``recommendations``; CSV carries the ``recommendations`` table only (one file, one
table), whose domains and themes must then already exist in the edition.

Import is all or nothing: the whole file is read and checked first; any problem is
reported by table, row and column in plain language and nothing is written. Rows are
matched on their natural keys (domain number, theme code, addressee and reference
order, recommendation kind + number, timeline date + kind + Dutch title): matching rows
are updated where the file changes them (and only those count as updated), others created,
nothing is deleted, so importing an export reproduces the same catalogue. Each row is checked
by a form of :mod:`memorandum.catalogue.exchange.rows` through :mod:`memorandum.lib.importing`.
"""

from memorandum.catalogue.exchange.export import (
    EXPORTERS,
    catalogue_tables,
    export_csv,
    export_json,
    export_xlsx,
)
from memorandum.catalogue.exchange.formats import (
    COLUMNS,
    FORMAT,
    REQUIRED,
    TABLE_ORDER,
)
from memorandum.catalogue.exchange.reading import read_file
from memorandum.catalogue.exchange.writing import import_file, import_tables, load_edition

__all__ = [
    "COLUMNS",
    "EXPORTERS",
    "FORMAT",
    "REQUIRED",
    "TABLE_ORDER",
    "catalogue_tables",
    "export_csv",
    "export_json",
    "export_xlsx",
    "import_file",
    "import_tables",
    "load_edition",
    "read_file",
]
