"""Links in e-mails lead to the public site in the reader's language; the signature is never empty."""

from __future__ import annotations

from django.utils import translation

from memorandum.lib.mail import absolute_link, mail_signature


def test_a_url_name_becomes_the_full_address_on_the_public_site(settings):
    """A trailing slash on SITE_URL does not double the slash before the path."""
    settings.SITE_URL = "https://memorandum.example.org/"
    assert (
        absolute_link("survey:ballot_token", "abc")
        == "https://memorandum.example.org/nl/survey/ballot/abc/"
    )


def test_the_link_is_in_the_language_asked_for_or_else_the_active_one(settings):
    """A French zone gets a /fr/ link even when the worker runs in Dutch."""
    settings.SITE_URL = "https://memorandum.example.org"
    assert absolute_link("impact:estimate_token", "t", lang="fr").startswith(
        "https://memorandum.example.org/fr/impact/estimate/t/"
    )
    with translation.override("en"):
        assert absolute_link("accounts:set_password", "t") == (
            "https://memorandum.example.org/en/accounts/welcome/t/"
        )


def test_a_language_without_its_own_signature_is_signed_in_dutch(settings):
    settings.MAIL_SIGNATURE = {"nl": "Vaste Commissie", "fr": "Commission permanente"}
    assert mail_signature("fr") == "Commission permanente"
    assert mail_signature("en") == "Vaste Commissie"
    settings.MAIL_SIGNATURE = {"nl": "Vaste Commissie", "fr": ""}
    assert mail_signature("fr") == "Vaste Commissie"
