"""The dashboard's figures, read from the tallies within the viewer's data scope.

Every function takes the user and a period (inclusive dates) and returns plain numbers, so that
the pages, the Excel exports and the API say the same thing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from open12348.accounts.scope import region_paths_for
from open12348.network.models import Region

from .models import Grain, Tally

CLOSED_CALLBACKS = ("reached", "unreachable", "withdrawn")
SATISFIED = ("satisfied", "fair")


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @classmethod
    def year_to_date(cls, today: dt.date | None = None) -> Period:
        today = today or timezone.localdate()
        return cls(dt.date(today.year, 1, 1), today)

    def previous_year(self) -> Period:
        def back(day: dt.date) -> dt.date:
            try:
                return day.replace(year=day.year - 1)
            except ValueError:  # 29 February
                return day.replace(year=day.year - 1, day=28)
        return Period(back(self.start), back(self.end))


def _month_after(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _months(start: dt.date, end: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """[start, end] as whole months (grain m, by their 1st) and the days left at either end."""
    if start > end:
        return []
    first = start if start.day == 1 else _month_after(start)
    last_day = end if _month_after(end) - dt.timedelta(days=1) == end else end.replace(day=1) - dt.timedelta(days=1)
    if first > last_day:
        return [(Grain.DAY, start, end)]
    pieces = [(Grain.MONTH, first, last_day.replace(day=1))]
    if start < first:
        pieces.insert(0, (Grain.DAY, start, first - dt.timedelta(days=1)))
    if last_day < end:
        pieces.append((Grain.DAY, last_day + dt.timedelta(days=1), end))
    return pieces


def period_pieces(period: Period, *, coarsest: str = Grain.YEAR) -> list[tuple[str, dt.date, dt.date]]:
    """The period as the fewest cells: whole years, then whole months, then days; each piece is
    (grain, first cell's day, last cell's day). Cells of the pieces cover every day once."""
    start, end = period.start, period.end
    first_year = start.year if (start.month, start.day) == (1, 1) else start.year + 1
    last_year = end.year if (end.month, end.day) == (12, 31) else end.year - 1
    if coarsest != Grain.YEAR or first_year > last_year:
        return _months(start, end)
    return (_months(start, dt.date(first_year, 1, 1) - dt.timedelta(days=1))
            + [(Grain.YEAR, dt.date(first_year, 1, 1), dt.date(last_year, 1, 1))]
            + _months(dt.date(last_year, 12, 31) + dt.timedelta(days=1), end))


def scope_roots(*, user, region: Region | None = None) -> list[Region]:
    """The regions whose subtrees the figures cover: the chosen one, or the tops of the user's scope."""
    paths = region_paths_for(user)
    if region is not None:  # only a region inside the user's scope
        return [region] if paths is None or any(region.path.startswith(p) for p in paths) else []
    if paths is None:
        return list(Region.objects.filter(parent__isnull=True).only("pk", "path"))
    return list(Region.objects.filter(path__in=paths).only("pk", "path"))


def tallies(*, user, metric: str | list[str], period: Period, region: Region | None = None,
            coarsest: str = Grain.YEAR) -> QuerySet:
    """The cells of a metric (or several) that sum to the period within the user's scope: a few
    years' and months' cells of the scope's top regions (which hold their subtrees), and the days'
    cells at the period's ends of every region in the subtrees."""
    roots = scope_roots(user=user, region=region)
    if not roots:
        return Tally.objects.none()
    below = Q(pk__in=[])
    for root in roots:
        below |= Q(region__path__startswith=root.path)
    covering = Q(pk__in=[])
    for grain, first, last in period_pieces(period, coarsest=coarsest):
        piece = Q(grain=grain, day__gte=first, day__lte=last)
        covering |= piece & (below if grain == Grain.DAY else Q(region__in=[r.pk for r in roots]))
    metrics = [metric] if isinstance(metric, str) else list(metric)
    return Tally.objects.filter(covering, metric__in=metrics)


