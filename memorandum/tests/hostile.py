"""A hand-crafted set of hostile upload files, shared by the hostile-file tests and the fuzzer.

Every builder returns ``(file name, bytes)``. The XLSX files start from one real workbook
whose sheets carry the headers of every import (catalogue, follow-up form, proposals), so a
hostile part reaches the parser of each importer, not just its "wrong sheet" check.
"""

from __future__ import annotations

import functools
import io
import zipfile
from collections.abc import Callable

from openpyxl import Workbook

from memorandum.catalogue.exchange import COLUMNS as CATALOGUE_COLUMNS
from memorandum.consultation.importer import COLUMNS as PROPOSAL_COLUMNS
from memorandum.roadmap.exchange import COLUMNS as FOLLOW_UP_COLUMNS

SHEETS = {
    "proposals": PROPOSAL_COLUMNS,
    "recommendations": CATALOGUE_COLUMNS["recommendations"],
    **FOLLOW_UP_COLUMNS,
}
SHEET_PARTS = [f"xl/worksheets/sheet{i}.xml" for i in range(1, len(SHEETS) + 1)]
SHEET_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "{dimension}<sheetData>{rows}</sheetData></worksheet>"
)


def _xml(rows: str, dimension: str = "") -> bytes:
    return SHEET_XML.format(rows=rows, dimension=dimension).encode()


@functools.cache
def base_workbook() -> bytes:
    """A valid workbook with one sheet per import, each with its header row."""
    book = Workbook()
    book.remove(book.active)
    for name, columns in SHEETS.items():
        book.create_sheet(name).append(list(columns))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_parts(replacements: dict[str, bytes], source: bytes | None = None) -> bytes:
    """The base workbook with some of its parts replaced (or added)."""
    source_zip = zipfile.ZipFile(io.BytesIO(source or base_workbook()))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source_zip.infolist():
            if entry.filename not in replacements:
                target.writestr(entry, source_zip.read(entry.filename))
        for name, content in replacements.items():
            target.writestr(name, content)
    return output.getvalue()


def every_sheet(xml: bytes) -> bytes:
    return with_parts(dict.fromkeys(SHEET_PARTS, xml))


def _header_row() -> str:
    return '<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row>'


# -- XLSX ------------------------------------------------------------------------------


def truncated_zip():
    content = base_workbook()
    return "truncated.xlsx", content[: len(content) // 2]


def zip_bomb():
    """A sheet that unpacks to 80 MB (of spaces) from a few hundred kilobytes."""
    output = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(base_workbook()))
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for entry in source.infolist():
            if entry.filename != SHEET_PARTS[0]:
                target.writestr(entry, source.read(entry.filename))
        with target.open(SHEET_PARTS[0], "w", force_zip64=True) as part:
            part.write(SHEET_XML.split("{dimension}")[0].encode())
            chunk = b" " * (1024 * 1024)
            for _ in range(80):
                part.write(chunk)
            part.write(b"<sheetData/></worksheet>")
    return "bomb.xlsx", output.getvalue()


def many_zip_entries():
    return "entries.xlsx", with_parts({f"xl/media/pad{i}.bin": b"" for i in range(2000)})


def hundred_thousand_rows():
    rows = _header_row() + "".join(
        f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(2, 100_002)
    )
    return "rows.xlsx", every_sheet(_xml(rows))


def hundred_thousand_declared_rows():
    """The same, with the dimension real spreadsheet programs write."""
    rows = _header_row() + "".join(
        f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(2, 100_002)
    )
    return "declared-rows.xlsx", every_sheet(_xml(rows, '<dimension ref="A1:A100001"/>'))


def declared_million_rows():
    """A tiny sheet that declares the whole grid and fills its very last cell."""
    rows = _header_row() + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return "grid.xlsx", every_sheet(_xml(rows, '<dimension ref="A1:XFD1048576"/>'))


def wide_row():
    cells = "".join(f"<c><v>{n}</v></c>" for n in range(20_000))
    return "wide.xlsx", every_sheet(_xml(f'<row r="1">{cells}</row>'))


def billion_laughs():
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    return "laughs.xlsx", every_sheet(xml.encode())


def external_entity():
    xml = (
        '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        'uniqueCount="1"><si><t>&xxe;</t></si></sst>'
    )
    return "xxe.xlsx", with_parts({"xl/sharedStrings.xml": xml.encode()})


