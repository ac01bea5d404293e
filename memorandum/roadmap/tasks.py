"""The roadmap's background jobs: digests are sent by the worker, one job per owner."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from memorandum.roadmap.reminders import digest_message, digests


@task()
def send_roadmap_digest(user_id: int, days: int, on: str) -> str:
    """Build and send one owner's digest as of ``on`` (ISO date); nothing when the owner
    has nothing left to do by the time the worker runs."""
    found = digests(days, dt.date.fromisoformat(on), user_id=user_id)
    for digest in found:
        digest_message(digest, days, dt.date.fromisoformat(on)).send()
    return "sent" if found else "nothing to send"
