"""Pagination for lists that can be very large (a province's cases)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """Counts at most `cap` rows, so numbering the pages never scans a whole province.

    Past the cap the list shows "more than N" and pages up to the cap; filters narrow it down.
    """

    cap = 1000

    @cached_property
    def count(self) -> int:
        # Without the ordering: counting a thousand rows must not sort a million first.
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap


def paginate_in_two_steps(queryset, *, number, per_page: int):
    """A page of a large, joined, sorted list: sort and cut on the ids first, then load the rows.

    PostgreSQL otherwise joins every visible row to its related tables before sorting and taking
    twenty. The rows come back in the queryset's own order, with its annotations and joins.
    """
    paginator = CappedPaginator(queryset.values_list("pk", flat=True), per_page)
    page = paginator.get_page(number)
    ids = list(page.object_list)
    page.object_list = list(queryset.filter(pk__in=ids)) if ids else []
    return page
