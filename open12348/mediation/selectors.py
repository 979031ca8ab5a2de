"""Reads of people's mediation: the case list and the figures (by type, committee, success rate,
median time to resolve), always within the reader's region."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from open12348.accounts.scope import restrict_to_regions

from .choices import DisputeStatus, DisputeType
from .models import DisputeCase, Party
from .workflow import CLOSED


@dataclass(frozen=True)
class DisputeFilters:
    status: str = ""
    dispute_type: str = ""
    committee: int | None = None
    region_path: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    overdue: bool = False


def dispute_list(*, user, filters: DisputeFilters = DisputeFilters(), today: dt.date | None = None) -> QuerySet:
    qs = restrict_to_regions(DisputeCase.objects.all(), user=user).select_related("committee", "region")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.dispute_type:
        qs = qs.filter(dispute_type=filters.dispute_type)
    if filters.committee:
        qs = qs.filter(committee_id=filters.committee)
    if filters.region_path:
        qs = qs.filter(region__path__startswith=filters.region_path)
    if filters.date_from:
        qs = qs.filter(received_on__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(received_on__lte=filters.date_to)
    if filters.overdue and today is not None:
        qs = qs.filter(status__in=[DisputeStatus.AWAITING_CONSENT, DisputeStatus.MEDIATING], guideline_due__lt=today)
    return qs.prefetch_related(Prefetch("parties", queryset=Party.objects.order_by("side", "position", "id")))


@dataclass
class Row:
    key: str
    label: str
    total: int = 0
    closed: int = 0
    agreed: int = 0
    days: list[int] = field(default_factory=list)

    @property
    def success_rate(self) -> float | None:
        """Agreements among the cases that ended (open cases do not count either way)."""
        return round(100 * self.agreed / self.closed, 1) if self.closed else None

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.days) if self.days else None


@dataclass
class MediationStats:
    overall: Row
    by_type: list[Row]
    by_committee: list[Row]
    confirmed: int
    effective: int
    overdue: int


def mediation_stats(*, user, filters: DisputeFilters = DisputeFilters(), today: dt.date) -> MediationStats:
    qs = dispute_list(user=user, filters=filters).prefetch_related(None).order_by()
    rows = qs.values_list("dispute_type", "committee_id", "committee__name", "status", "received_on", "closed_on",
                          "guideline_due")
    overall = Row("all", "")
    types = {value: Row(value, str(label)) for value, label in DisputeType.choices}
    committees: dict[int, Row] = {}
    overdue = 0
    for dispute_type, committee_id, committee_name, status, received_on, closed_on, guideline_due in rows:
        committee = committees.setdefault(committee_id, Row(str(committee_id), committee_name))
        for row in (overall, types[dispute_type], committee):
            row.total += 1
            if status in CLOSED:
                row.closed += 1
                if closed_on:
                    row.days.append((closed_on - received_on).days)
            if status == DisputeStatus.AGREED:
                row.agreed += 1
        if (closed_on or today) > guideline_due:
            overdue += 1
    agreements = qs.filter(status=DisputeStatus.AGREED).aggregate(
        effective=Count("agreement", filter=Q(agreement__effective_on__isnull=False)),
        confirmed=Count("agreement", filter=Q(agreement__confirmation_result="confirmed")),
    )
    return MediationStats(overall=overall, by_type=[r for r in types.values() if r.total],
                          by_committee=sorted(committees.values(), key=lambda r: (-r.total, r.label)),
                          confirmed=agreements["confirmed"], effective=agreements["effective"], overdue=overdue)