def entity_after_long_comment():
    """A declaration hidden behind 100 KB of comment, past the quick prolog scan."""
    xml = (
        '<?xml version="1.0"?><!--' + "x" * 100_000 + "--><!DOCTYPE worksheet ["
        '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    return "hidden-entity.xlsx", every_sheet(xml.encode())


def broken_sheet_xml():
    return "broken.xlsx", every_sheet(b'<?xml version="1.0"?><worksheet><sheetData><row r="1"><c')


def bad_cell_reference():
    return "badref.xlsx", every_sheet(_xml('<row r="1"><c r="!!"><v>1</v></c></row>'))


def wrong_cell_types():
    rows = (
        '<row r="1"><c r="A1" t="n"><v>abc</v></c></row>'
        '<row r="2"><c r="A2" t="d"><v>not-a-date</v></c><c r="B2" t="b"><v>maybe</v></c></row>'
        '<row r="3"><c r="A3" t="s"><v>99999</v></c></row>'
    )
    return "types.xlsx", every_sheet(_xml(rows))


def huge_numbers():
    rows = _header_row() + (
        '<row r="2"><c r="A2"><v>1e308</v></c><c r="B2"><v>1e400</v></c>'
        '<c r="C2"><v>NaN</v></c><c r="D2" t="inlineStr"><is><t>99999999999999999999999</t>'
        "</is></c></row>"
    )
    return "numbers.xlsx", every_sheet(_xml(rows))


def not_a_workbook():
    return "fake.xlsx", b"%PDF-1.7\n" + b"x" * 1000


def empty_file():
    return "empty.xlsx", b""


def no_sheets():
    return "nosheets.xlsx", with_parts(
        {
            "xl/workbook.xml": b'<?xml version="1.0"?><workbook xmlns="http://schemas.'
            b'openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>'
        }
    )


# -- CSV and JSON ----------------------------------------------------------------------


def csv_latin1():
    return "latin1.csv", "kind;number;title_nl\nrecommendation;1;Caf\xe9\n".encode("latin-1")


def csv_utf16():
    return "utf16.csv", "kind;number;title_nl\nrecommendation;1;Café\n".encode("utf-16")


def csv_nul():
    return "nul.csv", b"kind;number;domain;title_nl\nrecommendation;1;1;a\x00b\n"


def csv_many_rows():
    lines = ["kind;number;domain;title_nl"] + [f"recommendation;{n};1;T" for n in range(1, 20_001)]
    return "rows.csv", "\n".join(lines).encode()


def csv_huge_field():
    return (
        "field.csv",
        b'kind;number;domain;title_nl\nrecommendation;1;1;"' + b"x" * 200_000 + b'"\n',
    )


def csv_huge_integer():
    return "int.csv", b"kind;number;domain;title_nl\nrecommendation;99999999999999999999;1;T\n"


def json_deep():
    return "deep.json", b"[" * 100_000 + b"]" * 100_000


def json_nan():
    return "nan.json", b'{"format": "memorandum-catalogue/1", "domains": [{"number": NaN}]}'


def json_huge_integer():
    return "int.json", b'{"format": "memorandum-catalogue/1", "domains": [{"number": 1' + (
        b"0" * 5000
    ) + b"}]}"


def json_wrong_shapes():
    return "shapes.json", (
        b'{"format": "memorandum-catalogue/1", "domains": {"a": 1}, "themes": ["x"], '
        b'"recommendations": [{"kind": ["recommendation"], "number": {"a": 1}, '
        b'"domain": 1.5, "title_nl": null, "addressees": [[1]], "references": "x"}]}'
    )


def json_control_characters():
    return "control.json", (
        b'{"format": "memorandum-catalogue/1", "domains": '
        b'[{"number": 9, "name_nl": "a\\u0000b\\u0007"}]}'
    )


def json_utf16():
    return "utf16.json", '{"format": "memorandum-catalogue/1"}'.encode("utf-16")


XLSX_FILES: list[Callable[[], tuple[str, bytes]]] = [
    truncated_zip,
    zip_bomb,
    many_zip_entries,
    hundred_thousand_rows,
    hundred_thousand_declared_rows,
    declared_million_rows,
    wide_row,
    billion_laughs,
    external_entity,
    entity_after_long_comment,
    broken_sheet_xml,
    bad_cell_reference,
    wrong_cell_types,
    huge_numbers,
    not_a_workbook,
    empty_file,
    no_sheets,
]
CATALOGUE_ONLY_FILES: list[Callable[[], tuple[str, bytes]]] = [
    csv_latin1,
    csv_utf16,
    csv_nul,
    csv_many_rows,
    csv_huge_field,
    csv_huge_integer,
    json_deep,
    json_nan,
    json_huge_integer,
    json_wrong_shapes,
    json_control_characters,
    json_utf16,
]
