"""The report's group labels: a province's name in the reader's language, or the other
language's marked as a fallback, by each output (plain text, HTML)."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation

from memorandum.impact.counting import QUANTITIES
from memorandum.impact.report import _group
from memorandum.lib.i18n import marked

LABELS = {
    "province_labels": {
        "VAN": {"nl": "Antwerpen", "fr": ""},
        "BRU": {"nl": "Brussel", "fr": "Bruxelles"},
    }
}


def group(key: str, merged: list[str] | None = None):
    row = {
        "key": key,
        "zones": 5,
        "respondents": 5,
        "merged": merged or [],
        **dict.fromkeys(QUANTITIES),
        **{f"{name}_reported": None for name in QUANTITIES},
    }
    return _group("province", row, LABELS)


def label(key: str, merged: list[str] | None = None) -> tuple[str, str]:
    """The label and the merged provinces as plain text (the XLSX's cells)."""
    row = group(key, merged)
    return marked(row.label), ", ".join(marked(name) for name in row.merged)


def test_a_province_without_a_french_name_is_shown_in_dutch_and_marked():
    """French readers get "[NL] Antwerpen", as every plain-text fallback is marked."""
    with translation.override("fr"):
        assert label("BRU") == ("Bruxelles", "")
        assert label("VAN") == ("[NL] Antwerpen", "")
        assert label("other", ["VAN", "BRU"]) == (
            str(translation.gettext("Other")),
            "[NL] Antwerpen, Bruxelles",
        )


def test_dutch_and_english_readers_get_the_dutch_name_unmarked():
    for language in ("nl", "en"):
        with translation.override(language):
            assert label("VAN") == ("Antwerpen", "")


def test_a_province_without_any_name_shows_its_code():
    with translation.override("fr"):
        assert label("XYZ") == ("XYZ", "")


def test_the_html_report_marks_the_fallback_and_its_language():
    with translation.override("fr"):
        html = Template("{{ row.label|tr }}").render(Context({"row": group("VAN")}))
    assert 'class="fallback" lang="nl"' in html and "Antwerpen" in html
    assert html.index("Antwerpen") < html.index("[NL]")  # the name, then the site's note


def test_the_html_report_marks_a_merged_province_too():
    from django.template.loader import render_to_string

    with translation.override("fr"):
        row = group("other", ["VAN", "BRU"])
        report = type("Report", (), {"figures": [], "tables": [("Province", [row])]})()
        html = render_to_string("impact/_figures.html", {"report": report})
    assert 'class="fallback" lang="nl"' in html and "Bruxelles" in html


def method_opening(respondents: int, language: str) -> str:
    from types import SimpleNamespace

    from memorandum.impact.models import Basis
    from memorandum.impact.report import ImpactReport

    figures = SimpleNamespace(
        basis=Basis.PERSONNEL, level=0.9, replicates=1000, seed=7, k=3, zones=22
    )
    with translation.override(language):
        text = ImpactReport.method(
            SimpleNamespace(**vars(figures), respondents=respondents, response_rate=0.05)
        )[0]
    return text.split(")")[0] + ")"


def test_the_method_agrees_with_the_zones_that_answered():
    """'1 of the 22 zones': the verb agrees with the one zone in Dutch and French."""
    assert method_opening(1, "nl") == "1 van de 22 zones antwoordde (5 %)"
    assert method_opening(2, "nl") == "2 van de 22 zones antwoordden (5 %)"
    assert method_opening(1, "fr") == "1 des 22 zones a répondu (5 %)"
    assert method_opening(2, "fr") == "2 des 22 zones ont répondu (5 %)"
