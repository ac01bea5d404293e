"""Helpers for generated files."""

import datetime
import io
import re
import zipfile

# Office writers stamp "now" into the document properties at save time (openpyxl does so
# whatever the workbook's properties say).
OFFICE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")
FIXED_DATE = b"2000-01-01T00:00:00Z"


def with_fixed_zip_dates(package: bytes, moment: datetime.datetime | None = None) -> bytes:
    """The same zip package (XLSX, DOCX) with fixed dates on its entries and properties.

    Office libraries stamp the current time on each entry and in ``docProps/core.xml``;
    fixing both makes the same data give the same bytes, so exports can be compared and
    cached by content. ``moment`` is the date the properties should say (a document's
    edition date); without it they say 2000-01-01.
    """
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ").encode() if moment else FIXED_DATE
    source = zipfile.ZipFile(io.BytesIO(package))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            content = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                content = OFFICE_DATES.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
            info = zipfile.ZipInfo(entry.filename, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = entry.external_attr
            target.writestr(info, content)
    return output.getvalue()
