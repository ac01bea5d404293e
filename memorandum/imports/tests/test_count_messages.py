"""The progress of a background import says 1 row, 2 rows."""

from types import SimpleNamespace

from django.template.loader import render_to_string
from django.utils import translation


def _status(total: int) -> str:
    job = SimpleNamespace(
        status="running", is_active=True, percent=50, done_rows=1, total_rows=total
    )
    with translation.override("en"):
        return render_to_string("imports/_job_status.html", {"job": job})


def test_one_row_reads_in_the_singular():
    """A count of 1 reads in the singular."""
    assert "1 of 1 row checked." in _status(1)


def test_two_rows_read_in_the_plural():
    """A count of 2 reads in the plural."""
    assert "1 of 2 rows checked." in _status(2)