def _sums(qs: QuerySet) -> dict:
    got = qs.aggregate(n=Sum("n"), people=Sum("people"), amount=Sum("amount"), duration=Sum("duration"),
                       on_time=Sum("on_time"))
    return {k: (v if v is not None else (Decimal(0) if k == "amount" else 0)) for k, v in got.items()}


class _Cells:
    """Several metrics' sums by their dimensions, read in one query; the figures are picked from them."""

    def __init__(self, qs: QuerySet) -> None:
        self.rows = list(qs.order_by().values("metric", "a", "b", "c").annotate(
            n=Sum("n"), people=Sum("people"), amount=Sum("amount"), duration=Sum("duration"),
            on_time=Sum("on_time")))

    def _matching(self, metric: str, dims: dict) -> list[dict]:
        return [r for r in self.rows if r["metric"] == metric and all(
            (r[k] in v) if isinstance(v, tuple) else r[k] == v for k, v in dims.items())]

    def sums(self, metric: str, **dims) -> dict:
        rows = self._matching(metric, dims)
        return {m: sum((r[m] for r in rows), Decimal(0) if m == "amount" else 0)
                for m in ("n", "people", "amount", "duration", "on_time")}

    def by(self, metric: str, dim: str, measure: str = "n", **dims) -> dict:
        out: dict = {}
        for r in self._matching(metric, dims):
            out[r[dim]] = out.get(r[dim], 0) + r[measure]
        return out


def _share(part: int | Decimal, whole: int | Decimal) -> float | None:
    return round(100 * float(part) / float(whole), 2) if whole else None


def _by(qs: QuerySet, field: str, measure: str = "n") -> dict[str, int | Decimal]:
    return {row[field]: row["v"] for row in qs.order_by().values(field).annotate(v=Sum(measure))}


LEGAL_AID_METRICS = ["aid.applied", "aid.decided", "aid.case", "aid.closed", "aid.case_group", "aid.group"]


def legal_aid_figures(*, user, period: Period, region: Region | None = None) -> dict:
    cells = _Cells(tallies(user=user, metric=LEGAL_AID_METRICS, period=period, region=region))
    applied, decided, cases, closed = (cells.sums("aid.applied"), cells.sums("aid.decided"), cells.sums("aid.case"),
                                       cells.sums("aid.closed"))
    outcomes = cells.by("aid.applied", "c")
    by_category = cells.by("aid.case", "a")
    migrant = cells.sums("aid.case_group", a="migrant_worker")
    return {
        "applications": applied["n"],
        "applications_by_channel": cells.by("aid.applied", "a"),
        "granted": outcomes.get("grant", 0),
        "refused": outcomes.get("refuse", 0),
        "withdrawn": outcomes.get("withdrawn", 0),
        "pending": outcomes.get("pending", 0),
        "notified": outcomes.get("notified", 0),
        "green_channel": applied["on_time"],
        "decided": decided["n"],
        "decided_on_time": decided["on_time"],
        "decided_on_time_pct": _share(decided["on_time"], decided["n"]),
        "average_days_to_decide": round(decided["duration"] / decided["n"], 1) if decided["n"] else None,
        "cases": cases["n"],
        "cases_by_category": by_category,
        "criminal_cases": by_category.get("criminal", 0),
        "criminal_share_pct": _share(by_category.get("criminal", 0), cases["n"]),
        "assigned_on_time_pct": _share(cases["on_time"], cases["n"]),
        "people_aided": cases["people"],
        "cases_closed": closed["n"],
        "amount_recovered": closed["amount"],
        "migrant_worker_cases": migrant["n"],
        "migrant_workers_aided": migrant["people"],
        "migrant_worker_amount_recovered": migrant["amount"],
        "groups": cells.by("aid.group", "a"),
    }


