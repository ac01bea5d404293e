"""Pages of lists (its own module: DRF imports it while building its generic views)."""

from rest_framework import pagination


class Pagination(pagination.PageNumberPagination):
    """``?page=2&page_size=100``; ``count``, ``next`` and ``previous`` say where you are."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
