from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """Bounded pages: a client cannot ask for the whole table at once."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
