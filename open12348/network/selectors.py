"""Reads of the service network: the public directory and staff lists."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from open12348.accounts.scope import restrict_to_regions

from .choices import REGION_LEVEL_DEPTH, RegionLevel
from .models import Institution, Practitioner, Region, ServicePoint
from .pinyin import looks_like_pinyin, normalise_pinyin_query

MAX_REGION_DEPTH = max(REGION_LEVEL_DEPTH.values())


def region_by_code(code: str) -> Region | None:
    return Region.objects.filter(code=code).first() if code else None


def region_children(*, parent: Region | None) -> QuerySet[Region]:
    qs = Region.objects.filter(parent=parent) if parent else Region.objects.filter(parent__isnull=True)
    return qs.order_by("code")


def regions_by_codes(*, codes: Iterable[str]) -> dict[str, Region]:
    codes = {c for c in codes if c}
    if not codes:
        return {}
    return {r.code: r for r in Region.objects.filter(code__in=codes)}


def attach_region_display_names(*, regions: Iterable[Region | None]) -> None:
    """Set `display_name` (平顶山市新华区…) on each region with one query for the whole page.

    `Region.full_name()` costs a query per region; lists use this instead.
    """
    regions = [r for r in regions if r is not None]
    codes = {c for r in regions for c in r.ancestor_codes()}
    if not codes:
        return
    names = dict(
        Region.objects.filter(code__in=codes).exclude(level=RegionLevel.PROVINCE).values_list("code", "name")
    )
    for region in regions:
        region.display_name = "".join(names.get(c, "") for c in region.ancestor_codes())


@dataclass(frozen=True)
class RegionPickerLevel:
    """One select of the cascading region picker: the children of `parent`, one of them chosen."""

    depth: int
    level_label: str
    parent: Region | None
    options: list[Region]
    selected: str


def directory_region_picker(*, selected: Region | None) -> list[RegionPickerLevel]:
    """The picker's selects from the first level with a choice down to villages.

    Levels with a single region (a deployment for one province and one city) are skipped, so a
    city's site starts at its counties. A fixed number of queries whatever the region chosen.
    """
    parent: Region | None = None
    options = list(region_children(parent=None))
    for _level in range(MAX_REGION_DEPTH):
        if len(options) != 1:
            break
        children = list(region_children(parent=options[0]))
        if not children:
            break
        parent, options = options[0], children
    if not options:
        return []
    first_depth = options[0].depth
    chain: list[Region] = []
    if selected is not None:
        chain = [r for r in selected.ancestors(include_self=True) if r.depth >= first_depth]
    children_of: dict[int, list[Region]] = defaultdict(list)
    if chain:
        for region in Region.objects.filter(parent__in=chain).order_by("code"):
            children_of[region.parent_id].append(region)
    labels = {depth: RegionLevel(level).label for level, depth in REGION_LEVEL_DEPTH.items()}
    levels = []
    for depth in range(first_depth, MAX_REGION_DEPTH + 1):
        index = depth - first_depth
        chosen = chain[index] if index < len(chain) else None
        levels.append(RegionPickerLevel(
            depth=depth, level_label=labels.get(depth, ""), parent=parent, options=options,
            selected=chosen.code if chosen else "",
        ))
        if chosen is None:
            parent, options = None, []
        else:
            parent, options = chosen, children_of.get(chosen.pk, [])
    return levels


def _name_query(q: str, *, extra_fields: tuple[str, ...] = ()) -> Q:
    """Free text: Chinese matches names (and the extra fields); ASCII also matches pinyin."""
    q = q.strip()
    cond = Q(name__icontains=q)
    for field in extra_fields:
        cond |= Q(**{f"{field}__icontains": q})
    if looks_like_pinyin(q):
        key = normalise_pinyin_query(q)
        cond |= Q(name_initials__startswith=key) | Q(name_pinyin__startswith=key)
        if len(key) >= 2:
            cond |= Q(name_initials__contains=key) | Q(name_pinyin__contains=key)
    return cond


def _in_region(qs: QuerySet, region: Region | None) -> QuerySet:
    if region is None:
        return qs
    return qs.filter(region__path__startswith=region.path)


def directory_institutions(
    *, q: str = "", region: Region | None = None, kind: str = "", service: str = ""
) -> QuerySet[Institution]:
    qs = Institution.objects.filter(is_public=True)
    qs = _in_region(qs, region)
    if kind:
        qs = qs.filter(kind=kind)
    if service:
        qs = qs.filter(services__code=service)
    if q:
        qs = qs.filter(_name_query(q, extra_fields=("address",)))
    return qs.select_related("region").prefetch_related("services").order_by("name", "id")


def directory_practitioners(
    *, q: str = "", region: Region | None = None, kind: str = "", specialty: str = "", institution_id: int | None = None
) -> QuerySet[Practitioner]:
    qs = Practitioner.objects.filter(is_public=True)
    qs = _in_region(qs, region)
    if kind:
        qs = qs.filter(kind=kind)
    if specialty:
        qs = qs.filter(specialties__code=specialty)
    if institution_id:
        qs = qs.filter(institution_id=institution_id)
    if q:
        qs = qs.filter(_name_query(q, extra_fields=("institution__name",)))
    return qs.select_related("region", "institution").prefetch_related("specialties").order_by("name", "id")


def directory_service_points(
    *, region: Region | None = None, kind: str = "", q: str = "", service: str = ""
) -> QuerySet[ServicePoint]:
    qs = ServicePoint.objects.filter(is_public=True)
    qs = _in_region(qs, region)
    if kind:
        qs = qs.filter(kind=kind)
    if service:
        qs = qs.filter(services__code=service)
    if q:
        q = q.strip()
        qs = qs.filter(Q(name__icontains=q) | Q(address__icontains=q))
    return (
        qs.select_related("region", "institution")
        .prefetch_related("services")
        .order_by("region__code", "kind", "name", "id")
    )


def institution_list_visible_to(*, user, filters: dict | None = None) -> QuerySet[Institution]:
    filters = filters or {}
    qs = restrict_to_regions(Institution.objects.all(), user=user)
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("q"):
        qs = qs.filter(_name_query(filters["q"]))
    return qs.select_related("region").order_by("name", "id")


def practitioner_list_visible_to(*, user, filters: dict | None = None) -> QuerySet[Practitioner]:
    filters = filters or {}
    qs = restrict_to_regions(Practitioner.objects.all(), user=user)
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("q"):
        qs = qs.filter(_name_query(filters["q"]))
    return qs.select_related("region", "institution").order_by("name", "id")
