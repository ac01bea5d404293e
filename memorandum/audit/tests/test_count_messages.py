"""The audit summary of an export says 'entry' for one row and 'entries' for more."""

from django.utils import translation

from memorandum.audit.models import Action, AuditEntry


def _summary(rows: int, lang: str = "en") -> str:
    entry = AuditEntry(action=Action.AUDIT_LOG_EXPORTED, details={"rows": rows, "format": "CSV"})
    with translation.override(lang):
        return entry.summary()


def test_one_exported_row_is_one_entry():
    """A count of 1 reads in the singular."""
    assert _summary(1) == "Exported 1 entry of the audit log as CSV"


def test_two_exported_rows_are_entries():
    """A count of 2 reads in the plural."""
    assert _summary(2) == "Exported 2 entries of the audit log as CSV"


def test_dutch_and_french_follow_the_count():
    """The translations have both forms (French counts 0 and 1 as singular)."""
    assert _summary(1, "nl").startswith("1 regel ")
    assert _summary(2, "nl").startswith("2 regels ")
    assert _summary(1, "fr").startswith("1 entrée ")
    assert _summary(2, "fr").startswith("2 entrées ")
