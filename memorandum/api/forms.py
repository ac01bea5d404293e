"""The form that creates a personal API token on the profile page."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from memorandum.api.models import ApiToken
from memorandum.lib.validation import GuardedFormMixin
from memorandum.lib.widgets import DateInput


def default_expiry() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=90)


class TokenForm(GuardedFormMixin, forms.ModelForm):
    expires_on = forms.DateField(
        label=_("Valid until"),
        widget=DateInput(),
        initial=default_expiry,
        help_text=_("The token stops working at the end of this day."),
    )

    class Meta:
        model = ApiToken
        fields = ["name", "scope"]
        widgets = {"scope": forms.RadioSelect}

    def clean_expires_on(self):
        date = self.cleaned_data["expires_on"]
        first = timezone.localdate()
        last = first + dt.timedelta(days=settings.API_TOKEN_MAX_DAYS)
        if not first <= date <= last:
            raise forms.ValidationError(
                _("Choose a date from today to %(last)s."), params={"last": last.isoformat()}
            )
        return date

    def expires_at(self) -> dt.datetime:
        end_of_day = dt.datetime.combine(self.cleaned_data["expires_on"], dt.time.max)
        return timezone.make_aware(end_of_day)
