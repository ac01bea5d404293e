"""E-mail digests for owners: overdue milestones and initiatives that need an update."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from memorandum.lib.mail import absolute_link
from memorandum.roadmap.models import Initiative, Milestone, today


@dataclass
class Digest:
    user: object
    language: str
    overdue: list[Milestone] = field(default_factory=list)
    stale: list[Initiative] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.overdue or self.stale)


def user_language(user) -> str:
    profile = getattr(user, "profile", None)
    return getattr(profile, "preferred_language", None) or settings.LANGUAGE_CODE[:2]


def digests(days: int, on: dt.date | None = None, *, user_id: int | None = None) -> list[Digest]:
    """One digest per owner who has something to do (or only ``user_id``'s), in the
    owner's preferred language."""
    on = on or today()
    by_user: dict[int, Digest] = {}
    owners = (
        get_user_model()
        .objects.filter(roadmap_initiatives__isnull=False, is_active=True)
        .exclude(email="")
        .distinct()
    )
    if user_id is not None:
        owners = owners.filter(pk=user_id)
    for user in owners.select_related("profile"):
        by_user[user.pk] = Digest(user, user_language(user))
    initiatives = Initiative.objects.filter(owners__in=by_user.keys()).select_related("edition")
    for milestone in (
        Milestone.objects.overdue(on)
        .filter(initiative__in=initiatives)
        .select_related("initiative__edition")
        .prefetch_related("initiative__owners")
    ):
        for owner in milestone.initiative.owners.all():
            if owner.pk in by_user:
                by_user[owner.pk].overdue.append(milestone)
    for initiative in (
        Initiative.objects.filter(pk__in=initiatives)
        .stale(days, on)
        .select_related("edition")
        .prefetch_related("owners")
    ):
        for owner in initiative.owners.all():
            if owner.pk in by_user:
                by_user[owner.pk].stale.append(initiative)
    return [d for d in by_user.values() if not d.is_empty]


def digest_message(digest: Digest, days: int, on: dt.date | None = None) -> EmailMessage:
    with translation.override(digest.language):

        def link(initiative: Initiative) -> str:
            return absolute_link("roadmap:initiative", initiative.edition.slug, initiative.pk)

        context = {
            "digest": digest,
            "days": days,
            "on": on or today(),
            "overdue": [(m, link(m.initiative)) for m in digest.overdue],
            "stale": [(i, link(i)) for i in digest.stale],
            "count": len(digest.overdue) + len(digest.stale),
        }
        subject = render_to_string("roadmap/reminder_subject.txt", context).strip()
        body = render_to_string("roadmap/reminder_email.txt", context)
    return EmailMessage(subject, body, to=[digest.user.email])
