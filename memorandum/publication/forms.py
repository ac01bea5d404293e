"""The publish form: which counted survey goes into the next version (or none)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from memorandum.catalogue.models import Edition
from memorandum.lib.validation import is_plain_number
from memorandum.publication.services import check_survey, publishable_surveys
from memorandum.survey.models import Survey

NO_SURVEY = "none"


def survey_label(survey) -> str:
    tally = survey.latest_tally()
    closes = formats.date_format(timezone.localtime(survey.closes_at).date(), "DATE_FORMAT")
    ballots = tally.ballot_count if tally else 0
    return ngettext(
        "%(title)s — closed %(date)s, %(ballots)s ballot counted",
        "%(title)s — closed %(date)s, %(ballots)s ballots counted",
        ballots,
    ) % {"title": survey.title, "date": closes, "ballots": ballots}


class PublishForm(forms.Form):
    """Chooses the survey result of the next version among the edition's counted surveys.

    The field takes any value and checks it itself, so that a forged id, a survey of
    another edition and a survey still open each get their own message.
    """

    survey = forms.CharField(
        label=gettext_lazy("Survey result in the memorandum"),
        required=False,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Only closed and counted surveys of this edition can be chosen. The section "
            "“Priorities set by the survey” says which survey, when it was held, how many "
            "zones took part and which method counted it."
        ),
    )

    item_per_page = forms.BooleanField(
        label=gettext_lazy("Each recommendation on a page of its own"),
        required=False,
        help_text=gettext_lazy(
            "As in the printed original. Without it, items follow each other and each "
            "item stays together with its contextual elements."
        ),
    )

    def __init__(self, *args, edition: Edition, initial_survey=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.edition = edition
        self.choices = [(NO_SURVEY, _("No survey: leave the priorities section out"))] + [
            (str(s.pk), survey_label(s)) for s in publishable_surveys(edition)
        ]
        self.fields["survey"].widget.choices = self.choices
        self.fields["survey"].initial = str(initial_survey.pk) if initial_survey else NO_SURVEY

    def clean_survey(self):
        raw = (self.cleaned_data.get("survey") or NO_SURVEY).strip()
        if raw == NO_SURVEY:
            return None
        if not is_plain_number(raw):
            raise ValidationError(_("Choose a survey from the list, or no survey."))
        survey = Survey.objects.filter(pk=int(raw)).first()
        if survey is None:
            raise ValidationError(
                _("There is no survey with this number; choose one from the list.")
            )
        check_survey(self.edition, survey)
        return survey

    def confirms(self, number: int) -> bool | None:
        """Whether this submission confirms publishing version ``number``.

        None when it only asks what will happen; False when it confirmed another number,
        because a version was published between the confirmation page and the click.
        """
        if self.data.get("confirm") != "1":
            return None
        return self.data.get("expected_number") == str(number)
