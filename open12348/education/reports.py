"""The outreach report: activities held in a period by county, kind and audience.

Counted: activities whose start falls in the period (inclusive) and whose status is HELD; their
attendance and follow-up requests are summed. Planned and cancelled activities are counted on the
side. Scope: the activities the user may see, optionally narrowed to one region's subtree. One
query whatever the number of activities; the grouping is done in Python over plain tuples.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from open12348.accounts.scope import restrict_to_regions
from open12348.network.choices import RegionLevel
from open12348.network.models import Region

from .choices import ActivityKind, ActivityStatus, EducationAudience
from .models import Activity


@dataclass
class Row:
    label: str
    held: int = 0
    attendance: int = 0
    follow_ups: int = 0

    def add(self, attendance: int | None, follow_ups: int) -> None:
        self.held += 1
        self.attendance += attendance or 0
        self.follow_ups += follow_ups or 0


@dataclass
class ActivityReport:
    start: dt.date
    end: dt.date
    region: Region | None
    generated_on: dt.date
    by_county: list[Row] = field(default_factory=list)
    by_kind: list[Row] = field(default_factory=list)
    by_audience: list[Row] = field(default_factory=list)
    total: Row = field(default_factory=lambda: Row(""))
    planned: int = 0
    cancelled: int = 0

    @property
    def region_name(self) -> str:
        return self.region.name if self.region else _("All areas you can see")

    def tables(self) -> list[tuple[str, list[Row]]]:
        return [(_("By county"), self.by_county), (_("By kind"), self.by_kind), (_("By audience"), self.by_audience)]


def _county_path(path: str) -> str:
    parts = [p for p in path.split("/") if p]
    return "/".join(parts[:3]) + "/" if len(parts) >= 3 else path


def activity_report(*, user, start: dt.date, end: dt.date, region: Region | None = None) -> ActivityReport:
    qs = restrict_to_regions(Activity.objects.all(), user=user).filter(starts_at__date__gte=start,
                                                                       starts_at__date__lte=end)
    if region is not None:
        qs = qs.filter(region__path__startswith=region.path)
    report = ActivityReport(start=start, end=end, region=region, generated_on=timezone.localdate())
    report.total = Row(_("Total"))
    county_rows: dict[str, Row] = {}
    kind_rows = {value: Row(str(label)) for value, label in ActivityKind.choices}
    audience_rows = {value: Row(str(label)) for value, label in EducationAudience.choices}
    counties = {r.path: r.name for r in Region.objects.filter(level=RegionLevel.COUNTY)}
    cities = {r.path: r.name for r in Region.objects.filter(level=RegionLevel.CITY)}
    counts: dict[str, int] = defaultdict(int)
    for path, kind, audience, status, attendance, follow_ups in qs.values_list(
            "region__path", "kind", "audience", "status", "attendance", "follow_up_count").order_by():
        counts[status] += 1
        if status != ActivityStatus.HELD:
            continue
        county = _county_path(path)
        if county not in county_rows:
            county_rows[county] = Row(counties.get(county) or cities.get(path) or _("City level"))
        county_rows[county].add(attendance, follow_ups)
        kind_rows[kind].add(attendance, follow_ups)
        audience_rows[audience].add(attendance, follow_ups)
        report.total.add(attendance, follow_ups)
    report.by_county = [county_rows[k] for k in sorted(county_rows)]
    report.by_kind = list(kind_rows.values())
    report.by_audience = list(audience_rows.values())
    report.planned = counts[ActivityStatus.PLANNED]
    report.cancelled = counts[ActivityStatus.CANCELLED]
    return report
