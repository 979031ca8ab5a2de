"""Reads of the service network: the public directory and staff lists."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from open12348.accounts.scope import restrict_to_regions

from .models import Institution, Practitioner, Region, ServicePoint
from .pinyin import looks_like_pinyin, normalise_pinyin_query


def region_by_code(code: str) -> Region | None:
    return Region.objects.filter(code=code).first() if code else None


def region_children(*, parent: Region | None) -> QuerySet[Region]:
    qs = Region.objects.filter(parent=parent) if parent else Region.objects.filter(parent__isnull=True)
    return qs.order_by("code")


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


def directory_service_points(*, region: Region | None = None, kind: str = "", q: str = "") -> QuerySet[ServicePoint]:
    qs = ServicePoint.objects.filter(is_public=True)
    qs = _in_region(qs, region)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(address__icontains=q))
    return qs.select_related("region").prefetch_related("services").order_by("region__code", "kind", "name")


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
