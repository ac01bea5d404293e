"""Shared helpers for the publication tests: text out of PDF and Word files, a fake survey."""

from __future__ import annotations

import datetime
import io
import re
import subprocess
import sys
import tempfile
import types
import zlib
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import docx


def pdf_text(data: bytes) -> str:
    """The PDF's text as pdftotext (poppler) reads it, in reading order."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(data)
        return subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout


def pdf_has_object(data: bytes, needle: bytes) -> bool:
    """Whether ``needle`` occurs in the PDF, looking inside compressed streams too."""
    if needle in data:
        return True
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, flags=re.S):
        try:
            if needle in zlib.decompress(match.group(1)):
                return True
        except zlib.error:
            continue
    return False


def flat(text: str) -> str:
    """Whitespace collapsed, so that lines wrapped by the layout compare equal."""
    return " ".join(text.split())


def docx_paragraphs(data: bytes) -> list[tuple[str, str]]:
    """(style name, text) of every paragraph of a Word file, in order."""
    return [(p.style.name, p.text) for p in docx.Document(io.BytesIO(data)).paragraphs]


FAKE_PRIORITIES = {
    "title": "Prioriteitenbevraging 2023",
    "method": "Borda",
    "ballots": 141,
    "zones_total": 185,
    "window": (datetime.date(2023, 5, 15), datetime.date(2023, 6, 5)),
    "items": [
        {
            "code": "R3",
            "title": "Toereikende middelen",
            "rank": 2,
            "score": 0.71,
            "rank_low": 1,
            "rank_high": 3,
        },
        {
            "code": "R1",
            "title": "Een optimale en duurzame financiering",
            "rank": 1,
            "score": 0.83,
            "rank_low": 1,
            "rank_high": 2,
        },
        {
            "code": "R6",
            "title": "De medewerkers op de eerste plaats",
            "rank": 3,
            "score": 0.52,
            "rank_low": 2,
            "rank_high": 4,
        },
    ],
    "synthetic": True,
}


@contextmanager
def survey_results(result):
    """Stand in for ``memorandum.survey.results`` (built by the survey app) with a fixed result."""
    module = types.ModuleType("memorandum.survey.results")
    module.published_priorities = mock.Mock(return_value=result)
    with mock.patch.dict(sys.modules, {"memorandum.survey.results": module}):
        yield module.published_priorities
