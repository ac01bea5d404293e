"""The members of the federation: police zones grouped in provinces and regions, and the
profile that ties a user to a zone, a province or a body."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from memorandum.lib.bilingual import BilingualField
from memorandum.lib.fields import optional_fk, protected_fk, synthetic_flag


class Region(models.TextChoices):
    FLANDERS = "flanders", _("Flemish Region")
    WALLONIA = "wallonia", _("Walloon Region")
    BRUSSELS = "brussels", _("Brussels-Capital Region")


class Province(models.Model):
    """One of the ten provinces, or the Brussels-Capital Region (which has none)."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = BilingualField(models.CharField, _("name"), max_length=100, required=["nl", "fr"])
    region = models.CharField(_("region"), max_length=10, choices=Region.choices)

    class Meta:
        ordering = ["region", "name_nl"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class ZoneLanguage(models.TextChoices):
    DUTCH = "nl", _("Dutch")
    FRENCH = "fr", _("French")
    GERMAN = "de", _("German")
    BILINGUAL = "nl-fr", _("Dutch and French")


class PoliceZoneQuerySet(models.QuerySet):
    def active(self, on: dt.date | None = None) -> PoliceZoneQuerySet:
        """Zones that exist on ``on`` (today): not ended, or ending only after that day.

        A zone that merged (``merged_into``) without an end date has ended too. Ended
        zones keep what they voted, proposed and attended; they only take no new work.
        """
        return self.filter(self._active(on))

    @staticmethod
    def _active(on: dt.date | None) -> Q:
        return Q(ended_on__gt=on or timezone.localdate()) | Q(ended_on=None, merged_into=None)

    def choosable(self, *keep: PoliceZone | int | None) -> PoliceZoneQuerySet:
        """What a zone picker for new work offers: the active zones, plus ``keep`` (the
        zones the record being edited already names, so that its history stays as it is)."""
        kept = [z.pk if isinstance(z, PoliceZone) else z for z in keep if z]
        return self.filter(self._active(None) | Q(pk__in=kept))


class PoliceZone(models.Model):
    """An autonomous local police zone: a member of the federation."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    # A zone's name in Dutch (its historic name, in every zone table) and, from the member
    # register, in French; ``zone.name`` is the one in the reader's language.
    name = BilingualField(models.CharField, _("name"), max_length=150, required=["nl"])
    province = protected_fk(Province, "zones", _("province"))
    language = models.CharField(_("language"), max_length=5, choices=ZoneLanguage.choices)
    population = models.PositiveIntegerField(_("population"), default=0)
    personnel = models.PositiveIntegerField(
        _("personnel"), default=0, help_text=_("Staff in full-time equivalents.")
    )
    email = models.EmailField(_("e-mail of the corps chief's office"), blank=True)
    is_synthetic = synthetic_flag(_("Generated test data, not a real zone."))
    # The member register (catalogue/register): a zone that merged stays, ended and pointing
    # to the new zone, so that what it voted, proposed and attended stays its own.
    delegate_email = models.EmailField(_("e-mail of a delegate"), blank=True)
    merged_into = optional_fk("self", "merged_from", _("merged into"), on_delete=models.PROTECT)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    objects = PoliceZoneQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("police zone")
        verbose_name_plural = _("police zones")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def region(self) -> str:
        return self.province.region


def account_field(
    verbose_name: str,
    *,
    on_delete=models.SET_NULL,
    optional: bool = True,
    related_name: str = "+",
) -> models.ForeignKey:
    """The foreign key to the account that did something (recorded by, merged by …).

    ``optional`` (the default) allows no account; with ``SET_NULL`` the row outlives the
    account, with ``PROTECT`` the account cannot be deleted while the row names it.
    """
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=on_delete,
        null=optional,
        blank=optional,
        related_name=related_name,
        verbose_name=verbose_name,
    )


class UserProfile(models.Model):
    """What the platform knows about a user beyond Django's account: their zone or body."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    zone = optional_fk(PoliceZone, "members", _("police zone"))
    province = optional_fk(
        Province,
        "coordinators",
        _("province"),
        help_text=_("For provincial coordinators: the province they follow."),
    )
    organisation = models.CharField(
        _("organisation"),
        max_length=200,
        blank=True,
        help_text=_("For partners and authorities, e.g. 'Federale Politie'."),
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=settings.LANGUAGES, default="nl"
    )
    show_name_publicly = models.BooleanField(
        _("show my name on public pages"),
        default=False,
        help_text=_(
            "Off: visitors who are not logged in see your police zone or organisation instead of your name (e.g. as the author of a roadmap update)."
        ),
    )

    class Meta:
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")

    def __str__(self) -> str:
        return str(self.user)

    def organisation_label(self) -> str:
        """The zone or body a person speaks for, as shown to visitors instead of their name."""
        if self.zone_id:
            return self.zone.name
        return self.organisation
