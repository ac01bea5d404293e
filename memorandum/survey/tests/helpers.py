"""Shared set-up for the survey tests: a survey factory and link helpers."""

from __future__ import annotations

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from memorandum.survey.items import survey_items
from memorandum.survey.models import Invitation, Survey, SurveyStatus


def make_survey(edition, **fields) -> Survey:
    """An open survey on the demo edition, closing in a week (override anything).

    Created open, it freezes the edition's published items at once (``Survey.save``).
    """
    now = timezone.now()
    values = {
        "title_nl": "Prioriteiten",
        "opens_at": now - timedelta(days=1),
        "closes_at": now + timedelta(days=7),
        "status": SurveyStatus.OPEN,
        "bootstrap_replicates": 100,
        "bootstrap_seed": 5,
    }
    values.update(fields)
    return Survey.objects.create(edition=edition, **values)


def invite(survey: Survey, zone) -> tuple[Invitation, str]:
    """Create an invitation directly; return it with its raw token."""
    invitation = Invitation(survey=survey, zone=zone, sent_at=timezone.now())
    raw = invitation.new_token()
    invitation.save()
    return invitation, raw


def through_the_worker(test_case, request, *args, **kwargs):
    """Make a request (or call) whose jobs are queued on commit, then run the worker as
    ``make demo`` does; return the response."""
    from memorandum.test import run_queued_tasks

    with test_case.captureOnCommitCallbacks(execute=True):
        response = request(*args, **kwargs)
    run_queued_tasks()
    return response


def link(raw: str, lang: str = "en") -> str:
    return f"/{lang}/survey/ballot/{raw}/"


def token_from_mail(message) -> str:
    """The raw token in an invitation e-mail."""
    for line in message.body.splitlines():
        if "/survey/ballot/" in line:
            return line.strip().rstrip("/").rsplit("/", 1)[-1]
    raise AssertionError("no link in the e-mail")


def last_token() -> str:
    return token_from_mail(mail.outbox[-1])


def ranking(order: list[str]) -> dict:
    """The answers of a ranking ballot that puts ``order`` first overall, nothing within groups."""
    return {"overall": order, "within": {}}


def ranking_post(survey: Survey, order: list[str], action: str = "submit") -> dict:
    """Form data of a ranking ballot whose top N starts with ``order`` (filled up in catalogue
    order), every other item left unranked, and no order typed inside the groups."""
    from memorandum.survey.ballots import top_size

    codes = [i.code for i in survey_items(survey)]
    overall = (order + [c for c in codes if c not in order])[: top_size(len(codes), survey.top_n)]
    data = {f"overall-{c}": "" for c in codes}
    data.update({f"overall-{c}": str(n) for n, c in enumerate(overall, start=1)})
    data["action"] = action
    # As the confirmation page of an anonymous survey posts it (ignored otherwise).
    data["confirmed"] = "1"
    return data
