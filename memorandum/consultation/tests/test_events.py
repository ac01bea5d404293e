"""Consultation events: their date is printed as precisely as it is known."""

import datetime

from django.utils import translation

from memorandum.consultation.tests.helpers import make_event
from memorandum.test import BaseTestCase

MAY_15 = datetime.date(2023, 5, 15)


class EventDateTestCase(BaseTestCase):
    def test_an_event_date_is_never_printed_more_precisely_than_it_is_known(self):
        events = [
            make_event(self.edition, date=MAY_15),
            make_event(self.edition, date=MAY_15, precision="month"),
            make_event(self.edition, date=MAY_15, precision="part"),
        ]
        with translation.override("nl"):
            self.assertEqual(
                [e.display_date for e in events], ["15 mei 2023", "mei 2023", "midden mei 2023"]
            )
