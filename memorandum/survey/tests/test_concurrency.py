"""Races on PostgreSQL (skipped on SQLite): one zone submitting many times at once, and the
secretariat closing while every zone submits. ``.ci/run`` runs them with DATABASE_URL set."""

import threading
import time
from datetime import timedelta
from unittest import mock, skipUnless

import pytest
from django.db import connection, transaction
from django.test import TransactionTestCase
from django.utils import timezone, translation

from memorandum.survey import casting, results, services, tally
from memorandum.survey.models import Anonymity, Ballot, Participation, Survey
from memorandum.survey.tests.helpers import invite, make_survey, ranking
from memorandum.survey.tests.test_setup import setup_data
from memorandum.test import Personas

THREADS = 8


def submit_by_link(raw: str, payload: dict):
    """Submit as a ballot posted through its link does (``survey.voting``): the token read
    in the save's own transaction by the statement that takes the survey's gate."""
    with transaction.atomic():
        invitation = casting.invitation_for_token(raw, with_edition=False, take_gate=True)
        return casting.ballot_save(
            survey=invitation.survey,
            zone=invitation.zone,
            payload=payload,
            submit=True,
            gate_held=True,
        )


def fire(survey, zone, payloads, *, by_link: bool = False) -> tuple[list, list]:
    """Submit every payload at the same moment, each from its own thread and connection
    (through the zone's link with ``by_link``)."""
    raw = invite(survey, zone)[1] if by_link else None
    start = threading.Barrier(len(payloads))
    done, refused, errors = [], [], []

    def submit(payload):
        try:
            start.wait()
            if raw:
                submit_by_link(raw, payload)
            else:
                casting.ballot_save(survey=survey, zone=zone, payload=payload, submit=True)
            done.append(payload)
        except casting.BallotRefused as error:
            refused.append(error.message)
        except Exception as error:  # noqa: BLE001 - any other error fails the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(p,)) for p in payloads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return done, refused


@pytest.mark.postgres
@skipUnless(
    connection.vendor == "postgresql",
    "needs PostgreSQL (DATABASE_URL=postgres://…): SQLite lets only one writer in at a time, so there is no race to test",
)
class ConcurrentSubmissionTestCase(Personas, TransactionTestCase):
    def setUp(self):
        self.create_personas()

    def payloads(self):
        return [{"overall": [f"R{1 + i % 7}"], "within": {}} for i in range(THREADS)]

    def test_concurrent_submissions_for_one_zone_leave_exactly_one_ballot(self):
        for by_link in (False, True):
            with self.subTest(by_link=by_link):
                self.one_ballot_left(by_link)

    def one_ballot_left(self, by_link: bool):
        survey = make_survey(self.edition, title_nl=f"one zone, by link: {by_link}")
        done, refused = fire(survey, self.zones[0], self.payloads(), by_link=by_link)
        self.assertEqual((len(done), refused), (THREADS, []))  # each one replaced the previous one
        self.assertEqual(Ballot.objects.filter(survey=survey).count(), 1)
        self.assertEqual(Participation.objects.filter(survey=survey).count(), 1)
        ballot = Ballot.objects.get(survey=survey)
        self.assertEqual(ballot.receipt, ballot.compute_receipt())
        self.assertIn(ballot.payload, done)

    def test_concurrent_anonymous_submissions_let_exactly_one_through(self):
        for by_link in (False, True):
            with self.subTest(by_link=by_link):
                self.one_anonymous_ballot_through(by_link)

    def one_anonymous_ballot_through(self, by_link: bool):
        survey = make_survey(
            self.edition, title_nl=f"anonymous, by link: {by_link}", anonymity=Anonymity.ANONYMOUS
        )
        done, refused = fire(survey, self.zones[0], self.payloads(), by_link=by_link)
        self.assertEqual(len(done), 1)
        self.assertEqual(len(refused), THREADS - 1)
        self.assertEqual(Ballot.objects.filter(survey=survey).count(), 1)
        self.assertEqual(Participation.objects.filter(survey=survey).count(), 1)
        self.assertIsNone(Ballot.objects.get(survey=survey).zone)


ROUNDS = 6


