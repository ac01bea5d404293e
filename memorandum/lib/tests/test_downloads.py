"""A downloaded file keeps its name, accents included."""

from __future__ import annotations

from memorandum.lib.downloads import download_response


def test_a_download_is_saved_under_its_name():
    """The browser saves the file as 'minutes-2023-06-13-nl.pdf', not as the page's address."""
    response = download_response(b"%PDF", "minutes-2023-06-13-nl.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="minutes-2023-06-13-nl.pdf"'
    assert response.content == b"%PDF"


def test_a_chart_is_shown_and_a_name_with_accents_stays_a_valid_header():
    """An SVG opens in the page; 'Liège' is sent encoded rather than breaking the header."""
    assert (
        download_response("<svg/>", "chart.svg", inline=True)["Content-Disposition"]
        == 'inline; filename="chart.svg"'
    )
    response = download_response(b"", "zone-Liège.csv")
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''zone-Li%C3%A8ge.csv"
    assert response["Content-Type"] == "text/csv; charset=utf-8"  # the type follows the name
