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
        return self.object_list[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap
