"""The survey set-up form and the delegate form (ballots are read in ``ballots/``)."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

import ranking
from memorandum.catalogue.models import Recommendation
from memorandum.lib.bilingual import bilingual_columns
from memorandum.lib.validation import GuardedFormMixin
from memorandum.lib.widgets import DateTimeLocalInput
from memorandum.survey.ballots import KINDS, kind_of
from memorandum.survey.items import VOTABLE_STATUSES, candidate_items, is_frozen
from memorandum.survey.models import METHOD_LABELS, TOP_N, BallotForm, Items, Survey

# The opening time too: anonymous ballots are stamped with it instead of their own time.
LOCKED_ONCE_VOTED = ["items", "ballot_form", "weighting", "anonymity", "min_group", "opens_at"]


class MethodSelect(forms.Select):
    """The primary method, each option saying which ballot forms it counts
    (``data-forms``): the set-up page offers only those of the chosen ballot form."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        fits = [form for form, kind in KINDS.items() if value in kind.methods]
        option["attrs"]["data-forms"] = " ".join(fits)
        return option


def methods_help() -> str:
    """Which methods count which ballot form, in one sentence per form."""
    return " ".join(
        f"{str(BallotForm(form).label).split(':')[0].strip()}: "
        + ", ".join(str(METHOD_LABELS[m]) for m in kind.methods)
        + "."
        for form, kind in KINDS.items()
    )


class SurveyForm(GuardedFormMixin, forms.ModelForm):
    """Set up a survey. Times are read and shown in Brussels time."""

    primary_method = forms.ChoiceField(
        label=gettext_lazy("Primary method"),
        choices=[
            (m, METHOD_LABELS[m])
            for m in dict.fromkeys(m for k in KINDS.values() for m in k.methods)
        ],
        widget=MethodSelect(attrs={"data-method-for": "id_ballot_form"}),
    )

    class Meta:
        model = Survey
        fields = [
            *bilingual_columns(Survey),
            "items",
            "ballot_form",
            "top_n",
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
        self.fields["primary_method"].help_text = (
            _("The method that gives the official order; the others are shown for comparison.")
            + " "
            + methods_help()
        )
        self.locked = bool(self.instance.pk and self.instance.has_ballots())
        self.opened_at = self.instance.opens_at
        if self.locked:
            for name in LOCKED_ONCE_VOTED:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Fixed: zones have already started answering.")
        # Left empty, the top is the default size (or every item when there are fewer).
        self.fields["top_n"].required = False
        # The range depends on the items chosen: checked with them, in one clear message.
        self.fields["top_n"].validators = []
        self.fields["top_n"].widget.attrs["min"] = 1
        self.fields["top_n"].error_messages["invalid"] = _(
            "Give the size of the top as a whole number, such as 10."
        )
        if is_frozen(self.instance):
            # The list was frozen at opening; the page shows it, nothing here can change it.
            # The size of the top was shown to the zones with it: frozen too.
            del self.fields["chosen_items"]
            for name in ("items", "top_n"):
                self.fields[name].disabled = True
            self.fields["items"].help_text = _(
                "Fixed: the items were frozen when the survey opened."
            )
            self.fields["top_n"].help_text = _(
                "Fixed: the zones were asked for this top when the survey opened."
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
        if form and method and method not in kind_of(form).methods:
            allowed = ", ".join(str(METHOD_LABELS[m]) for m in kind_of(form).methods)
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
            if len(found) >= 2:
                self._check_top_n(data, len(found))
        return data

    def _check_top_n(self, data: dict, n_items: int) -> None:
        """The top a ranking ballot asks for: 1 to the number of items; empty is the default."""
        top_n = data.get("top_n")
        if top_n is None and "top_n" not in self.errors:
            data["top_n"] = min(TOP_N, n_items)
        elif top_n is not None and not _asks_top(data.get("ballot_form")):
            # Other ballots do not ask for a top; it only names the "top N" of the results.
            data["top_n"] = max(1, min(top_n, n_items))
        elif top_n is not None and not 1 <= top_n <= n_items:
            self.add_error(
                "top_n",
                _(
                    "The top must hold between 1 and %(count)s items (the number of items "
                    "put to the zones); you entered %(value)s."
                )
                % {"count": n_items, "value": top_n},
            )

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
        if self.cleaned_data.get("top_n") and not self.fields["top_n"].disabled:
            # Set here: a model form keeps the model default when the box was not posted.
            survey.top_n = self.cleaned_data["top_n"]
        if not self.locked and survey.status != "draft":
            # An open survey without ballots whose settings change gets its classes again.
            survey.weight_classes = survey.compute_weight_classes()
        if commit:
            survey.save()
        return survey


class DelegateForm(GuardedFormMixin, forms.Form):
    name = forms.CharField(label=gettext_lazy("Delegate's name"), max_length=150)
    email = forms.EmailField(label=gettext_lazy("Delegate's e-mail"))


def _asks_top(form: str | None) -> bool:
    """Does this ballot form ask for a top (None: the form field itself was refused)?"""
    return bool(form) and kind_of(form).asks_top
