from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from memorandum.catalogue.management.base import DemoCommand
from memorandum.catalogue.models import PoliceZone
from memorandum.survey import services
from memorandum.survey.items import refreeze
from memorandum.survey.mail import ballot_link
from memorandum.survey.models import (
    Anonymity,
    BallotForm,
    Invitation,
    InvitationMail,
    MailKind,
    MailStatus,
    Survey,
    SurveyStatus,
    Weighting,
)
from memorandum.survey.synthetic import fill_with_ballots

BRUSSELS = ZoneInfo("Europe/Brussels")
# The Dutch title finds the survey again on a second run (it was the only title before).
CLOSED_TITLE = "Prioriteiten van het memorandum 2024-2028 (synthetische bevraging)"
CLOSED_TITLE_FR = "Priorités du mémorandum 2024-2028 (enquête synthétique)"
PILOT_TITLE = "Proefbevraging, anoniem en gewogen naar personeel (synthetisch)"
PILOT_TITLE_FR = "Enquête pilote, anonyme et pondérée par le personnel (synthétique)"
OPEN_TITLE = "Tussentijdse herprioritering 2026 (demo)"
OPEN_TITLE_FR = "Re-priorisation intermédiaire 2026 (démo)"


class Command(DemoCommand):
    help = (
        "Demo surveys on the 2024-2028 edition: a closed and tallied survey with synthetic ballots from every "
        "zone (window 15 May - 5 June 2023, as in the memorandum; labelled synthetic), and an open survey the "
        "demo 'chief' account can fill in (prints that zone's invitation link). Running it again rebuilds the "
        "same surveys instead of adding new ones."
    )

    seed_help = "Seed of the synthetic ballots (default 1)."

    def handle(self, *args, seed: int, **options):
        edition = self.demo_edition()
        zones = list(PoliceZone.objects.select_related("province"))
        if not zones:
            self.stdout.write("No zones: run load_demo first. Nothing done.")
            return
        closed = self._closed_survey(edition, zones, seed)
        self.success(
            f"Closed survey “{closed.title}”: {closed.ballots.count()} synthetic ballots, tallied "
            f"({closed.latest_tally().snapshot_hash[:12]}…)."
        )
        pilot = self._anonymous_pilot(edition, zones, seed)
        self.success(
            f"Closed anonymous survey “{pilot.title}”: {pilot.ballots.count()} synthetic ballots "
            f"in {len(pilot.weight_classes.get('classes', []))} weight classes, tallied."
        )
        opened, link = self._open_survey(edition, zones, seed)
        self.success(
            f"Open survey “{opened.title}” until {timezone.localtime(opened.closes_at):%d/%m/%Y %H:%M}."
        )
        if link:
            self.stdout.write(f"Invitation link of the demo chief's zone: {link}")

    @transaction.atomic
    def _closed_survey(self, edition, zones, seed):
        window = (
            datetime(2023, 5, 15, 9, 0, tzinfo=BRUSSELS),
            datetime(2023, 6, 5, 23, 59, tzinfo=BRUSSELS),
        )
        survey = _emptied_survey(
            edition, (CLOSED_TITLE, CLOSED_TITLE_FR), window, seed, replicates=500
        )
        # Rebuilt from scratch: its items are frozen again from today's published catalogue.
        refreeze(survey)
        fill_with_ballots(survey, zones, seed=seed)
        services.survey_tally(survey=survey)
        return survey

    @transaction.atomic
    def _anonymous_pilot(self, edition, zones, seed):
        """An anonymous survey weighted by personnel, answered by about six zones in ten, so
        the results show weight classes and provinces too small to show on their own.
        Its window lies before the official survey's, which stays the one the memorandum
        quotes."""
        window = (
            datetime(2023, 4, 3, 9, 0, tzinfo=BRUSSELS),
            datetime(2023, 4, 14, 17, 0, tzinfo=BRUSSELS),
        )
        survey = _emptied_survey(
            edition,
            (PILOT_TITLE, PILOT_TITLE_FR),
            window,
            seed,
            weighting=Weighting.PERSONNEL,
            anonymity=Anonymity.ANONYMOUS,
            min_group=5,
            weight_classes={},
        )
        survey.weight_classes = survey.compute_weight_classes()
        survey.save(update_fields=["weight_classes"])
        answered = [z for i, z in enumerate(zones) if i % 5 in (0, 1, 3)]
        fill_with_ballots(survey, answered, seed=seed + 2)
        services.survey_tally(survey=survey)
        return survey

    @transaction.atomic
    def _open_survey(self, edition, zones, seed):
        now = timezone.now()
        window = now - timedelta(days=2), now + timedelta(days=28)
        titles = OPEN_TITLE, OPEN_TITLE_FR
        survey = _emptied_survey(edition, titles, window, seed, status=SurveyStatus.OPEN)
        refreeze(survey)
        chief_zone = self.chief_zone()
        # About four zones in ten have already answered, so the participation page moves.
        others = [z for z in zones if z != chief_zone][::5] + [z for z in zones if z != chief_zone][
            2::5
        ]
        fill_with_ballots(survey, others, seed=seed + 1, submitted_at=now - timedelta(hours=1))
        # Every zone counts as invited: its invitation e-mail is recorded as sent (no real
        # e-mail leaves the demo), except two that the (synthetic) mail server refused, so
        # the survey page shows failures and "send the failed e-mails again".
        link = None
        mails = []
        for n, zone in enumerate(zones):
            invitation = Invitation(survey=survey, zone=zone, sent_at=survey.opens_at)
            raw = invitation.new_token()
            invitation.save()
            failed = n in (7, 41) and zone != chief_zone
            if failed:
                Invitation.objects.filter(pk=invitation.pk).update(sent_at=None)
            mails.append(
                InvitationMail(
                    invitation=invitation,
                    kind=MailKind.INVITATION,
                    recipient=zone.email,
                    status=MailStatus.FAILED if failed else MailStatus.SENT,
                    attempts=4 if failed else 1,
                    created_at=survey.opens_at,
                    last_attempt_at=survey.opens_at + timedelta(minutes=15 if failed else 0),
                    sent_at=None if failed else survey.opens_at,
                    error="SMTPRecipientsRefused: 550 5.1.1 mailbox unavailable (synthetic)"
                    if failed
                    else "",
                )
            )
            if zone == chief_zone:
                link = ballot_link(raw, "nl")
        InvitationMail.objects.bulk_create(mails)
        return survey, link


def _emptied_survey(
    edition,
    titles: tuple[str, str],
    window: tuple[datetime, datetime],
    seed: int,
    *,
    replicates: int = 300,
    status: str = SurveyStatus.CLOSED,
    **settings,
) -> Survey:
    """The synthetic ranking survey of these (NL, FR) titles, open in that window, with these
    settings (by zone, attributed unless told) and nothing answered: no tallies, ballots,
    participations or invitations."""
    survey, _ = Survey.objects.update_or_create(
        edition=edition,
        title_nl=titles[0],
        defaults={
            "title_fr": titles[1],
            "opens_at": window[0],
            "closes_at": window[1],
            "ballot_form": BallotForm.RANKING,
            "weighting": Weighting.ZONE,
            "anonymity": Anonymity.ATTRIBUTED,
            "primary_method": "schulze",
            "bootstrap_replicates": replicates,
            "bootstrap_seed": seed,
            "is_synthetic": True,
            "status": status,
            **settings,
        },
    )
    for related in (survey.tallies, survey.ballots, survey.participations, survey.invitations):
        related.all().delete()
    return survey
