"""The survey's background jobs. Each carries ids only and finds the work it already did."""

from __future__ import annotations

from django_tasks import task

from memorandum.survey import counting, mail


@task()
def send_invitation_mail(mail_id: int, takeover: bool = False) -> str:
    """Send one invitation e-mail (see :func:`memorandum.survey.mail.mail_deliver`)."""
    return mail.mail_deliver(mail_id, takeover=takeover)


@task()
def count_survey(run_id: int, takeover: bool = False) -> str:
    """Count a closed survey (see :func:`memorandum.survey.counting.count_run`)."""
    return counting.count_run(run_id, takeover=takeover)
