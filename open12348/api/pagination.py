from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError

from open12348.core.pagination import CappedPaginator


class PageNumberPagination(pagination.PageNumberPagination):
    """Bounded pages: a client cannot ask for the whole table at once."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request) -> int:
        """A page size that is not a whole number from 1 up is a 400, not silently the default; one above
        the maximum is the maximum."""
        raw = request.query_params.get(self.page_size_query_param, "")
        if raw and not (raw.isascii() and raw.isdigit() and int(raw) >= 1):
            raise ValidationError({self.page_size_query_param: [
                _("The page size must be a whole number from 1 to %(max)d.") % {"max": self.max_page_size}]})
        return super().get_page_size(request)


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
