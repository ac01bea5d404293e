"""Counting a survey in the worker: the request closes, the worker counts, the page polls.

"Close and count" closes the survey in the request (quick and atomic, through
:func:`memorandum.survey.services.survey_close_and_count`) and records a
:class:`~memorandum.survey.models.TallyRun` whose job is queued after the commit. The
worker counts with :func:`memorandum.survey.services.survey_tally` (the bootstrap can
take seconds) and records the outcome on the run: the survey page shows its progress
and, if it failed, the reason and a button to count again.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from memorandum.survey.models import CountStatus, Survey, SurveyStatus, TallyRun

logger = logging.getLogger(__name__)


def counting_step(ballots: int, replicates: int) -> str:
    """The progress line while a count runs, e.g. 'Counting 12 ballots with 1000 bootstrap replicates'."""
    return _("Counting %(ballots)s with %(replicates)s") % {
        "ballots": ngettext("%(count)s ballot", "%(count)s ballots", ballots) % {"count": ballots},
        "replicates": ngettext(
            "%(count)s bootstrap replicate", "%(count)s bootstrap replicates", replicates
        )
        % {"count": replicates},
    }


def latest_run(survey: Survey) -> TallyRun | None:
    return survey.tally_runs.order_by("-created_at", "-id").first()


def _set(run_id: int, **fields) -> None:
    TallyRun.objects.filter(pk=run_id).update(**fields)


def count_run(run_id: int, *, takeover: bool = False) -> str:
    """The worker's job: count the survey of ``run_id`` once, recording progress and outcome."""
    from memorandum.survey import services

    with transaction.atomic():
        run = (
            TallyRun.objects.select_for_update().select_related("survey").filter(pk=run_id).first()
        )
        if run is None or run.status in (CountStatus.DONE, CountStatus.FAILED):
            return "nothing to do"
        if run.status == CountStatus.RUNNING and not takeover:
            return "running elsewhere"
        survey = Survey.objects.select_for_update().get(pk=run.survey_id)
        if survey.status == SurveyStatus.TALLIED:  # counted by an earlier job of this run
            tally = survey.latest_tally()
            _set(
                run.pk,
                status=CountStatus.DONE,
                progress=100,
                tally=tally,
                finished_at=timezone.now(),
            )
            return "already counted"
        if survey.status != SurveyStatus.CLOSED:
            _set(
                run.pk,
                status=CountStatus.FAILED,
                error=_("The survey is not closed."),
                finished_at=timezone.now(),
            )
            return "failed"
        ballots = survey.ballots.submitted().count()
        _set(
            run.pk,
            status=CountStatus.RUNNING,
            started_at=timezone.now(),
            progress=10,
            step=counting_step(ballots, survey.bootstrap_replicates),
        )
    try:
        records, result = services.tally_compute(survey=survey)
        _set(run_id, progress=90, step=_("Saving the results"))
        tally = services.tally_save(survey=survey, records=records, result=result)
    except Exception as error:  # noqa: BLE001 - the reason is shown to the secretariat
        logger.exception("Counting survey %s failed", survey.pk)
        _set(
            run_id,
            status=CountStatus.FAILED,
            error=f"{type(error).__name__}: {error}"[:500],
            finished_at=timezone.now(),
        )
        return "failed"
    _set(run_id, status=CountStatus.DONE, progress=100, tally=tally, finished_at=timezone.now())
    return "counted"


def runs_requeue_stuck(*, minutes: int | None = None) -> int:
    """Queue again the counts that a stopped worker left waiting or running."""
    from memorandum.survey.tasks import count_survey

    if minutes is None:
        minutes = settings.SURVEY_MAIL_STUCK_MINUTES
    before = timezone.now() - timedelta(minutes=minutes)
    ids = list(
        TallyRun.objects.filter(status__in=[CountStatus.QUEUED, CountStatus.RUNNING])
        .filter(created_at__lte=before)
        .values_list("pk", flat=True)
    )
    for pk in ids:
        count_survey.enqueue(pk, takeover=True)
    return len(ids)
