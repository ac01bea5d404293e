"""The progress of a background import agrees with the rows checked so far."""

from types import SimpleNamespace

from django.template.loader import render_to_string
from django.utils import translation


def _status(done: int, language: str = "en") -> str:
    job = SimpleNamespace(
        status="running", is_active=True, percent=50, done_rows=done, total_rows=50
    )
    with translation.override(language):
        return render_to_string("imports/_job_status.html", {"job": job})


def test_the_progress_agrees_with_the_rows_checked():
    """The words agree with the rows checked so far, not with the rows in the file."""
    assert "1 of 50 rows checked." in _status(1)
    assert "1 van de 50 rijen nagekeken." in _status(1, "nl")
    assert "1 ligne sur 50 vérifiée." in _status(1, "fr")
    assert "0 ligne sur 50 vérifiée." in _status(0, "fr")
    assert "2 lignes sur 50 vérifiées." in _status(2, "fr")
