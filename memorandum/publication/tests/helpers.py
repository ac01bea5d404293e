"""Shared helpers for the publication tests: text out of PDF and Word files, a counted survey."""

from __future__ import annotations

import datetime
import io
import re
import subprocess
import tempfile
import zlib
from pathlib import Path

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


def counted_survey(edition, result: dict | None = None, *, legacy: bool = False, **fields):
    """A closed survey of ``edition`` with a tally holding ``result`` (default FAKE_PRIORITIES),
    written as the survey app writes ``Tally.results`` — or, with ``legacy``, as a tally of
    schema 1 frozen before weighting and k were recorded."""
    from zoneinfo import ZoneInfo

    from memorandum.survey.contract import (
        OrderRow,
        ParticipationCounts,
        TallyItem,
        TallyResult,
        write_tally,
    )
    from memorandum.survey.models import Survey, SurveyStatus, Tally

    result = result or FAKE_PRIORITIES
    start, end = result["window"]
    brussels = ZoneInfo("Europe/Brussels")
    values = {
        "title_nl": result["title"],
        "title_fr": "",
        "opens_at": datetime.datetime.combine(start, datetime.time(9), brussels),
        "closes_at": datetime.datetime.combine(end, datetime.time(18), brussels),
        "status": SurveyStatus.TALLIED,
        "primary_method": result["method"].lower(),
        "is_synthetic": result["synthetic"],
    } | fields
    survey = Survey.objects.create(edition=edition, **values)
    order = [
        {k: i[k] for k in ("code", "rank", "score", "rank_low", "rank_high")}
        for i in result["items"]
    ]
    if legacy:
        stored = {
            "participation": {"expected": result["zones_total"]},
            "items": [{"code": i["code"], "title": i["title"]} for i in result["items"]],
            "order": order,
        }
    else:
        stored = write_tally(
            TallyResult(
                form=survey.ballot_form,
                method=survey.primary_method,
                seed=1,
                replicates=100,
                ballots=result["ballots"],
                total_weight=float(result["ballots"]),
                weighting=survey.weighting,
                min_group=survey.min_group,
                participation=ParticipationCounts(
                    expected=result["zones_total"], voted=result["ballots"]
                ),
                items=[TallyItem(code=i["code"], title=i["title"]) for i in result["items"]],
                order=[OrderRow(**row) for row in order],
            )
        )
    Tally.objects.create(
        survey=survey,
        method=values["primary_method"],
        seed=1,
        replicates=100,
        snapshot_hash="0" * 64,
        ballot_count=result["ballots"],
        results=stored,
    )
    return survey