@pytest.mark.postgres
@skipUnless(
    connection.vendor == "postgresql",
    "needs PostgreSQL (DATABASE_URL=postgres://…): SQLite lets only one writer in at a time, so there is no race to test",
)
class CloseWhileSubmittingTestCase(Personas, TransactionTestCase):
    """Every zone submits while the secretariat closes and counts, many times over.

    Whatever the interleaving: every ballot acknowledged with a receipt is counted, nothing
    is counted that was not acknowledged, nothing is stored that is not counted, and the
    public receipt check says "counted" for exactly the counted ballots.
    """

    def setUp(self):
        self.create_personas()

    def race(self, survey, delay: float) -> tuple[dict, int]:
        """Each zone saves a draft and submits (twice when it may change its ballot) while
        one more thread closes the survey; return the receipts given and how many
        submissions were refused. Every other zone submits as through its link
        (:func:`submit_by_link`), the others as a signed-in corps chief.

        The close starts ``delay`` seconds after the first third of the zones were given a
        receipt, so it always falls among the submissions however fast they are: the middle
        third races it, and the last third submits only once it has committed (late)."""
        start = threading.Barrier(len(self.zones) + 1)
        receipts: dict[int, str] = {}  # zone → the receipt it was last given
        refused, errors = [], []
        first_third, closed = threading.Event(), threading.Event()
        late = 2 * len(self.zones) // 3
        links = {zone.pk: invite(survey, zone)[1] for zone in self.zones[1::2]}

        def vote(zone, number):
            translation.activate("en")
            try:
                start.wait()
                casting.ballot_save(survey=survey, zone=zone, payload=ranking(["R2"]), submit=False)
                time.sleep(0.005 * (number * 7 % len(self.zones)))  # zones arrive over ~0.1 s
                if number >= late:
                    closed.wait(30)
                for attempt in range(1 if survey.is_anonymous else 2):
                    order = [f"R{1 + (number + attempt) % 7}", "C1"]
                    if zone.pk in links:
                        ballot = submit_by_link(links[zone.pk], ranking(order))
                    else:
                        ballot = casting.ballot_save(
                            survey=survey, zone=zone, payload=ranking(order), submit=True
                        )
                    receipts[zone.pk] = ballot.receipt
                    if len(receipts) >= len(self.zones) // 3:
                        first_third.set()
            except casting.BallotRefused as error:
                refused.append(error.message)
            except Exception as error:  # noqa: BLE001 - any other error fails the test below
                errors.append(error)
            finally:
                connection.close()

        def close():
            try:
                start.wait()
                first_third.wait(30)
                time.sleep(delay)
                services.survey_close(survey=survey)
            except Exception as error:  # noqa: BLE001
                errors.append(error)
            finally:
                closed.set()
                connection.close()

        threads = [threading.Thread(target=close)] + [
            threading.Thread(target=vote, args=(zone, n)) for n, zone in enumerate(self.zones)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(errors, [])
        self.assertTrue(all("closed on" in message for message in refused), refused)
        return receipts, len(refused)

    def check(self, survey, receipts: dict[int, str]) -> None:
        survey.refresh_from_db()
        frozen = survey.latest_tally()
        acknowledged = set(receipts.values())
        counted = set(Ballot.objects.counted(survey).values_list("receipt", flat=True))
        stored = set(survey.ballots.submitted().values_list("receipt", flat=True))
        self.assertEqual(counted, acknowledged)  # no receipt lost, none counted without one
        self.assertEqual(stored, counted)  # nothing stored after the close
        self.assertEqual(frozen.ballot_count, len(acknowledged))
        self.assertEqual(frozen.snapshot_hash, tally.snapshot_hash(tally.snapshot(survey)))
        for receipt in stored | {"0" * 64}:
            self.assertEqual(
                results.receipt_counted(survey, frozen, receipt), receipt in acknowledged
            )
        if survey.is_anonymous:
            self.assertEqual(Participation.objects.filter(survey=survey).count(), len(receipts))
            self.assertFalse(survey.ballots.filter(status="submitted", zone__isnull=False).exists())

    def run_rounds(self, **fields) -> None:
        totals = {"acknowledged": 0, "refused": 0}
        for number in range(ROUNDS):
            survey = make_survey(self.edition, title_nl=f"race {number}", **fields)
            # a little later after the first third each round, to vary the interleaving
            receipts, refused = self.race(survey, delay=0.01 * number)
            self.check(survey, receipts)
            totals["acknowledged"] += len(receipts)
            totals["refused"] += refused
            if number == 0:  # the public page answers as the function does
                url = f"/en/editions/2024-2028/surveys/{survey.pk}/results/"
                for receipt in list(receipts.values())[:3]:
                    page = self.client.get(url, {"receipt": receipt})
                    self.assertContains(page, "was counted in these results")
        # The rounds must really have raced: some ballots made it, some came too late.
        self.assertGreater(totals["acknowledged"], 0, totals)
        self.assertGreater(totals["refused"], 0, totals)

    def test_every_acknowledged_ballot_is_counted_when_closing_during_submissions(self):
        self.run_rounds()

    def test_every_acknowledged_anonymous_ballot_is_counted_when_closing_during_submissions(self):
        self.run_rounds(anonymity=Anonymity.ANONYMOUS, min_group=3)


@pytest.mark.postgres
@skipUnless(
    connection.vendor == "postgresql",
    "needs PostgreSQL (DATABASE_URL=postgres://…): SQLite lets only one writer in at a time, so there is no race to test",
)
class DraftDuringAnonymousSubmitTestCase(Personas, TransactionTestCase):
    """A draft saved (the page's autosave) while the zone's anonymous submit commits must not
    leave a draft with the zone's answers next to its anonymous ballot."""

    def setUp(self):
        self.create_personas()

    def test_a_draft_waiting_for_an_anonymous_submit_is_refused(self):
        survey = make_survey(self.edition, anonymity=Anonymity.ANONYMOUS, min_group=3)
        zone = self.zones[0]
        casting.ballot_save(survey=survey, zone=zone, payload=ranking(["R1"]), submit=False)
        paused, go = threading.Event(), threading.Event()
        original = casting._submit_anonymous
        outcome, errors = {}, []

        # The submit waits here, its writes done, until the draft waits too.
        def held_open(**kwargs):
            ballot = original(**kwargs)
            if threading.current_thread().name == "submit":
                paused.set()
                go.wait(10)
            return ballot

        def save(submit):
            translation.activate("en")
            try:
                casting.ballot_save(
                    survey=survey, zone=zone, payload=ranking(["R3", "R2"]), submit=submit
                )
                outcome[submit] = "saved"
            except casting.BallotRefused as error:
                outcome[submit] = error.message
            except Exception as error:  # noqa: BLE001
                errors.append(error)
            finally:
                connection.close()

        with mock.patch.object(casting, "_submit_anonymous", held_open):
            submit = threading.Thread(target=save, args=(True,), name="submit")
            submit.start()
            self.assertTrue(paused.wait(10))
            draft = threading.Thread(target=save, args=(False,), name="draft")
            draft.start()
            time.sleep(0.5)  # the draft now waits for the zone's ballot row
            go.set()
            submit.join()
            draft.join()
        self.assertEqual(errors, [])
        self.assertEqual(outcome[True], "saved")
        self.assertIn("anonymous ballot", outcome[False])
        self.assertFalse(Ballot.objects.filter(survey=survey, zone=zone).exists())
        self.assertEqual(Ballot.objects.filter(survey=survey).count(), 1)


@pytest.mark.postgres
@skipUnless(
    connection.vendor == "postgresql",
    "needs PostgreSQL (DATABASE_URL=postgres://…): SQLite lets only one writer in at a time, so there is no race to test",
)
class CloseWhileFreezingWeightClassesTestCase(Personas, TransactionTestCase):
    """The first ballot of a survey whose weight classes are not frozen yet locks the survey
    row; a close arriving meanwhile must wait for it, not deadlock with it."""

    def setUp(self):
        self.create_personas()

    def test_the_close_waits_for_the_ballot_that_freezes_the_classes(self):
        survey = make_survey(
            self.edition, anonymity=Anonymity.ANONYMOUS, weighting="personnel", min_group=3
        )
        self.assertEqual(survey.weight_classes, {})
        paused, go = threading.Event(), threading.Event()
        original = casting._zone_ballot_for_update
        receipts, errors = [], []

        def held_open(survey, zone):  # the ballot holds the survey row here
            paused.set()
            go.wait(10)
            return original(survey, zone)

        def vote():
            translation.activate("en")
            try:
                ballot = casting.ballot_save(
                    survey=survey, zone=self.zones[0], payload=ranking(["R1"]), submit=True
                )
                receipts.append(ballot.receipt)
            except Exception as error:  # noqa: BLE001
                errors.append(error)
            finally:
                connection.close()

        def close():
            try:
                services.survey_close(survey=survey)
            except Exception as error:  # noqa: BLE001
                errors.append(error)
            finally:
                connection.close()

        with mock.patch.object(casting, "_zone_ballot_for_update", held_open):
            voter = threading.Thread(target=vote)
            voter.start()
            self.assertTrue(paused.wait(10))
            closer = threading.Thread(target=close)
            closer.start()
            time.sleep(0.5)  # the close now waits
            go.set()
            voter.join()
            closer.join()
        self.assertEqual(errors, [])
        survey.refresh_from_db()
        self.assertEqual(survey.latest_tally().ballot_count, len(receipts))


@pytest.mark.postgres
@skipUnless(
    connection.vendor == "postgresql",
    "needs PostgreSQL (DATABASE_URL=postgres://…): SQLite lets only one writer in at a time, so there is no race to test",
)
class EditWhileSubmittingTestCase(Personas, TransactionTestCase):
    """A new closing time for an open survey is checked and saved behind the ballot gate,
    as the close is: a ballot checked against the old closing time is never acknowledged
    after the new one."""

    def setUp(self):
        self.create_personas()

    def test_a_ballot_waits_for_the_new_closing_time_being_saved(self):
        survey = make_survey(self.edition)
        zone = self.zones[0]
        url = f"/en/editions/{self.edition.slug}/surveys/{survey.pk}/edit/"
        self.client.force_login(self.secretariat)
        self.client.get(url)  # loads what the page needs: the edit below is quick
        closes = (timezone.now() + timedelta(seconds=5)).replace(microsecond=0)
        local = timezone.localtime  # the form reads Brussels time, to the second
        data = setup_data(
            opens_at=local(survey.opens_at).strftime("%Y-%m-%d %H:%M:%S"),
            closes_at=local(closes).strftime("%Y-%m-%d %H:%M:%S"),
        )
        data.pop("chosen_items")
        paused, go = threading.Event(), threading.Event()
        original = Survey.save
        outcome, errors = {}, []

        def held_open(instance, *args, **kwargs):  # the edit, checked, waits here to save
            if threading.current_thread().name == "edit":
                paused.set()
                go.wait(10)
            return original(instance, *args, **kwargs)

        def edit():
            try:
                response = self.client.post(url, data)
                outcome["edit"] = response.status_code
                outcome["form errors"] = response.context and response.context["form"].errors
            except Exception as error:  # noqa: BLE001
                errors.append(error)
            finally:
                connection.close()

        def vote():
            translation.activate("en")
            try:
                ballot = casting.ballot_save(
                    survey=survey, zone=zone, payload=ranking(["R1"]), submit=True
                )
                outcome["receipt"] = ballot.receipt
            except casting.BallotRefused as error:
                outcome["refused"] = error.message
            except Exception as error:  # noqa: BLE001
                errors.append(error)
            finally:
                connection.close()

        with mock.patch.object(Survey, "save", held_open):
            editor = threading.Thread(target=edit, name="edit")
            editor.start()
            self.assertTrue(paused.wait(10), (outcome, errors))
            time.sleep(max(0.0, (closes - timezone.now()).total_seconds()) + 0.2)
            # The new closing time has passed, but is not saved yet: the ballot waits for it.
            voter = threading.Thread(target=vote)
            voter.start()
            time.sleep(0.5)
            self.assertTrue(voter.is_alive())
            go.set()
            editor.join()
            voter.join()
        self.assertEqual(errors, [])
        self.assertEqual(outcome["edit"], 302, outcome)
        survey.refresh_from_db()
        self.assertEqual(survey.closes_at, closes)
        self.assertIn("closed on", outcome["refused"])
        self.assertFalse(Ballot.objects.counted(survey).exists())
        self.assertFalse(survey.ballots.exists())
