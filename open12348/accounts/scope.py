"""Data scope: a staff member sees the region subtree of the organisations they belong to."""

from __future__ import annotations

from django.db.models import Q, QuerySet


def region_paths_for(user) -> list[str] | None:
    """Region paths the user may see, or None for no restriction (superuser).

    An anonymous or organisation-less user gets an empty list: they see nothing.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if user.is_superuser:
        return None
    cached = getattr(user, "_region_paths_cache", None)
    if cached is None:
        paths = sorted(
            set(
                user.memberships.filter(is_active=True).values_list("institution__region__path", flat=True)
            )
        )
        # A path inside another adds nothing; keeping only the shortest keeps the SQL small.
        cached = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
        user._region_paths_cache = cached
    return cached


def restrict_to_regions(queryset: QuerySet, *, user, region_field: str = "region") -> QuerySet:
    paths = region_paths_for(user)
    if paths is None:
        return queryset
    if not paths:
        return queryset.none()
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{region_field}__path__startswith": path})
    return queryset.filter(condition)
