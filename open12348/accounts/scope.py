"""Data scope: a staff member sees the region subtree of the organisations they belong to."""

from __future__ import annotations

from django.db.models import Q, QuerySet

# Up to this many regions the filter is an explicit list of ids, which PostgreSQL estimates well
# and serves from the foreign key's index; a larger subtree is matched by its path instead.
REGION_ID_LIST_LIMIT = 5000


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


def _region_condition(user, paths: list[str]) -> tuple[str, object]:
    """How to restrict to `paths`: ("all", None), ("ids", [ids]) or ("paths", Q on the path)."""
    cached = getattr(user, "_region_condition_cache", None)
    if cached is not None:
        return cached
    from open12348.network.models import Region

    if not Region.objects.filter(parent__isnull=True).exclude(path__in=paths).exists():
        cached = ("all", None)  # the user's regions are every root: the whole database is theirs
    else:
        by_path = Q()
        for path in paths:
            by_path |= Q(path__startswith=path)
        ids = list(Region.objects.filter(by_path).values_list("id", flat=True)[: REGION_ID_LIST_LIMIT + 1])
        cached = ("ids", ids) if len(ids) <= REGION_ID_LIST_LIMIT else ("paths", None)
    user._region_condition_cache = cached
    return cached


def restrict_to_regions(queryset: QuerySet, *, user, region_field: str = "region") -> QuerySet:
    paths = region_paths_for(user)
    if paths is None:
        return queryset
    if not paths:
        return queryset.none()
    kind, ids = _region_condition(user, paths)
    if kind == "all":
        return queryset
    if kind == "ids":
        return queryset.filter(**{f"{region_field}__in": ids})
    condition = Q()
    for path in paths:
        condition |= Q(**{f"{region_field}__path__startswith": path})
    return queryset.filter(condition)
