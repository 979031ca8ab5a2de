from rest_framework import pagination

from open12348.core.pagination import CappedPaginator


class PageNumberPagination(pagination.PageNumberPagination):
    """Bounded pages: a client cannot ask for the whole table at once."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class TwoStepPagination(PageNumberPagination):
    """For lists that can reach a province's size: a capped count, and the page's rows loaded
    after sorting and cutting on their ids (see core.pagination.paginate_in_two_steps)."""

    django_paginator_class = CappedPaginator

    def paginate_queryset(self, queryset, request, view=None):
        ids = super().paginate_queryset(queryset.values_list("pk", flat=True), request, view)
        if ids is None:
            return None
        ids = list(ids)
        return list(queryset.filter(pk__in=ids)) if ids else []
