"""Four things WeasyPrint's PDF/UA tagging leaves out, added while it builds the tags.

* ``/Lang`` on a structure element whose HTML element has a ``lang`` attribute, so that a
  Dutch passage in the French PDF is read out in Dutch;
* ``/Scope`` on table header cells (``/Column``, or ``/Row`` for ``scope="row"``);
* the structure type named by a ``data-pdf-tag`` attribute: the contents page is a list
  in HTML but ``/TOC`` with ``/TOCI`` entries in the PDF;
* the ``/LBody`` of a list item whose marker is inside its text.

WeasyPrint's public API has no hook between a box and the structure element made for it
(the ``finisher`` of ``write_pdf`` sees the finished objects, no longer their HTML
elements), so this module wraps ``weasyprint.pdf.tags._build_box_tree``, a private
function (one call per box, recursively through the module global). The wrapper adds
keys to the elements WeasyPrint made and the ``/LBody`` elements (the print stylesheet
sets the action lists' markers inside the text: outside markers are laid out as
absolutely positioned boxes, a tenth of the layout at 219 items). It reads
only the public ``box.element`` (the HTML element, an ElementTree element) and the
elements' ``S``, ``A``, ``K``, ``P`` and ``Pg`` keys.

Because the function is private, :func:`install` first checks that the installed
WeasyPrint is a version this was written against (:data:`SUPPORTED_VERSIONS`, also the
pin in ``pyproject.toml``) and that the function still has the same parameters; if not it
raises :class:`UnsupportedWeasyPrint`, which says what to check, instead of writing a PDF
that silently lacks its tags. ``tests/test_structure.py`` checks the tags themselves.
"""

from __future__ import annotations

import inspect

import pydyf
import weasyprint
from weasyprint.pdf import tags

# WeasyPrint major versions whose tagger (weasyprint/pdf/tags.py) this module was checked against.
SUPPORTED_VERSIONS = ("70",)
EXPECTED_PARAMETERS = ("box", "parent", "pdf", "page_number", "nums", "annotations", "tags")


class UnsupportedWeasyPrint(RuntimeError):
    """The installed WeasyPrint's tagger is not the one this module extends."""


def weasyprint_problem() -> str | None:
    """Why this module cannot extend the installed WeasyPrint, or None when it can."""
    version = weasyprint.__version__
    if version.split(".")[0] not in SUPPORTED_VERSIONS:
        return (
            f"WeasyPrint {version} is installed; memorandum/publication/pdftags.py was written "
            f"for version {', '.join(SUPPORTED_VERSIONS)} and extends its private tagger. "
            "Check _amend against weasyprint/pdf/tags.py of this version, run "
            "memorandum/publication/tests/test_structure.py, then add the version to "
            "SUPPORTED_VERSIONS and to the pin in pyproject.toml."
        )
    function = getattr(tags, "_build_box_tree", None)
    if function is None:
        return f"WeasyPrint {version} has no weasyprint.pdf.tags._build_box_tree to extend."
    original = getattr(function, "__wrapped__", function)
    parameters = tuple(inspect.signature(original).parameters)
    if parameters != EXPECTED_PARAMETERS:
        return (
            f"WeasyPrint {version}'s _build_box_tree takes ({', '.join(parameters)}), "
            f"not ({', '.join(EXPECTED_PARAMETERS)}): pdftags.py must be adapted."
        )
    return None


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


def _structure(pdf, reference):
    return pdf.objects[int(reference.split(b" ", 1)[0])]


def _add_list_body(item, pdf) -> None:
    """Give a list item whose marker is inside its text its ``/Lbl`` and ``/LBody`` apart.

    With ``list-style-position: inside`` WeasyPrint puts the item's text straight into the
    ``/LI`` beside its ``/Lbl``, or, when the item also holds a block (a nested list), the
    ``/Lbl`` inside the item's ``/LBody``; PDF/UA wants the label and the body side by side
    in the item. An item already made that way (outside marker, no marker) is left as it
    is, and so is one that holds marked content of its own rather than structure elements.
    """
    kids = list(item["K"])
    if not all(isinstance(kid, bytes) for kid in kids):
        return
    children = [_structure(pdf, kid) for kid in kids]
    bodies = [child for child in children if child["S"] == "/LBody"]
    if bodies:
        inner = list(bodies[0]["K"])
        if inner and isinstance(inner[0], bytes) and _structure(pdf, inner[0])["S"] == "/Lbl":
            label = _structure(pdf, inner[0])
            bodies[0]["K"] = pydyf.Array(inner[1:])
            label["P"] = item.reference
            index = kids.index(bodies[0].reference)
            item["K"] = pydyf.Array([*kids[:index], label.reference, *kids[index:]])
        return
    body = [child for child in children if child["S"] != "/Lbl"]
    if not body:
        return
    list_body = pydyf.Dictionary(
        {
            "Type": "/StructElem",
            "S": "/LBody",
            "K": pydyf.Array([child.reference for child in body]),
            "Pg": item["Pg"],
            "P": item.reference,
        }
    )
    pdf.add_object(list_body)
    for child in body:
        child["P"] = list_body.reference
    item["K"] = pydyf.Array(
        [child.reference for child in children if child["S"] == "/Lbl"] + [list_body.reference]
    )


class _PagesOnce:
    """The PDF as the tagger sees it, its page references computed once per page tagged.

    pydyf's ``PDF.page_references`` builds a tuple of every page's reference at each access,
    and the tagger reads it for every structure element it makes: at 219 items some 10,000
    accesses of an 89-element tuple, half of the tagging time. The tags run after the last
    page is added, so the tuple does not change while they are built. Everything else is
    the PDF's own.
    """

    __slots__ = ("_pdf", "page_references")

    def __init__(self, pdf):
        self._pdf = pdf
        self.page_references = pdf.page_references

    def __getattr__(self, name):
        return getattr(self._pdf, name)


def _wrap(original):
    def _build_box_tree(box, parent, pdf, page_number, nums, annotations, tag_map):
        if not isinstance(pdf, _PagesOnce):
            pdf = _PagesOnce(pdf)
        for element in original(box, parent, pdf, page_number, nums, annotations, tag_map):
            html = getattr(box, "element", None)
            if html is not None and getattr(box, "element_tag", None) not in ("html", "body"):
                _amend(element, html)
            if element.get("S") == "/LI":
                _add_list_body(element, pdf)
            yield element

    _build_box_tree.__wrapped__ = original
    return _build_box_tree


def install() -> None:
    """Wrap WeasyPrint's tag builder (idempotent); :class:`UnsupportedWeasyPrint` if it changed."""
    problem = weasyprint_problem()
    if problem:
        raise UnsupportedWeasyPrint(problem)
    if not hasattr(tags._build_box_tree, "__wrapped__"):
        tags._build_box_tree = _wrap(tags._build_box_tree)
