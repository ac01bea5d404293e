"""A paged list keeps its filters from page to page."""

from __future__ import annotations

from django.test import RequestFactory

from memorandum.lib.paging import paginate


def test_the_pager_links_keep_the_filters_but_not_the_page_number():
    """'?status=new&page=2' gives page 2 and 'status=new' for the pager to add its own page."""
    request = RequestFactory().get("/", {"status": "new", "page": "2"})
    page, query_string = paginate(request, list(range(120)))
    assert page.number == 2
    assert list(page.object_list) == list(range(50, 100))
    assert query_string == "status=new"


def test_a_page_number_past_the_end_shows_the_last_page():
    """A stale link to page 9 of a list that shrank shows its last page, not an error."""
    page, _query_string = paginate(RequestFactory().get("/", {"page": "9"}), list(range(60)))
    assert page.number == 2
