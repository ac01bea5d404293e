"""The set-up form and the parsers of the four ballot forms.

A ballot parser reads the posted fields, returns the JSON payload to store and the errors
to show (keyed by field name, each saying which item and why), and never guesses: a
ballot with errors is shown again with exactly what was typed.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import ranking
from memorandum.survey.models import (
    METHOD_LABELS,
    METHODS_BY_FORM,
    POINTS_BUDGET,
    RATING_CRITERIA,
    RATING_LEVELS,
    Items,
    Survey,
)

LOCKED_ONCE_VOTED = ["items", "ballot_form", "weighting", "anonymity"]


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class SurveyForm(forms.ModelForm):
    """Set up a survey. Times are read and shown in Brussels time."""

    primary_method = forms.ChoiceField(
        label=gettext_lazy("Primary method"),
        choices=[
            (m, METHOD_LABELS[m]) for m in dict.fromkeys(itertools.chain(*METHODS_BY_FORM.values()))
        ],
        help_text=gettext_lazy(
            "The method that gives the official order; the others are shown for comparison."
        ),
    )

    class Meta:
        model = Survey
        fields = [
            "title_nl",
            "title_fr",
            "items",
            "ballot_form",
            "opens_at",
            "closes_at",
            "weighting",
            "anonymity",
            "primary_method",
            "bootstrap_replicates",
            "bootstrap_seed",
        ]
        widgets = {
            "opens_at": DateTimeLocalInput(),
            "closes_at": DateTimeLocalInput(),
            "items": forms.RadioSelect,
            "ballot_form": forms.RadioSelect,
            "weighting": forms.RadioSelect,
            "anonymity": forms.RadioSelect,
        }
        labels = {
            "title_nl": gettext_lazy("Title in Dutch"),
            "title_fr": gettext_lazy("Title in French"),
        }
        help_texts = {
            "title_fr": gettext_lazy(
                "Optional; French readers see the Dutch title, marked as such, until it is filled in."
            ),
            "opens_at": gettext_lazy("Brussels time."),
            "closes_at": gettext_lazy("Brussels time. Ballots can be changed until this moment."),
        }

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition
        self.locked = bool(self.instance.pk and self.instance.has_ballots())
        if self.locked:
            for name in LOCKED_ONCE_VOTED:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Fixed: zones have already started answering.")

    def clean_bootstrap_replicates(self) -> int:
        value = self.cleaned_data["bootstrap_replicates"]
        if not 100 <= value <= 5000:
            raise forms.ValidationError(
                _("Choose between 100 and 5000 replicates (you entered %(value)s).")
                % {"value": value}
            )
        return value

    def clean(self) -> dict:
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The survey must close after it opens."))
        if closes and not self.instance.pk and closes <= timezone.now():
            self.add_error(
                "closes_at",
                _("This moment has already passed; choose a closing time in the future."),
            )
        if opens and closes and closes - opens > timedelta(days=366):
            self.add_error("closes_at", _("A survey can stay open for at most a year."))
        form, method = data.get("ballot_form"), data.get("primary_method")
        if form and method and method not in METHODS_BY_FORM[form]:
            allowed = ", ".join(str(METHOD_LABELS[m]) for m in METHODS_BY_FORM[form])
            self.add_error(
                "primary_method",
                _("This method cannot count this ballot form. Choose one of: %(allowed)s.")
                % {"allowed": allowed},
            )
        items = data.get("items")
        if items:
            probe = Survey(edition=self.edition, items=items)
            found = probe.ranked_items()
            if items in (Items.THEMES, Items.BOTH) and not any(
                i["code"].startswith("T") for i in found
            ):
                self.add_error(
                    "items", _("This edition has no themes; rank its recommendations instead.")
                )
            elif len(found) < 2:
                self.add_error("items", _("There must be at least two items to put in order."))
            elif method == "kemeny" and len(found) > ranking.KEMENY_EXACT_MAX:
                # Above the limit Kemeny is only a local-search approximation: not official.
                self.add_error(
                    "primary_method",
                    _(
                        "Kemeny is computed exactly for at most %(limit)s items; this survey "
                        "has %(count)s, so its order would only be an approximation. Choose "
                        "another primary method."
                    )
                    % {"limit": ranking.KEMENY_EXACT_MAX, "count": len(found)},
                )
        return data


class DelegateForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Delegate's name"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("Delegate's e-mail"))


# ------------------------------------------------------------------------ ballot parsing
@dataclass
class Parsed:
    payload: dict
    errors: dict[str, str] = field(default_factory=dict)
    entered: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def _positions(post, prefix: str, codes: list[str], where: str, parsed: Parsed) -> list[str]:
    """Read one number per item (``<prefix>-<code>``); return the codes in that order."""
    values: dict[str, int] = {}
    for code in codes:
        name = f"{prefix}-{code}"
        raw = (post.get(name) or "").strip()
        parsed.entered[name] = raw
        try:
            number = int(raw)
        except ValueError:
            number = 0
        if not 1 <= number <= len(codes):
            parsed.errors[name] = _("%(where)s, %(code)s: give a position from 1 to %(n)s.") % {
                "where": where,
                "code": code,
                "n": len(codes),
            }
            continue
        values[code] = number
    for number, count in Counter(values.values()).items():
        if count > 1:
            same = [c for c in codes if values.get(c) == number]
            for code in same:
                parsed.errors[f"{prefix}-{code}"] = _(
                    "%(where)s: %(codes)s all have position %(n)s; give each item its own position."
                ) % {"where": where, "codes": ", ".join(same), "n": number}
    return sorted(codes, key=lambda c: (values.get(c, len(codes) + 1), codes.index(c)))


def groups_of(items: list[dict]) -> list[dict]:
    """The items grouped by theme or domain, keeping catalogue order."""
    out: dict[str, dict] = {}
    for item in items:
        out.setdefault(
            item["group"], {"key": item["group"], "label": item["group_label"], "items": []}
        )["items"].append(item)
    return list(out.values())


def parse_ranking(post, items: list[dict]) -> Parsed:
    codes = [i["code"] for i in items]
    parsed = Parsed(payload={})
    overall = _positions(post, "overall", codes, _("Overall order"), parsed)
    within = {}
    for group in groups_of(items):
        group_codes = [i["code"] for i in group["items"]]
        if len(group_codes) > 1:
            within[group["key"]] = _positions(
                post, f"within-{group['key']}", group_codes, str(group["label"]), parsed
            )
    parsed.payload = {"overall": overall, "within": within}
    return parsed


def default_ranking(items: list[dict]) -> dict:
    codes = [i["code"] for i in items]
    return {
        "overall": codes,
        "within": {
            g["key"]: [i["code"] for i in g["items"]]
            for g in groups_of(items)
            if len(g["items"]) > 1
        },
    }


def parse_rating(post, items: list[dict]) -> Parsed:
    parsed = Parsed(payload={name: {} for name, _label in RATING_CRITERIA})
    levels = {str(value) for value, _label in RATING_LEVELS}
    labels = dict(RATING_CRITERIA)
    for item in items:
        for name, _label in RATING_CRITERIA:
            field_name = f"{name}-{item['code']}"
            raw = (post.get(field_name) or "").strip()
            parsed.entered[field_name] = raw
            if raw == "none":
                parsed.payload[name][item["code"]] = None
            elif raw in levels:
                parsed.payload[name][item["code"]] = int(raw)
            else:
                parsed.errors[field_name] = _(
                    "%(code)s, %(criterion)s: choose a level or “no opinion”."
                ) % {"code": item["code"], "criterion": labels[name]}
    return parsed


def parse_points(post, items: list[dict]) -> Parsed:
    parsed = Parsed(payload={"points": {}})
    total = 0
    for item in items:
        name = f"points-{item['code']}"
        raw = (post.get(name) or "").strip() or "0"
        parsed.entered[name] = raw
        try:
            value = int(raw)
        except ValueError:
            value = -1
        if not 0 <= value <= POINTS_BUDGET:
            parsed.errors[name] = _(
                "%(code)s: give a whole number of points from 0 to %(max)s."
            ) % {"code": item["code"], "max": POINTS_BUDGET}
            continue
        total += value
        if value:
            parsed.payload["points"][item["code"]] = value
    if not parsed.errors and total != POINTS_BUDGET:
        parsed.errors["__all__"] = _(
            "Your points add up to %(total)s; they must add up to exactly %(budget)s."
        ) % {"total": total, "budget": POINTS_BUDGET}
    return parsed


def parse_pairwise_choice(post, items: list[dict], payload: dict) -> Parsed:
    """One answer to "which is more urgent?": append it to the zone's choices."""
    codes = {i["code"] for i in items}
    a, b, choice = post.get("a", ""), post.get("b", ""), post.get("choice", "")
    choices = list(payload.get("choices", []))
    parsed = Parsed(payload={"choices": choices})
    if a not in codes or b not in codes or a == b or choice not in ("a", "b", "none"):
        parsed.errors["__all__"] = _("This comparison could not be read; please choose again.")
        return parsed
    winner = {"a": a, "b": b, "none": None}[choice]
    parsed.payload = {"choices": [*choices, [a, b, winner]]}
    return parsed


def next_pair(
    items: list[dict], mine: list, everyone: list[list], *, seed: str
) -> tuple[dict, dict] | None:
    """The pair this zone has compared least, then the pair all zones have compared least.

    Like a wiki survey, this spreads comparisons evenly so every pair gets information,
    instead of asking the same popular pairs over and over. None when every pair is done.
    """
    codes = [i["code"] for i in items]

    def key(a, b):
        return (a, b) if a < b else (b, a)

    my_counts = Counter(key(a, b) for a, b, _w in mine)
    all_counts = Counter(key(a, b) for choices in everyone for a, b, _w in choices)
    pairs = [key(a, b) for a, b in itertools.combinations(codes, 2)]
    if not pairs or all(my_counts[p] for p in pairs):
        return None
    rng = random.Random(f"{seed}:{len(mine)}")
    rng.shuffle(pairs)
    best = min(pairs, key=lambda p: (my_counts[p], all_counts[p]))
    a, b = best if rng.random() < 0.5 else best[::-1]  # which side shows first is random too
    by_code = {i["code"]: i for i in items}
    return by_code[a], by_code[b]


def all_pairs(items: list[dict]) -> int:
    n = len(items)
    return n * (n - 1) // 2
