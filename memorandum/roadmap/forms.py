"""Forms of the follow-up roadmap. They re-show what was typed when something is wrong."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from memorandum.catalogue.models import PoliceZone, Recommendation
from memorandum.lib.bilingual import bilingual_columns
from memorandum.lib.spreadsheets import UploadField
from memorandum.lib.validation import GuardedFormMixin
from memorandum.lib.widgets import DateInput
from memorandum.roadmap.models import (
    ATTACHMENT_EXTENSIONS,
    Indicator,
    Initiative,
    InitiativeStatus,
    Measurement,
    Milestone,
    PointOfAttention,
    today,
    validate_attachment_size,
)

# What browsers and office suites send for the extensions we accept; anything else is refused
# even when the name looks right (a renamed executable, a web page saved as .pdf …).
ATTACHMENT_TYPES = {
    "pdf": {"application/pdf"},
    "docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
    "xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    "odt": {"application/vnd.oasis.opendocument.text"},
    "ods": {"application/vnd.oasis.opendocument.spreadsheet"},
    "png": {"image/png"},
    "jpg": {"image/jpeg"},
    "jpeg": {"image/jpeg"},
    "txt": {"text/plain"},
    "csv": {"text/csv", "text/plain", "application/vnd.ms-excel"},
}
GENERIC_TYPES = {"application/octet-stream", ""}
MAGIC = {
    "pdf": b"%PDF",
    "png": b"\x89PNG",
    "jpg": b"\xff\xd8",
    "jpeg": b"\xff\xd8",
    "docx": b"PK",
    "xlsx": b"PK",
    "odt": b"PK",
    "ods": b"PK",
}


def check_attachment(upload) -> None:
    """Refuse files that are too big or whose content does not match their extension."""
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    allowed = ", ".join(ATTACHMENT_EXTENSIONS)
    if extension not in ATTACHMENT_TYPES:
        raise forms.ValidationError(
            _("Files of this type are not accepted. Accepted: %(allowed)s."),
            params={"allowed": allowed},
        )
    validate_attachment_size(upload)
    content_type = (getattr(upload, "content_type", "") or "").split(";")[0].strip()
    if content_type not in GENERIC_TYPES and content_type not in ATTACHMENT_TYPES[extension]:
        raise forms.ValidationError(
            _("The file's content does not match its name (.%(ext)s)."), params={"ext": extension}
        )
    magic = MAGIC.get(extension)
    if magic:
        head = upload.read(len(magic))
        upload.seek(0)
        if head != magic:
            raise forms.ValidationError(
                _("The file's content does not match its name (.%(ext)s)."),
                params={"ext": extension},
            )


class DecimalCommaField(forms.DecimalField):
    """Accepts 12,5 as well as 12.5: Belgian users write decimal commas whatever the UI language."""

    def to_python(self, value):
        if isinstance(value, str) and "," in value and "." not in value:
            value = value.replace(",", ".")
        return super().to_python(value)


def serves_choices(edition) -> list:
    """Grouped choices: per recommendation, the whole of it ('12') or one action line ('12:3')."""
    groups = []
    recommendations = (
        Recommendation.objects.filter(edition=edition)
        .select_related("domain")
        .order_by("-kind", "number")
    )
    for rec in recommendations:
        options = [(str(rec.pk), _("%(code)s as a whole") % {"code": rec.code})]
        options += [
            (f"{rec.pk}:{n}", f"{rec.code}.{n} {item['text'][:120]}")
            for n, item in enumerate(rec.action_items(), 1)
        ]
        groups.append((f"{rec.code} {rec.title}", options))
    return groups


class PlannedPeriodMixin:
    """An initiative's planned end is not before its start (the page's form and the import)."""

    def clean(self):
        data = super().clean()
        if (
            data.get("start_date")
            and data.get("end_date")
            and data["end_date"] < data["start_date"]
        ):
            self.add_error("end_date", _("The planned end cannot be before the start."))
        return data


class InitiativeForm(GuardedFormMixin, PlannedPeriodMixin, forms.ModelForm):
    serves = forms.MultipleChoiceField(
        label=_("Serves"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Tick a recommendation as a whole, or only the action lines this initiative works on."
        ),
    )

    class Meta:
        model = Initiative
        fields = [
            *bilingual_columns(Initiative),
            "serves",
            *Initiative.PLAN_FIELDS,
            "owners",
            "is_public",
        ]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            **{
                name: forms.Textarea(attrs={"rows": 4})
                for name in bilingual_columns(Initiative, ["description"])
            },
        }

    def __init__(self, *args, edition, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.edition = edition
        self.fields["serves"].choices = serves_choices(edition)
        # Suggest the lead bodies already in use, so the dashboard's lead filter stays tidy.
        self.lead_options = sorted(
            set(
                Initiative.objects.filter(edition=edition).values_list(
                    "lead_organisation", flat=True
                )
            )
        )
        self.fields["lead_organisation"].widget.attrs["list"] = "lead-options"
        self.fields["lead_zone"].queryset = PoliceZone.objects.choosable(
            self.instance.lead_zone_id
        ).order_by("code")
        self.fields["progress"].widget.attrs.update({"min": 0, "max": 100})
        if self.instance.pk:
            self.initial["serves"] = [
                value
                for link in self.instance.links.all()
                for value in (
                    [f"{link.recommendation_id}:{n}" for n in link.action_lines]
                    or [str(link.recommendation_id)]
                )
            ]
            # Status and progress change through updates, so the timeline tells why.
            del self.fields["status"], self.fields["progress"]
        if user.has_perm("roadmap.change_initiative"):
            self.fields["owners"].queryset = (
                get_user_model().objects.filter(is_active=True).order_by("username")
            )
            self.fields["owners"].label_from_instance = lambda u: (
                f"{u.get_full_name()} ({u.username})" if u.get_full_name() else u.username
            )
        else:
            del self.fields["owners"], self.fields["is_public"]

    def selection(self) -> dict[Recommendation, list[int]]:
        """The recommendations ticked, each with the action lines ticked (empty: as a whole)."""
        by_pk = {r.pk: r for r in Recommendation.objects.filter(edition=self.edition)}
        chosen: dict[Recommendation, list[int]] = {}
        for value in self.cleaned_data["serves"]:
            pk, _sep, line = value.partition(":")
            rec = by_pk[int(pk)]
            lines = chosen.setdefault(rec, [])
            if line:
                lines.append(int(line))
        # Ticking the whole recommendation wins over single lines of it.
        whole = {int(v) for v in self.cleaned_data["serves"] if ":" not in v}
        return {rec: ([] if rec.pk in whole else lines) for rec, lines in chosen.items()}


class UpdateForm(GuardedFormMixin, forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput(), initial=today)
    text = forms.CharField(
        label=_("What happened"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10_000
    )
    status = forms.ChoiceField(label=_("New status"), required=False)
    progress = forms.IntegerField(
        label=_("New progress (%)"), required=False, min_value=0, max_value=100
    )
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_("Optional. PDF, office document, image or text; at most 10 MB."),
    )
    attachment_public = forms.BooleanField(
        label=_("Visitors may download the attachment"),
        required=False,
        help_text=_(
            "Attachments are private unless you tick this: only the owners, the secretariat and logged-in members who may read the initiative can download them. Tick it only for a document meant for the public."
        ),
    )

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("", _("Unchanged (%(status)s)") % {"status": initiative.get_status_display()})
        ] + [choice for choice in InitiativeStatus.choices if choice[0] != initiative.status]
        self.fields["progress"].widget.attrs["placeholder"] = str(initiative.progress)

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > today():
            raise forms.ValidationError(_("An update cannot be dated in the future."))
        return date

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            check_attachment(upload)
        return upload


class MilestoneForm(GuardedFormMixin, forms.ModelForm):
    class Meta:
        model = Milestone
        fields = [*bilingual_columns(Milestone), "due_date", "done_date"]
        widgets = {"due_date": DateInput(), "done_date": DateInput()}

    def clean_done_date(self):
        done = self.cleaned_data.get("done_date")
        if done and done > today():
            raise forms.ValidationError(_("A milestone cannot be done in the future."))
        return done


class MilestoneDoneForm(GuardedFormMixin, forms.Form):
    done_date = forms.DateField(label=_("Done on"), widget=DateInput(), initial=today)

    def clean_done_date(self):
        done = self.cleaned_data["done_date"]
        if done > today():
            raise forms.ValidationError(_("A milestone cannot be done in the future."))
        return done


class IndicatorForm(GuardedFormMixin, forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [*bilingual_columns(Indicator), "unit", "baseline", "target", "direction"]
        field_classes = {"baseline": DecimalCommaField, "target": DecimalCommaField}
        widgets = {
            "baseline": forms.TextInput(attrs={"inputmode": "decimal"}),
            "target": forms.TextInput(attrs={"inputmode": "decimal"}),
        }


class MeasurementForm(GuardedFormMixin, forms.ModelForm):
    class Meta:
        model = Measurement
        fields = ["indicator", "date", "value", "note"]
        widgets = {"date": DateInput(), "value": forms.TextInput(attrs={"inputmode": "decimal"})}
        field_classes = {"value": DecimalCommaField}

    def __init__(self, *args, initiative: Initiative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = initiative.indicators.all()
        self.fields["indicator"].empty_label = None

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > today():
            raise forms.ValidationError(_("A measurement cannot be dated in the future."))
        return date


class PointOfAttentionForm(GuardedFormMixin, forms.ModelForm):
    class Meta:
        model = PointOfAttention
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class DashboardFilterForm(forms.Form):
    domain = forms.TypedChoiceField(
        label=_("Work domain"), required=False, coerce=int, empty_value=None
    )
    lead = forms.ChoiceField(label=_("Lead body"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    mine = forms.BooleanField(label=_("Only the initiatives I own"), required=False)

    def __init__(self, *args, edition, initiatives, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not (user and user.is_authenticated):
            del self.fields["mine"]
        self.fields["domain"].choices = [("", _("All domains"))] + [
            (d.pk, f"{d.number}. {d.name}") for d in edition.domains.all()
        ]
        leads = sorted(set(initiatives.values_list("lead_organisation", flat=True)))
        self.fields["lead"].choices = [("", _("All lead bodies"))] + [
            (lead, lead) for lead in leads
        ]
        self.fields["status"].choices = [("", _("All statuses"))] + list(InitiativeStatus.choices)

    def apply(self, initiatives):
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("domain"):
            initiatives = initiatives.filter(recommendations__domain_id=data["domain"]).distinct()
        if data.get("lead"):
            initiatives = initiatives.filter(lead_organisation=data["lead"])
        if data.get("status"):
            initiatives = initiatives.filter(status=data["status"])
        if data.get("mine"):
            initiatives = initiatives.filter(owners=self.user)
        return initiatives


class FollowUpImportForm(forms.Form):
    file = UploadField(
        extensions=("xlsx",),
        label=_("Follow-up form (XLSX)"),
        help_text=_(
            "The file downloaded from this page, filled in. Nothing is changed unless the whole file is valid."
        ),
    )


class ReportForm(GuardedFormMixin, forms.Form):
    date_from = forms.DateField(label=_("From"), widget=DateInput())
    date_to = forms.DateField(label=_("To"), widget=DateInput())
    language = forms.ChoiceField(
        label=_("Language of the report"), choices=[("nl", "Nederlands"), ("fr", "Français")]
    )
    format = forms.ChoiceField(label=_("Format"), choices=[("pdf", "PDF"), ("docx", "DOCX (Word)")])

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period cannot be before its start."))
        return data

    @staticmethod
    def default_period() -> tuple[dt.date, dt.date]:
        """Last calendar year: the yearly report to the authorities."""
        year = today().year - 1
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
