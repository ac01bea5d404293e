"""Reads of the catalogue that other apps share: an edition or a recommendation as a given
user may see it (404 otherwise, so drafts stay invisible)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from memorandum.catalogue.models import KIND_PREFIX, Edition, Recommendation
from memorandum.lib.validation import is_plain_number

PREFIX_KIND = {prefix: kind for kind, prefix in KIND_PREFIX.items()}


def edition_for(user, slug: str) -> Edition:
    """The edition, if this user may see it (404 otherwise, so drafts stay invisible)."""
    return get_object_or_404(Edition.objects.visible_to(user), slug=slug)


def recommendation_for(user, edition: Edition, code: str) -> Recommendation:
    """The recommendation with this code (``A12``, ``E3``) of the edition, if visible."""
    kind = PREFIX_KIND.get(code[:1].upper())
    if kind is None or not is_plain_number(code[1:], digits=9):
        raise Http404  # "R²" or "R٣" would pass str.isdigit and break int()
    queryset = Recommendation.objects.visible_to(user).select_related(
        "edition", "domain", "theme__domain"
    )
    return get_object_or_404(queryset, edition=edition, kind=kind, number=int(code[1:]))
