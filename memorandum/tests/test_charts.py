"""The one chart module: one style applied per drawing, text kept as text, labels wrapped
rather than cut, numbers shown for what they are, and stored values that no chart can
place never take a page down."""

import datetime as dt
from types import SimpleNamespace

import matplotlib
from django.test import SimpleTestCase
from django.utils import translation

from memorandum.lib import charts

LONG = "Een gerespecteerde en erkende Lokale Politie die ten volle haar rol speelt"


def priorities(*scores, title="Toereikende middelen"):
    rows = [
        SimpleNamespace(code=f"R{n}", title=title, score=score) for n, score in enumerate(scores, 1)
    ]
    return SimpleNamespace(rows=rows)


class ChartStyleTestCase(SimpleTestCase):
    def test_drawing_a_chart_leaves_matplotlibs_global_settings_alone(self):
        before = dict(matplotlib.rcParams)
        charts.priority_chart_svg(priorities(3, 2), "Score", "Prioriteiten")
        charts.status_bars([("Nabijheidspolitie", {"done": 1})], "Status", [("done", "Klaar")])
        self.assertEqual(dict(matplotlib.rcParams), before)

    def test_svg_text_stays_text_in_the_body_font(self):
        svg = charts.priority_chart_svg(priorities(3, 2), "Score", "Prioriteiten")
        self.assertIn("<text", svg)
        self.assertIn("Toereikende middelen", svg)
        self.assertIn("Liberation Sans", svg)
        self.assertIn('role="img" aria-label="Prioriteiten"', svg)

    def test_a_long_label_is_wrapped_at_words_not_cut(self):
        svg = charts.priority_chart_svg(priorities(3, title=LONG), "Score", "x")
        text = " ".join(part.split(">")[-1] for part in svg.split("</text>"))
        for word in LONG.split():
            self.assertIn(word, text)
        self.assertNotIn("…", svg)
        self.assertEqual(charts.wrap(LONG * 4).count("\n"), 2)
        self.assertTrue(charts.wrap(LONG * 4).endswith(" …"))


class NumbersTestCase(SimpleTestCase):
    def test_integer_scores_are_shown_as_integers(self):
        with translation.override("nl"):
            self.assertEqual(charts.scale_for([11.0, 9.0]).format(11.0), "11")
            svg = charts.priority_chart_svg(priorities(11.0, 9.0), "Score", "x")
        self.assertIn(">11<", svg.replace("\n", ""))
        self.assertNotIn("11,00", svg)

    def test_large_weighted_scores_are_scaled_and_the_scale_is_named(self):
        with translation.override("nl"):
            scale = charts.scale_for([54143450.0, 1200000.5])
            self.assertEqual(scale.format(54143450.0), "54,1")
            svg = charts.priority_chart_svg(priorities(54143450.0, 1.2e6), "Gewogen score", "x")
        self.assertIn("Gewogen score (in miljoenen)", svg)
        self.assertNotIn("54 143 450", svg)

    def test_fractions_keep_the_decimals_their_size_needs(self):
        with translation.override("fr"):
            self.assertEqual(charts.scale_for([0.83, 0.5]).format(0.83), "0,83")


class DefensiveTestCase(SimpleTestCase):
    def test_values_no_chart_can_place_are_left_out_instead_of_failing(self):
        nan, inf = float("nan"), float("inf")
        charts.priority_chart_svg(priorities(nan, inf, 1e300, -1e300), "$x^2$", "x")
        charts.rank_intervals(
            [{"code": "R1", "title": "\x01$\\undefined{x}$", "rank": nan, "rank_low": 1,
              "rank_high": inf}],
            top_k=1, xlabel="Rang",
        )  # fmt: skip
        charts.participation(
            [{"label": "=1+1", "kind": "region", "percent": inf, "voted": None, "expected": 3}],
            xlabel="%",
        )
        charts.timeline(
            [("A", dt.date(1, 1, 1), None, "planned"), ("B", dt.date(2025, 1, 1), None, "x")],
            [("B", dt.date(9999, 12, 31), False)],
            dt.date(2025, 6, 1),
            "Tijdlijn",
        )
        svg = charts.indicator_line([(dt.date(2025, 1, 1), inf)], 1e300, nan, "$", "$\\x$")
        self.assertIn(b"<svg", svg)

    def test_dates_on_the_axes_are_in_the_users_language(self):
        with translation.override("nl"):
            svg = charts.timeline(
                [("A", dt.date(2025, 1, 1), dt.date(2026, 6, 1), "ongoing")],
                [],
                dt.date(2025, 6, 1),
                "Tijdlijn",
            )
        self.assertIn(b"2025", svg)
        self.assertRegex(svg.decode(), r">(jan|apr|jul|okt|mei|sep) 20\d\d<")
