"""The impact app's background jobs. Each carries ids only and finds the work it already did."""

from __future__ import annotations

from django_tasks import task

from memorandum.impact import counting, mail


@task()
def send_impact_mail(mail_id: int, takeover: bool = False) -> str:
    """Send one estimate invitation e-mail (see :meth:`memorandum.lib.outbox.Outbox.deliver`)."""
    return mail.OUTBOX.deliver(mail_id, takeover=takeover)


@task()
def count_round(run_id: int) -> str:
    """Aggregate a closed round (see :func:`memorandum.impact.counting.count_run`)."""
    return counting.count_run(run_id)
