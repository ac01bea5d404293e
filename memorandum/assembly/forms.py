"""Forms of the General Assembly pages."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from memorandum.assembly import rules
from memorandum.assembly.models import AgendaItem, Decision, DecisionKind, Meeting
from memorandum.catalogue import roles
from memorandum.catalogue.models import Edition, PoliceZone, Recommendation
from memorandum.lib.bilingual import bilingual_columns, bilingual_form
from memorandum.lib.i18n import marked
from memorandum.lib.validation import GuardedFormMixin


class MeetingForm(GuardedFormMixin, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "starts_at",
            "place",
            "eligible_members",
            "members_present",
            "zones_present",
            "quorum_kind",
            "quorum_value",
            "majority_rule",
            *bilingual_columns(Meeting),
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            # 185 zones: a checkbox list with search and "select all shown" (picker.js).
            "members_present": forms.CheckboxSelectMultiple(attrs={"class": "picker"}),
            "zones_present": forms.CheckboxSelectMultiple(attrs={"class": "picker"}),
            **{name: forms.Textarea(attrs={"rows": 3}) for name in bilingual_columns(Meeting)},
        }
        help_texts = {"starts_at": _("Belgian time (Europe/Brussels).")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members_present"].queryset = (
            get_user_model()
            .objects.filter(groups__name=roles.ASSEMBLY_MEMBER)
            .order_by("last_name", "username")
        )
        self.fields["members_present"].label_from_instance = lambda u: (
            u.get_full_name() or u.username
        )
        # zones that have ended since stay marked on the meetings they attended
        kept = self.instance.zones_present.all() if self.instance.pk else []
        self.fields["zones_present"].queryset = PoliceZone.objects.choosable(*kept)

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("quorum_kind") == "fraction"
            and cleaned.get("quorum_value") is not None
            and cleaned["quorum_value"] > 1
        ):
            self.add_error(
                "quorum_value",
                _("A fraction is between 0 and 1, e.g. 0.5 for half of the members."),
            )
        present = len(cleaned.get("members_present") or []) + len(
            cleaned.get("zones_present") or []
        )
        if cleaned.get("eligible_members") and present > cleaned["eligible_members"]:
            self.add_error(
                "eligible_members",
                _("More members are marked present (%(present)s) than are entitled to vote.")
                % {"present": present},
            )
        if (
            self.instance.pk
            and Decision.objects.filter(item__meeting=self.instance).exists()
            and not self.errors
        ):
            # Decisions were recorded under the quorum of that attendance; they must stay valid.
            required = rules.quorum_required(
                cleaned["eligible_members"], cleaned["quorum_kind"], cleaned["quorum_value"]
            )
            if present < required:
                self.add_error(
                    None,
                    _(
                        "Decisions were already recorded at this meeting: the attendance cannot drop below the quorum (%(required)s)."
                    )
                    % {"required": required},
                )
        return cleaned


class AgendaItemForm(GuardedFormMixin, forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["order", "recommendation", *bilingual_columns(AgendaItem), "survey_results"]
        widgets = {"survey_results": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["recommendation"].queryset = Recommendation.objects.filter(
            edition=meeting.edition
        ).order_by("-kind", "number")
        self.fields["recommendation"].label_from_instance = lambda r: f"{r.code} {marked(r.title)}"
        if not self.is_bound:
            self.initial.setdefault("order", meeting.items.count() + 1)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("recommendation") and not cleaned.get("subject_nl"):
            self.add_error(
                "recommendation",
                _("Choose a recommendation or write the subject of the item in Dutch."),
            )
        order = cleaned.get("order")
        if order and self.meeting.items.filter(order=order).exclude(pk=self.instance.pk).exists():
            self.add_error(
                "order", _("Another item already has number %(order)s.") % {"order": order}
            )
        return cleaned


# The amended texts of a recommendation, as the catalogue declares them.
AmendedTexts = bilingual_form(Recommendation, required=False, rows=4)


class DecisionForm(GuardedFormMixin, AmendedTexts):
    kind = forms.ChoiceField(
        label=_("Decision put to the vote"), choices=DecisionKind.choices, widget=forms.RadioSelect
    )
    votes_for = forms.IntegerField(label=_("Votes for"), min_value=0)
    votes_against = forms.IntegerField(label=_("Votes against"), min_value=0)
    abstentions = forms.IntegerField(label=_("Abstentions"), min_value=0)
    merge_into = forms.ModelChoiceField(
        label=_("Merge into (for a merge)"), required=False, queryset=Recommendation.objects.none()
    )
    split_nl = forms.CharField(
        label=_("New titles in Dutch (for a split)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One title per line; each line becomes a new recommendation."),
    )
    split_fr = forms.CharField(
        label=_("New titles in French (for a split)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Same order as the Dutch titles."),
    )
    reason = forms.CharField(
        label=_("Why is the decision corrected?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Part of the record: it is shown beside both decisions, e.g. “the votes against were 12, not 21”."
        ),
    )

    def __init__(
        self, *args, item: AgendaItem, edition: Edition, corrects: Decision | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.corrects = corrects
        if corrects is None:
            del self.fields["reason"]
        else:
            self.fields["reason"].required = True
        rec = item.recommendation
        self.fields["merge_into"].queryset = (
            Recommendation.objects.filter(edition=edition)
            .exclude(pk=getattr(rec, "pk", None))
            .order_by("-kind", "number")
        )
        self.fields["merge_into"].label_from_instance = lambda r: f"{r.code} {marked(r.title)}"
        if rec is None:
            self.fields["kind"].choices = [
                (k, v) for k, v in DecisionKind.choices if k in ("adopt", "reject", "postpone")
            ]
        elif not self.is_bound:
            # The amendment starts from the current text, so only real changes show in the diff;
            # a correction starts from what it corrects.
            for name in self.text_columns:
                self.initial[name] = getattr(rec, name)
        if corrects is not None and not self.is_bound:
            self.initial.update(
                {
                    "kind": corrects.kind,
                    "votes_for": corrects.votes_for,
                    "votes_against": corrects.votes_against,
                    "abstentions": corrects.abstentions,
                    "merge_into": corrects.merge_into_id,
                    "split_nl": "\n".join(nl for nl, _fr in corrects.split_titles),
                    "split_fr": "\n".join(fr for _nl, fr in corrects.split_titles),
                }
            )
            if corrects.kind == DecisionKind.AMEND:
                for name in self.text_columns:
                    self.initial[name] = getattr(corrects, name)

    def vote(self) -> dict:
        """The decision this valid submission records, as the keyword arguments of
        ``services.record_decision`` (besides the item, the corrected decision and who acts)."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "votes_for": data["votes_for"],
            "votes_against": data["votes_against"],
            "abstentions": data["abstentions"],
            "merge_into": data["merge_into"],
            "split_titles": self.split_titles(),
            "texts": {name: data[name] for name in self.text_columns},
            "reason": data.get("reason", ""),
        }

    def split_titles(self) -> list[tuple[str, str]]:
        nl = [line for line in self.cleaned_data.get("split_nl", "").splitlines() if line.strip()]
        fr = [line for line in self.cleaned_data.get("split_fr", "").splitlines() if line.strip()]
        return [(title, fr[i] if i < len(fr) else "") for i, title in enumerate(nl)]

    def clean(self):
        cleaned = super().clean()
        nl = [line for line in cleaned.get("split_nl", "").splitlines() if line.strip()]
        fr = [line for line in cleaned.get("split_fr", "").splitlines() if line.strip()]
        if cleaned.get("kind") == DecisionKind.SPLIT and fr and len(fr) != len(nl):
            self.add_error("split_fr", _("Give as many French titles as Dutch titles (or none)."))
        return cleaned
