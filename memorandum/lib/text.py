"""Characters that no renderer can hold."""

from __future__ import annotations

import re

# Control characters that XML 1.0 (XLSX, DOCX, SVG), openpyxl, python-docx and PostgreSQL
# (NUL) cannot hold; tab, line feed and carriage return are ordinary text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def printable(value: object) -> str:
    """The text without control characters, for renderers (charts, DOCX, XLSX, pages).

    Such characters are refused at the edge (forms, imports); renderers drop them anyway so
    that a value stored before that cannot take a page down.
    """
    return CONTROL_CHARACTERS.sub("", str(value or ""))