def hotline_figures(*, user, period: Period, region: Region | None = None, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    cells = _Cells(tallies(user=user, metric=["hotline.call", "hotline.callback", "hotline.rating"], period=period,
                           region=region))
    served = cells.sums("hotline.call", a="call")
    messages = cells.sums("hotline.call", a=tuple({r["a"] for r in cells.rows if r["a"] != "call"}))
    due = cells.sums("hotline.callback")
    done = cells.sums("hotline.callback", a=CLOSED_CALLBACKS)
    # Overdue: still open and due before today (read by day, so a year's or a month's cell never
    # counts callbacks due later).
    before_today = Period(period.start, min(period.end, today - dt.timedelta(days=1)))
    overdue = _sums(tallies(user=user, metric="hotline.callback", period=before_today, region=region)
                    .filter(a="open")) if before_today.start <= before_today.end else {"n": 0}
    ratings = cells.by("hotline.rating", "a")
    rated = sum(ratings.values())
    happy = sum(ratings.get(level, 0) for level in SATISFIED)
    return {
        "calls": served["n"],
        "answered": served["on_time"],
        "answer_rate_pct": _share(served["on_time"], served["n"]),
        "average_seconds_to_answer": round(served["duration"] / served["on_time"], 1) if served["on_time"] else None,
        "messages": messages["n"],
        "callbacks_due": due["n"],
        "callbacks_done": done["n"],
        "callbacks_on_time": due["on_time"],
        "callbacks_overdue": overdue["n"],
        "callback_rate_pct": _share(done["n"], due["n"]),
        "rated": rated,
        "satisfaction_pct": _share(happy, rated),
    }


def mediation_figures(*, user, period: Period, region: Region | None = None) -> dict:
    """Disputes received in the period; the success rate is agreements among the mediations that ended
    in an agreement or a failure (a withdrawn dispute or a party's refusal was never mediated to an end)."""
    qs = tallies(user=user, metric="mediation.case", period=period, region=region)
    sums, results = _sums(qs), _by(qs, "b")
    agreed, failed = results.get("agreed", 0), results.get("failed", 0)
    closed = sums["n"] - results.get("open", 0)
    return {
        "disputes": sums["n"], "agreed": agreed, "failed": failed, "open": results.get("open", 0),
        "success_rate_pct": _share(agreed, agreed + failed),
        "closed_within_a_month_pct": _share(sums["on_time"], closed),
        "average_days_to_close": round(sums["duration"] / closed, 1) if closed else None,
        "by_type": _by(qs, "a"),
    }


def video_figures(*, user, period: Period, region: Region | None = None) -> dict:
    qs = tallies(user=user, metric="video.session", period=period, region=region)
    sums = _sums(qs)
    served = sums["on_time"]
    return {
        "sessions": sums["n"], "served": served,
        "average_minutes_waited": round(sums["duration"] / served / 60, 1) if served else None,
        "average_minutes_talked": round(sums["people"] / served / 60, 1) if served else None,
        "points_served": qs.filter(on_time__gt=0).values("a").distinct().count(),
    }


QUALITY_METRICS = ["quality.evaluation", "quality.grade", "quality.ticket", "quality.exemplary"]
SINCE_EVER = dt.date(2000, 1, 1)


def quality_figures(*, user, period: Period, region: Region | None = None, today: dt.date | None = None) -> dict:
    """Case quality: evaluations done, grades given, exemplary cases named and supervision tickets
    opened in the period; `tickets_open_now` counts every ticket still open, whenever it was opened."""
    today = today or timezone.localdate()
    cells = _Cells(tallies(user=user, metric=QUALITY_METRICS, period=period, region=region))
    evaluations, graded = cells.sums("quality.evaluation"), cells.sums("quality.grade")
    tickets, closed = cells.sums("quality.ticket"), cells.sums("quality.ticket", a="closed")
    grades = cells.by("quality.grade", "a")
    open_now = _sums(tallies(user=user, metric="quality.ticket", period=Period(SINCE_EVER, max(today, period.end)),
                             region=region).filter(a="open"))["n"]
    return {
        "evaluations": evaluations["n"],
        "evaluations_by_method": cells.by("quality.evaluation", "a"),
        "average_evaluation_score": round(float(evaluations["amount"]) / evaluations["on_time"], 1)
        if evaluations["on_time"] else None,
        "graded": graded["n"],
        "grades": grades,
        "average_grade_score": round(float(graded["amount"]) / graded["n"], 1) if graded["n"] else None,
        "excellent_share_pct": _share(grades.get("优秀", 0), graded["n"]),
        "unqualified": grades.get("不合格", 0),
        "exemplary_cases": cells.sums("quality.exemplary")["n"],
        "tickets_opened": tickets["n"],
        "tickets_open": cells.sums("quality.ticket", a="open")["n"],
        "tickets_closed": closed["n"],
        "tickets_closed_on_time_pct": _share(closed["on_time"], closed["n"]),
        "tickets_escalated": cells.sums("quality.ticket", c="escalated")["n"],
        "tickets_by_reason": cells.by("quality.ticket", "b"),
        "tickets_open_now": open_now,
    }


def checkup_figures(*, user, period: Period, region: Region | None = None) -> dict:
    """Enterprise check-up visits made in the period (by the day of the visit)."""
    cells = _Cells(tallies(user=user, metric="checkup.visit", period=period, region=region))
    visits = cells.sums("checkup.visit")
    return {"visits": visits["n"], "workers_interviewed": visits["people"],
            "opinions": cells.sums("checkup.visit", c="opinion")["n"],
            "reports": cells.sums("checkup.visit", b="report")["n"],
            "by_status": cells.by("checkup.visit", "a")}


def outreach_figures(*, user, period: Period, region: Region | None = None) -> dict:
    """Legal education outreach activities starting in the period: those held, with their attendance,
    by kind and audience; and those planned or cancelled."""
    cells = _Cells(tallies(user=user, metric="education.activity", period=period, region=region))
    held = cells.sums("education.activity", b="held")
    return {"activities": held["n"], "attendance": held["people"],
            "planned": cells.sums("education.activity", b="planned")["n"],
            "cancelled": cells.sums("education.activity", b="cancelled")["n"],
            "by_kind": cells.by("education.activity", "a", b="held"),
            "attendance_by_kind": cells.by("education.activity", "a", "people", b="held"),
            "by_audience": cells.by("education.activity", "c", b="held")}


# The areas of the overview, each a function of (user, period, region) returning its figures.
AREAS = {"legal_aid": legal_aid_figures, "hotline": hotline_figures, "mediation": mediation_figures,
         "video": video_figures}


def monthly(*, user, metric: str, period: Period, measure: str = "n", region: Region | None = None,
            **cell) -> list[tuple[dt.date, int | Decimal]]:
    """A metric month by month over the period (months without records included, as 0)."""
    qs = tallies(user=user, metric=metric, period=period, region=region, coarsest=Grain.MONTH).filter(**cell)
    got = {row["m"]: row["v"] for row in qs.order_by().annotate(m=TruncMonth("day")).values("m")
           .annotate(v=Sum(measure))}
    months, month = [], period.start.replace(day=1)
    while month <= period.end:
        months.append((month, got.get(month, 0)))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def by_county(*, user, metric: str, period: Period, measure: str = "n", **cell) -> dict[int, int | Decimal]:
    """A metric per county-level region within the user's scope (each county's own subtree cells)."""
    counties = [r for root in scope_roots(user=user) for r in
                Region.objects.filter(level="county", path__startswith=root.path).only("pk", "path")]
    return _per_region(counties, metric=metric, period=period, measure=measure, **cell)


def by_township(*, user, metric: str, period: Period, county: Region, measure: str = "n",
                **cell) -> tuple[dict[int, int | Decimal], int | Decimal]:
    """A metric per township of a county (within the user's scope), and what the county holds at itself:
    legal aid records whose applicant's township is not known (sources._where)."""
    if not scope_roots(user=user, region=county):
        return {}, 0
    townships = list(Region.objects.filter(parent=county, level="township").only("pk", "path"))
    per_township = _per_region(townships, metric=metric, period=period, measure=measure, **cell)
    whole = _sums(tallies(user=user, metric=metric, period=period, region=county).filter(**cell))[measure]
    return per_township, whole - sum(per_township.values())


def _per_region(regions: list[Region], *, metric: str, period: Period, measure: str = "n",
                **cell) -> dict[int, int | Decimal]:
    """A metric per region of a list of disjoint regions: each region's own month and year cells (which
    hold its subtree) and the day cells of its subtree at the period's ends."""
    if not regions:
        return {}
    ids, by_path = [r.pk for r in regions], {r.path: r.pk for r in regions}
    below = Q(pk__in=[])
    for region in regions:
        below |= Q(region__path__startswith=region.path)
    result: dict[int, int | Decimal] = {}
    for grain, first, last in period_pieces(period):
        qs = Tally.objects.filter(metric=metric, grain=grain, day__gte=first, day__lte=last, **cell)
        if grain != Grain.DAY:
            for row in qs.filter(region__in=ids).order_by().values("region").annotate(v=Sum(measure)):
                result[row["region"]] = result.get(row["region"], 0) + row["v"]
            continue
        for row in (qs.filter(below).order_by().values("region__path").annotate(v=Sum(measure))):
            owner = next((pk for path, pk in by_path.items() if row["region__path"].startswith(path)), None)
            if owner is not None:
                result[owner] = result.get(owner, 0) + row["v"]
    return result


def breakdown(*, user, metric: str, period: Period, by: str, region: Region | None = None,
              **cell) -> list[dict]:
    """A metric's sums by one dimension (`a`, `b`, `c` or `region`), largest first."""
    qs = tallies(user=user, metric=metric, period=period, region=region).filter(**cell)
    rows = (qs.order_by().values(by).annotate(n=Sum("n"), people=Sum("people"), amount=Sum("amount"),
                                              on_time=Sum("on_time"), duration=Sum("duration")))
    return sorted(rows, key=lambda row: (-row["n"], str(row[by])))


def _in_scope(qs: QuerySet, roots: list[Region], field: str = "region") -> QuerySet:
    below = Q(pk__in=[])
    for root in roots:
        below |= Q(**{f"{field}__path__startswith": root.path})
    return qs.filter(below)


def network_figures(*, user, period: Period, region: Region | None = None) -> dict:
    """The service network and the services around legal aid, within the user's scope. The network is
    small (thousands of rows even in a province) and counted directly, as are the distinct enterprises
    visited (a distinct count does not add up across cells); everything else comes from tallies."""
    from open12348.checkup.models import Visit
    from open12348.network.models import Institution, Practitioner, ServicePoint

    roots = scope_roots(user=user, region=region)
    points = dict(_in_scope(ServicePoint.objects.all(), roots).order_by().values_list("kind")
                  .annotate(n=Count("id")))
    townships = _in_scope_regions(roots, level="township")
    villages = _in_scope_regions(roots, level="village")
    served_townships = townships.filter(service_points__kind="station").distinct().count()
    served_villages = villages.filter(service_points__kind="room").distinct().count()
    enterprises = _in_scope(Visit.objects.exclude(status="planned").filter(
        visited_on__gte=period.start, visited_on__lte=period.end), roots).values("enterprise").distinct().count()
    checkup_applications = _sums(tallies(user=user, metric="aid.applied", period=period, region=region)
                                 .filter(a="checkup"))["n"]
    return {
        "service_points": points,
        "townships": townships.count(), "townships_served": served_townships,
        "villages": villages.count(), "villages_served": served_villages,
        "institutions": _in_scope(Institution.objects.all(), roots).count(),
        "practitioners": _in_scope(Practitioner.objects.all(), roots).count(),
        "mediation": mediation_figures(user=user, period=period, region=region),
        "video": video_figures(user=user, period=period, region=region),
        "checkups": {**checkup_figures(user=user, period=period, region=region), "enterprises": enterprises,
                     "applications": checkup_applications},
        "quality_grades": quality_figures(user=user, period=period, region=region)["grades"],
        "outreach": outreach_figures(user=user, period=period, region=region),
    }


def _in_scope_regions(roots: list[Region], *, level: str) -> QuerySet:
    below = Q(pk__in=[])
    for root in roots:
        below |= Q(path__startswith=root.path)
    return Region.objects.filter(below, level=level)
