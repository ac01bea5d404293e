"""Three things WeasyPrint's PDF/UA tagging leaves out, added while it builds the tags.

* ``/Lang`` on a structure element whose HTML element has a ``lang`` attribute, so that a
  Dutch passage in the French PDF is read out in Dutch;
* ``/Scope`` on table header cells (``/Column``, or ``/Row`` for ``scope="row"``);
* the structure type named by a ``data-pdf-tag`` attribute: the contents page is a list
  in HTML but ``/TOC`` with ``/TOCI`` entries in the PDF.

WeasyPrint builds the structure tree in ``weasyprint.pdf.tags._build_box_tree`` (one
call per box, recursively through the module global). :func:`install` wraps that
function once; the wrapper only adds keys to the elements WeasyPrint made. The structure
test (``tests/test_structure.py``) fails if an upgrade of WeasyPrint changes this.
"""

from __future__ import annotations

import pydyf
from weasyprint.pdf import tags

_ORIGINAL = tags._build_box_tree


def _build_box_tree(box, parent, pdf, page_number, nums, annotations, tag_map):
    for element in _ORIGINAL(box, parent, pdf, page_number, nums, annotations, tag_map):
        html = getattr(box, "element", None)
        if html is not None and getattr(box, "element_tag", None) not in ("html", "body"):
            _amend(element, html)
        yield element


def _amend(element, html) -> None:
    lang = html.attrib.get("lang")
    if lang:
        element["Lang"] = pydyf.String(lang)
    structure = html.attrib.get("data-pdf-tag")
    if structure and structure.isalpha():
        element["S"] = f"/{structure}"
    if html.tag == "th" and element.get("S") == "/TH":
        attributes = element.get("A")
        if attributes is not None:
            scope = "Row" if html.attrib.get("scope") == "row" else "Column"
            attributes["Scope"] = f"/{scope}"


def install() -> None:
    """Wrap WeasyPrint's tag builder (idempotent)."""
    if tags._build_box_tree is not _build_box_tree:
        tags._build_box_tree = _build_box_tree
