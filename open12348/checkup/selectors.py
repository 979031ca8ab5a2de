"""Reads of enterprise legal check-ups: lists in the user's region, and the figures the seed gives
(enterprises visited, workers interviewed, problems by kind, opinions, reports, applications) per
campaign, county and period."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet

from open12348.accounts.scope import region_paths_for, restrict_to_regions
from open12348.network.choices import RegionLevel
from open12348.network.models import Region

from .choices import CheckupVisitStatus, FollowUpResult, ProblemKind
from .models import Campaign, Finding, NamedWorker, Visit


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["".join(f"{p}/" for p in parts[:n]) for n in range(1, len(parts) + 1)]


def campaigns_for(user) -> QuerySet[Campaign]:
    """Campaigns of the user's area: those in it, and those of a wider area that contains it (a city
    campaign is visible to a county or township that takes part)."""
    qs = Campaign.objects.select_related("organiser", "region")
    paths = region_paths_for(user)
    if paths is None:
        return qs
    if not paths:
        return qs.none()
    condition = Q(region__path__in={a for p in paths for a in _ancestor_paths(p)})
    for path in paths:
        condition |= Q(region__path__startswith=path)
    return qs.filter(condition)


def campaign_list(user) -> list[Campaign]:
    campaigns = list(campaigns_for(user).order_by("-starts_on", "-id"))
    counts = dict(visits_for(user).filter(campaign__in=campaigns).exclude(status=CheckupVisitStatus.PLANNED)
                  .values("campaign").annotate(n=Count("enterprise", distinct=True)).values_list("campaign", "n"))
    for campaign in campaigns:
        campaign.enterprises_visited = counts.get(campaign.pk, 0)
    return campaigns


def visits_for(user) -> QuerySet[Visit]:
    return restrict_to_regions(Visit.objects.all(), user=user, region_field="region")


def visit_list(user, *, campaign: Campaign | None = None, status: str = "", query: str = "") -> QuerySet[Visit]:
    qs = visits_for(user).select_related("enterprise", "region", "campaign").annotate(
        problems=Count("findings", filter=Q(findings__found=True)))
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if status:
        qs = qs.filter(status=status)
    if query:
        qs = qs.filter(Q(enterprise__name__icontains=query) | Q(enterprise__credit_code__iexact=query.strip()))
    return qs.order_by("-planned_on", "-id")


# --- figures -------------------------------------------------------------------------------------

@dataclass
class FigureRow:
    label: str
    code: str = ""
    visits: int = 0
    enterprises: set = field(default_factory=set)
    workers_interviewed: int = 0
    problems: Counter = field(default_factory=Counter)
    workers_affected: Counter = field(default_factory=Counter)
    opinions: int = 0
    reports: int = 0
    follow_ups: Counter = field(default_factory=Counter)
    applications: int = 0

    @property
    def enterprises_visited(self) -> int:
        return len(self.enterprises)

    @property
    def problems_total(self) -> int:
        return sum(self.problems.values())

    def problem_counts(self) -> list[int]:
        return [self.problems.get(kind, 0) for kind in ProblemKind.values]

    def follow_up_counts(self) -> list[int]:
        return [self.follow_ups.get(result, 0) for result in FollowUpResult.values]


@dataclass
class Figures:
    campaign: Campaign | None
    county: Region | None
    start: dt.date | None
    end: dt.date | None
    total: FigureRow
    by_county: list[FigureRow]


def _county_code(path: str) -> str:
    return next((c for c in path.split("/") if len(c) == 6), "")


def checkup_figures(user, *, campaign: Campaign | None = None, county: Region | None = None,
                    start: dt.date | None = None, end: dt.date | None = None) -> Figures:
    """Visits that took place (status past "planned") in the user's area, filtered by campaign, county
    and visit day. An enterprise visited twice counts once among the enterprises visited. Four queries
    whatever the number of visits."""
    qs = visits_for(user).exclude(status=CheckupVisitStatus.PLANNED)
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if county is not None:
        qs = qs.filter(region__path__startswith=county.path)
    if start is not None:
        qs = qs.filter(visited_on__gte=start)
    if end is not None:
        qs = qs.filter(visited_on__lte=end)
    rows = list(qs.annotate(has_opinion=ExpressionWrapper(~Q(opinion=""), output_field=BooleanField())).values_list(
        "id", "enterprise_id", "region__path", "workers_interviewed", "report_issued_on", "follow_up_result",
        "has_opinion"))
    county_of_visit: dict[int, str] = {}
    total = FigureRow(label="")
    per_county: dict[str, FigureRow] = {}
    for visit_id, enterprise_id, path, workers, reported, follow_up, has_opinion in rows:
        code = _county_code(path)
        county_of_visit[visit_id] = code
        row = per_county.setdefault(code, FigureRow(label=code, code=code))
        for target in (total, row):
            target.visits += 1
            target.enterprises.add(enterprise_id)
            target.workers_interviewed += workers
            target.opinions += 1 if has_opinion else 0
            target.reports += 1 if reported else 0
            if follow_up:
                target.follow_ups[follow_up] += 1
    ids = list(county_of_visit)
    if ids:
        for visit_id, kind, affected in Finding.objects.filter(visit_id__in=ids, found=True).values_list(
                "visit_id", "kind", "workers_affected"):
            for target in (total, per_county[county_of_visit[visit_id]]):
                target.problems[kind] += 1
                target.workers_affected[kind] += affected
        applications = defaultdict(int)
        for visit_id in NamedWorker.objects.filter(visit_id__in=ids, application__isnull=False).values_list(
                "visit_id", flat=True):
            applications[county_of_visit[visit_id]] += 1
        for code, n in applications.items():
            per_county[code].applications += n
            total.applications += n
    names = dict(Region.objects.filter(code__in=list(per_county)).values_list("code", "name"))
    for code, row in per_county.items():
        row.label = names.get(code, code)
    return Figures(campaign=campaign, county=county, start=start, end=end, total=total,
                   by_county=sorted(per_county.values(), key=lambda r: r.code))


def counties_for(user) -> QuerySet[Region]:
    """The county-level divisions the user may filter the figures by."""
    qs = Region.objects.filter(level=RegionLevel.COUNTY).order_by("code")
    paths = region_paths_for(user)
    if paths is None:
        return qs
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(path__startswith=path) | Q(path__in=_ancestor_paths(path))
    return qs.filter(condition)
