"""Opening a round says how many zones have no e-mail address, in the singular or plural."""

from unittest import mock

from django.utils import translation

from memorandum.impact import actions


def _opened(invited: int, without: int) -> str:
    with (
        mock.patch.object(actions.services, "round_open", return_value=(invited, without)),
        translation.override("en"),
    ):
        return actions._open(None)


def test_one_zone_without_e_mail_reads_in_the_singular():
    """A count of 1: the zone has no address and its corps chief answers."""
    assert _opened(1, 1) == (
        "The round is open; 1 invitation is being sent. 1 zone has no e-mail address: "
        "its corps chief answers when signed in."
    )


def test_two_zones_without_e_mail_read_in_the_plural():
    """A count of 2: the zones have no address and their corps chief answers."""
    assert _opened(2, 2).endswith(
        "2 zones have no e-mail address: their corps chief answers when signed in."
    )
