"""The paged lists: one page of a list and its filters, as the shared ``pager.html`` wants them."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PER_PAGE = 50


def paginate(
    request: HttpRequest, items: QuerySet | Sequence, per_page: int = PER_PAGE
) -> tuple[Page, str]:
    """The page of ``items`` the request asks for (the last one when the number is too high)
    and the request's query string without ``page``, which ``pager.html`` adds to its links so
    that the filters stay as they are."""
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()
