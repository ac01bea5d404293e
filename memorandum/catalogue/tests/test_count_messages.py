"""The next-edition confirmation counts what is copied, each count with its own plural."""

from types import SimpleNamespace

from django.utils import translation

from memorandum.catalogue.actions import copied


def _copied(n: int, lang: str = "en") -> str:
    with translation.override(lang):
        return copied(SimpleNamespace(domains=n, themes=n, addressees=n, references=n))


def test_one_of_each_reads_in_the_singular():
    """A count of 1 names one work domain, theme, addressee and reference."""
    assert _copied(1) == "Copied: 1 work domain, 1 theme, 1 addressee and 1 reference."


def test_two_of_each_read_in_the_plural():
    """A count of 2 names them in the plural."""
    assert _copied(2) == "Copied: 2 work domains, 2 themes, 2 addressees and 2 references."


def test_each_count_chooses_its_own_form():
    """One sentence mixes singular and plural as the counts differ."""
    plan = SimpleNamespace(domains=1, themes=4, addressees=0, references=1)
    with translation.override("en"):
        text = copied(plan)
    assert text == "Copied: 1 work domain, 4 themes, 0 addressees and 1 reference."
    with translation.override("fr"):
        assert copied(plan) == (
            "Copiés : 1 domaine de travail, 4 thèmes, 0 destinataire et 1 référence."
        )
    assert _copied(2, "nl") == (
        "Gekopieerd: 2 werkgebieden, 2 thema’s, 2 geadresseerden en 2 referenties."
    )
