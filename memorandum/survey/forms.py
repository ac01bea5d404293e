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
from django.utils.translation import gettext_lazy, ngettext

import ranking
from memorandum.catalogue.models import Recommendation
from memorandum.lib.bilingual import bilingual_columns
from memorandum.lib.validation import GuardedFormMixin
from memorandum.survey.items import VOTABLE_STATUSES, candidate_items, is_frozen
from memorandum.survey.models import (
    METHOD_LABELS,
    METHODS_BY_FORM,
    POINTS_BUDGET,
    RATING_CRITERIA,
    RATING_LEVELS,
    Items,
    Survey,
    SurveyItem,
)
from memorandum.survey.pairs import pair_key, record_answer

# The opening time too: anonymous ballots are stamped with it instead of their own time.
LOCKED_ONCE_VOTED = ["items", "ballot_form", "weighting", "anonymity", "min_group", "opens_at"]


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class SurveyForm(GuardedFormMixin, forms.ModelForm):
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
            *bilingual_columns(Survey),
            "items",
            "ballot_form",
            "opens_at",
            "closes_at",
            "weighting",
            "anonymity",
            "min_group",
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

    chosen_items = forms.MultipleChoiceField(
        label=gettext_lazy("Items put to the zones"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "item-choice"}),
        required=False,
    )

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition
        self.locked = bool(self.instance.pk and self.instance.has_ballots())
        self.opened_at = self.instance.opens_at
        if self.locked:
            for name in LOCKED_ONCE_VOTED:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Fixed: zones have already started answering.")
        if is_frozen(self.instance):
            # The list was frozen at opening; the page shows it, nothing here can change it.
            del self.fields["chosen_items"]
            self.fields["items"].disabled = True
            self.fields["items"].help_text = _(
                "Fixed: the items were frozen when the survey opened."
            )
        else:
            self._set_up_item_choice()

    def _set_up_item_choice(self) -> None:
        """Every published item of the edition, grouped; all chosen unless left out before."""
        self.candidates = candidate_items(self.edition, Items.BOTH)
        groups: dict[str, list] = {}
        for item in self.candidates:
            label = str(item.group_label)
            if item.theme_id:
                label = _("Themes of %(domain)s") % {"domain": label}
            groups.setdefault(label, []).append((item.code, f"{item.code} {item.title}"))
        field = self.fields["chosen_items"]
        field.choices = list(groups.items())
        left_out = set(self.instance.left_out_codes or [])
        field.initial = [i.code for i in self.candidates if i.code not in left_out]
        unpublished = (
            Recommendation.objects.filter(edition=self.edition)
            .exclude(status__in=VOTABLE_STATUSES)
            .count()
        )
        help_text = _(
            "Only published (adopted) items can be put to the zones. Untick the ones to leave "
            "out; only items of the kind chosen above are used. When the survey opens, its "
            "items are frozen with their texts: later changes to the catalogue do not reach "
            "the ballots."
        )
        if unpublished:
            help_text += " " + ngettext(
                "%(count)s item of this edition is not published (draft, proposal, withdrawn …) and cannot be chosen.",
                "%(count)s items of this edition are not published (draft, proposal, withdrawn …) and cannot be chosen.",
                unpublished,
            ) % {"count": unpublished}
        field.help_text = help_text

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
        if self.locked:  # to the microsecond: the form's widget would round it to the minute
            data["opens_at"] = self.opened_at
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The survey must close after it opens."))
        if closes and not self.instance.pk and closes <= timezone.now():
            self.add_error(
                "closes_at",
                _("This moment has already passed; choose a closing time in the future."),
            )
        if closes and self.instance.pk and self.instance.status != "draft":
            # Moving the end of an open survey earlier than now, or than a ballot already
            # acknowledged, would drop ballots that got a receipt: that is "close and count".
            last = self.instance.ballots.submitted().order_by("-submitted_at").first()
            floor = max(timezone.now(), last.submitted_at if last else timezone.now())
            if closes < floor and closes != self.instance.closes_at:
                self.add_error(
                    "closes_at",
                    _(
                        "An open survey cannot be given a closing time in the past: ballots "
                        "acknowledged until now must stay counted. To end it now, use "
                        "“Close and count”."
                    ),
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
        self._check_weight_classes(data)
        kind = data.get("items")
        if kind and "chosen_items" in self.fields:
            possible = candidate_items(self.edition, kind)
            chosen = set(data.get("chosen_items") or [])
            found = [i for i in possible if i.code in chosen]
            if kind in (Items.THEMES, Items.BOTH) and not any(i.theme_id for i in possible):
                self.add_error(
                    "items", _("This edition has no themes; rank its recommendations instead.")
                )
            elif len(possible) < 2:
                self.add_error(
                    "items",
                    _(
                        "This edition has fewer than two published items of this kind to put in order."
                    ),
                )
            elif len(found) < 2:
                self.add_error(
                    "chosen_items",
                    _("Choose at least two items of the chosen kind (you chose %(count)s).")
                    % {"count": len(found)},
                )
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

    def _check_weight_classes(self, data: dict) -> None:
        """Weighting and anonymity together need at least two weight classes of k zones."""
        weighting, anonymity, k = (
            data.get("weighting"),
            data.get("anonymity"),
            data.get("min_group"),
        )
        if not (weighting and anonymity and k):
            return
        probe = Survey(weighting=weighting, anonymity=anonymity, min_group=k)
        if not probe.uses_weight_classes:
            return
        classes = probe.compute_weight_classes().get("classes", [])
        if len(classes) < 2:
            self.add_error(
                "weighting",
                _(
                    "An anonymous ballot cannot carry its zone's own weight: that weight would name "
                    "the zone. It counts with the weight of a class of at least %(k)s zones, and "
                    "with the zones on record there are not two such classes, so weighting would "
                    "change nothing. Choose one zone, one vote, an attributed survey, or a smaller "
                    "smallest group."
                )
                % {"k": k},
            )

    def save(self, commit: bool = True) -> Survey:
        if "chosen_items" in self.fields:
            chosen = set(self.cleaned_data.get("chosen_items") or [])
            self.instance.left_out_codes = [i.code for i in self.candidates if i.code not in chosen]
        survey = super().save(commit=False)
        if not self.locked and survey.status != "draft":
            # An open survey without ballots whose settings change gets its classes again.
            survey.weight_classes = survey.compute_weight_classes()
        if commit:
            survey.save()
        return survey


class DelegateForm(GuardedFormMixin, forms.Form):
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


def groups_of(items: list[SurveyItem]) -> list[dict]:
    """The items grouped by theme or domain, keeping catalogue order."""
    out: dict[str, dict] = {}
    for item in items:
        out.setdefault(item.group, {"key": item.group, "label": item.group_label, "items": []})[
            "items"
        ].append(item)
    return list(out.values())


def parse_ranking(post, items: list[SurveyItem]) -> Parsed:
    codes = [i.code for i in items]
    parsed = Parsed(payload={})
    overall = _positions(post, "overall", codes, _("Overall order"), parsed)
    within = {}
    for group in groups_of(items):
        group_codes = [i.code for i in group["items"]]
        if len(group_codes) > 1:
            within[group["key"]] = _positions(
                post, f"within-{group['key']}", group_codes, str(group["label"]), parsed
            )
    parsed.payload = {"overall": overall, "within": within}
    return parsed


def default_ranking(items: list[SurveyItem]) -> dict:
    codes = [i.code for i in items]
    return {
        "overall": codes,
        "within": {
            g["key"]: [i.code for i in g["items"]] for g in groups_of(items) if len(g["items"]) > 1
        },
    }


def parse_rating(post, items: list[SurveyItem]) -> Parsed:
    parsed = Parsed(payload={name: {} for name, _label in RATING_CRITERIA})
    levels = {str(value) for value, _label in RATING_LEVELS}
    labels = dict(RATING_CRITERIA)
    for item in items:
        for name, _label in RATING_CRITERIA:
            field_name = f"{name}-{item.code}"
            raw = (post.get(field_name) or "").strip()
            parsed.entered[field_name] = raw
            if raw == "none":
                parsed.payload[name][item.code] = None
            elif raw in levels:
                parsed.payload[name][item.code] = int(raw)
            else:
                parsed.errors[field_name] = _(
                    "%(code)s, %(criterion)s: choose a level or “no opinion”."
                ) % {"code": item.code, "criterion": labels[name]}
    return parsed


def parse_points(post, items: list[SurveyItem]) -> Parsed:
    parsed = Parsed(payload={"points": {}})
    total = 0
    for item in items:
        name = f"points-{item.code}"
        raw = (post.get(name) or "").strip() or "0"
        parsed.entered[name] = raw
        try:
            value = int(raw)
        except ValueError:
            value = -1
        if not 0 <= value <= POINTS_BUDGET:
            parsed.errors[name] = _(
                "%(code)s: give a whole number of points from 0 to %(max)s."
            ) % {"code": item.code, "max": POINTS_BUDGET}
            continue
        total += value
        if value:
            parsed.payload["points"][item.code] = value
    if not parsed.errors and total != POINTS_BUDGET:
        parsed.errors["__all__"] = _(
            "Your points add up to %(total)s; they must add up to exactly %(budget)s."
        ) % {"total": total, "budget": POINTS_BUDGET}
    return parsed


def parse_pairwise_choice(post, items: list[SurveyItem], payload: dict) -> Parsed:
    """One answer to "which is more urgent?": it replaces the zone's earlier answer to the pair."""
    codes = {i.code for i in items}
    a, b, choice = post.get("a", ""), post.get("b", ""), post.get("choice", "")
    choices = list(payload.get("choices", []))
    parsed = Parsed(payload={"choices": choices})
    if a not in codes or b not in codes or a == b or choice not in ("a", "b", "none"):
        parsed.errors["__all__"] = _("This comparison could not be read; please choose again.")
        return parsed
    winner = {"a": a, "b": b, "none": None}[choice]
    parsed.payload = {"choices": record_answer(choices, a, b, winner)}
    return parsed


def next_pair(
    items: list[SurveyItem], mine: list, all_counts: Counter, *, seed: str
) -> tuple[SurveyItem, SurveyItem] | None:
    """A pair this zone has not answered, the one all zones have answered least first.

    Like a wiki survey, this spreads comparisons evenly so every pair gets information,
    instead of asking the same popular pairs over and over. ``all_counts`` is
    :func:`memorandum.survey.pairs.pair_counts`. None when every pair is answered.
    """
    codes = [i.code for i in items]
    key = pair_key
    my_counts = Counter(key(a, b) for a, b, _w in mine)
    pairs = [key(a, b) for a, b in itertools.combinations(codes, 2)]
    if not pairs or all(my_counts[p] for p in pairs):
        return None
    rng = random.Random(f"{seed}:{len(mine)}")
    rng.shuffle(pairs)
    best = min(pairs, key=lambda p: (my_counts[p], all_counts[p]))
    a, b = best if rng.random() < 0.5 else best[::-1]  # which side shows first is random too
    by_code = {i.code: i for i in items}
    return by_code[a], by_code[b]


def all_pairs(items: list[SurveyItem]) -> int:
    n = len(items)
    return n * (n - 1) // 2
