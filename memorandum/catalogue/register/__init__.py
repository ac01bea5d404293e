"""The member register: every police zone in one XLSX or CSV file, to export and import.

One table, ``zones``, one row per zone (columns in :data:`COLUMNS`; see docs/accounts.md).
Import is all or nothing, as every import (:mod:`memorandum.lib.importing`): the whole file
is checked first and any problem (row, column, why) means nothing is written. Rows are
matched on the zone's code: a known code is updated where the file changes it, a new code
creates a zone. A zone missing from the file is neither deleted nor changed.

Zones merge over time: a row may name in ``merged_into`` the code of the zone it became
(with ``ended_on``). The old zone stays, ended; ballots, proposals, initiatives and assembly
attendance keep pointing to it, and an ended zone is no longer invited to new surveys.
"""

from memorandum.catalogue.register.export import EXPORTERS, export_csv, export_xlsx, register_rows
from memorandum.catalogue.register.importer import import_register, zones_without_account
from memorandum.catalogue.register.rows import COLUMNS, REQUIRED

__all__ = [
    "COLUMNS",
    "EXPORTERS",
    "REQUIRED",
    "export_csv",
    "export_xlsx",
    "import_register",
    "register_rows",
    "zones_without_account",
]
