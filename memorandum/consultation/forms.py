"""Forms of the consultation pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from memorandum.catalogue.models import (
    Edition,
    PoliceZone,
    Recommendation,
    RecommendationKind,
    Theme,
    WorkDomain,
)
from memorandum.consultation.models import (
    ConsultationEvent,
    Proposal,
    ProposalLanguage,
    ProposalStatus,
)
from memorandum.consultation.services import Part
from memorandum.lib.bilingual import bilingual_form
from memorandum.lib.i18n import marked
from memorandum.lib.spreadsheets import UploadField
from memorandum.lib.validation import GuardedFormMixin
from memorandum.lib.widgets import DateInput


class ProposalForm(GuardedFormMixin, forms.ModelForm):
    """A proposal; a corps chief's zone is fixed to their own, the secretariat picks one."""

    class Meta:
        model = Proposal
        fields = [
            "zone",
            "participant_name",
            "event",
            "language",
            "domain",
            "theme",
            "title",
            "text",
        ]
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, edition: Edition, own_zone: PoliceZone | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition
        self.own_zone = own_zone
        self.fields["event"].queryset = edition.consultation_events.all()
        self.fields["domain"].queryset = WorkDomain.objects.filter(edition=edition)
        self.fields["theme"].queryset = Theme.objects.filter(
            domain__edition=edition
        ).select_related("domain")
        if own_zone is not None:
            # A corps chief proposes for their own zone only: the field is shown, not editable.
            self.fields["zone"].queryset = PoliceZone.objects.filter(pk=own_zone.pk)
            self.fields["zone"].initial = own_zone.pk
            self.fields["zone"].disabled = True
            self.fields["zone"].required = True
        else:
            # ended zones keep their proposals but make no new ones
            self.fields["zone"].queryset = PoliceZone.objects.choosable(
                self.instance.zone_id
            ).select_related("province")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("zone") and not cleaned.get("participant_name"):
            self.add_error("zone", _("Choose the zone or give the participant's name."))
        theme, domain = cleaned.get("theme"), cleaned.get("domain")
        if theme and domain and theme.domain_id != domain.pk:
            self.add_error("theme", _("This theme belongs to another work domain."))
        return cleaned


class EventForm(GuardedFormMixin, forms.ModelForm):
    class Meta:
        model = ConsultationEvent
        fields = [
            "kind",
            "title",
            "date",
            "precision",
            "place",
            "province",
            "participants",
            "zones",
        ]
        widgets = {
            "date": DateInput(),
            "zones": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kept = self.instance.zones.all() if self.instance.pk else []
        self.fields["zones"].queryset = PoliceZone.objects.choosable(*kept)


class ImportForm(forms.Form):
    file = UploadField(
        extensions=("xlsx",),
        label=_("Spreadsheet (.xlsx)"),
        help_text=_("Fill in the template; one proposal per row."),
    )


class ProposalFilterForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + ProposalStatus.choices
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("All"))] + ProposalLanguage.choices
    )
    domain = forms.ModelChoiceField(
        label=_("Work domain"),
        required=False,
        queryset=WorkDomain.objects.none(),
        empty_label=_("All"),
    )
    event = forms.ModelChoiceField(
        label=_("Event"),
        required=False,
        queryset=ConsultationEvent.objects.none(),
        empty_label=_("All"),
    )

    def __init__(self, *args, edition: Edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = WorkDomain.objects.filter(edition=edition)
        self.fields["event"].queryset = edition.consultation_events.all()

    def apply(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        for word in data["q"].split():
            queryset = queryset.filter(title__icontains=word) | queryset.filter(
                text__icontains=word
            )
        for name in ("status", "language", "domain", "event"):
            if data[name]:
                queryset = queryset.filter(**{name: data[name]})
        return queryset


NewRecommendationTexts = bilingual_form(
    Recommendation, ["title", "objective"], required=False, rows=3
)


class MergeForm(GuardedFormMixin, NewRecommendationTexts):
    """Merge the chosen proposals into an existing recommendation or a new one."""

    proposals = forms.ModelMultipleChoiceField(
        queryset=Proposal.objects.none(), widget=forms.MultipleHiddenInput
    )
    target = forms.ModelChoiceField(
        label=_("Existing recommendation"),
        required=False,
        queryset=Recommendation.objects.none(),
        empty_label=_("— a new recommendation —"),
    )
    kind = forms.ChoiceField(
        label=_("Kind (new recommendation)"), choices=RecommendationKind.choices, required=False
    )
    domain = forms.ModelChoiceField(
        label=_("Work domain (new recommendation)"),
        required=False,
        queryset=WorkDomain.objects.none(),
    )
    # The new recommendation's texts, as the catalogue declares them (after kind and domain).
    field_order = ["proposals", "target", "kind", "domain"]

    def __init__(self, *args, edition: Edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = Proposal.objects.filter(edition=edition)
        self.fields["target"].queryset = Recommendation.objects.filter(edition=edition).order_by(
            "-kind", "number"
        )
        self.fields["target"].label_from_instance = lambda r: f"{r.code} {marked(r.title)}"
        self.fields["domain"].queryset = WorkDomain.objects.filter(edition=edition)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("target"):
            return cleaned
        if not cleaned.get("domain"):
            self.add_error(
                "domain",
                _(
                    "Choose the work domain of the new recommendation, or choose an existing recommendation."
                ),
            )
        if not cleaned.get("title_nl"):
            # The catalogue needs a Dutch title; the French one may follow.
            self.add_error(
                "title_nl",
                _(
                    "Give the new recommendation a Dutch title, or choose an existing recommendation."
                ),
            )
        if not cleaned.get("kind"):
            cleaned["kind"] = RecommendationKind.RECOMMENDATION
        return cleaned

    def start_from(self, proposal: Proposal) -> None:
        """Offer a new recommendation in the proposal's domain with its title, in its language."""
        self.initial.update(
            {
                "domain": proposal.domain_id,
                Recommendation.title.column(proposal.language): proposal.title,
            }
        )

    def into(self):
        """The existing recommendation, or the fields of the new one."""
        data = self.cleaned_data
        if data.get("target"):
            return data["target"]
        return {
            "kind": data["kind"],
            "domain": data["domain"],
            **{name: data[name] for name in self.text_columns},
        }


class SplitPartForm(GuardedFormMixin, forms.Form):
    """One of the narrower proposals a split makes: its own title and text."""

    title = forms.CharField(
        label=_("Title"), max_length=Proposal._meta.get_field("title").max_length
    )
    text = forms.CharField(label=_("Proposal"), widget=forms.Textarea(attrs={"rows": 5}))


MAX_SPLIT_PARTS = 6


class BaseSplitFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        texts = [
            " ".join(form.cleaned_data["text"].split()).lower()
            for form in self.forms
            if form.cleaned_data
        ]
        if len(set(texts)) != len(texts):
            raise forms.ValidationError(_("Two parts have the same text; give each its own."))

    def parts(self) -> list[Part]:
        return [
            Part(title=form.cleaned_data["title"].strip(), text=form.cleaned_data["text"].strip())
            for form in self.forms
            if form.cleaned_data
        ]


SplitFormSet = forms.formset_factory(
    SplitPartForm,
    formset=BaseSplitFormSet,
    extra=0,
    min_num=2,
    validate_min=True,
    max_num=MAX_SPLIT_PARTS,
    validate_max=True,
)
