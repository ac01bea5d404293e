"""Helpers for generated files."""

import io
import zipfile


def with_fixed_zip_dates(package: bytes) -> bytes:
    """The same zip package (XLSX, DOCX) with a fixed date on every entry.

    Office libraries stamp each entry with the current time; fixing it makes the same data
    give the same bytes, so exports can be compared and cached by content.
    """
    source = zipfile.ZipFile(io.BytesIO(package))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = entry.external_attr
            target.writestr(info, source.read(entry.filename))
    return output.getvalue()
