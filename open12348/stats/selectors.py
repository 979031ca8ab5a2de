"""The dashboard's figures, read from the tallies within the viewer's data scope.

Every function takes the user and a period (inclusive dates) and returns plain numbers, so that
the pages, the Excel exports and the API say the same thing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from open12348.accounts.scope import restrict_to_regions
from open12348.network.models import Region

from .models import Tally

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


def tallies(*, user, metric: str, period: Period, region: Region | None = None) -> QuerySet:
    qs = restrict_to_regions(Tally.objects.filter(metric=metric, day__gte=period.start, day__lte=period.end),
                             user=user)
    if region is not None:
        qs = qs.filter(region__path__startswith=region.path)
    return qs


def _sums(qs: QuerySet) -> dict:
    got = qs.aggregate(n=Sum("n"), people=Sum("people"), amount=Sum("amount"), duration=Sum("duration"),
                       on_time=Sum("on_time"))
    return {k: (v if v is not None else (Decimal(0) if k == "amount" else 0)) for k, v in got.items()}


def _share(part: int | Decimal, whole: int | Decimal) -> float | None:
    return round(100 * float(part) / float(whole), 2) if whole else None


def _by(qs: QuerySet, field: str, measure: str = "n") -> dict[str, int | Decimal]:
    return {row[field]: row["v"] for row in qs.order_by().values(field).annotate(v=Sum(measure))}


def legal_aid_figures(*, user, period: Period, region: Region | None = None) -> dict:
    def of(metric: str) -> QuerySet:
        return tallies(user=user, metric=metric, period=period, region=region)

    applied, decided, cases, closed = _sums(of("aid.applied")), _sums(of("aid.decided")), _sums(of("aid.case")), \
        _sums(of("aid.closed"))
    outcomes = _by(of("aid.applied"), "c")
    by_category = _by(of("aid.case"), "a")
    migrant = _sums(of("aid.case_group").filter(a="migrant_worker"))
    migrant_closed_amount = migrant["amount"]
    return {
        "applications": applied["n"],
        "applications_by_channel": _by(of("aid.applied"), "a"),
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
        "migrant_worker_amount_recovered": migrant_closed_amount,
        "groups": _by(of("aid.group"), "a"),
    }


def hotline_figures(*, user, period: Period, region: Region | None = None, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()

    def of(metric: str) -> QuerySet:
        return tallies(user=user, metric=metric, period=period, region=region)

    calls = of("hotline.call")
    voice = calls.filter(a="call")
    served = _sums(voice)
    messages = _sums(calls.exclude(a="call"))
    callbacks = of("hotline.callback")
    due = _sums(callbacks)
    done = _sums(callbacks.filter(a__in=CLOSED_CALLBACKS))
    overdue = _sums(callbacks.filter(a="open", day__lt=today))
    ratings = _by(of("hotline.rating"), "a")
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


# The areas of the overview, each a function of (user, period, region) returning its figures.
AREAS = {"legal_aid": legal_aid_figures, "hotline": hotline_figures, "mediation": mediation_figures,
         "video": video_figures}


def monthly(*, user, metric: str, period: Period, measure: str = "n", region: Region | None = None,
            **cell) -> list[tuple[dt.date, int | Decimal]]:
    """A metric month by month over the period (months without records included, as 0)."""
    qs = tallies(user=user, metric=metric, period=period, region=region).filter(**cell)
    got = {row["m"]: row["v"] for row in qs.order_by().annotate(m=TruncMonth("day")).values("m")
           .annotate(v=Sum(measure))}
    months, month = [], period.start.replace(day=1)
    while month <= period.end:
        months.append((month, got.get(month, 0)))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def by_county(*, user, metric: str, period: Period, measure: str = "n", **cell) -> dict[int, int | Decimal]:
    """A metric per county-level region (the cells of deeper regions added to their county)."""
    qs = tallies(user=user, metric=metric, period=period).filter(**cell)
    per_region = {row["region"]: row["v"] for row in qs.order_by().values("region").annotate(v=Sum(measure))}
    if not per_region:
        return {}
    counties = {r.path: r.pk for r in Region.objects.filter(level="county")}
    result: dict[int, int | Decimal] = {}
    for region in Region.objects.filter(pk__in=per_region).only("pk", "path", "level"):
        county = next((pk for path, pk in counties.items() if region.path.startswith(path)), None)
        if county is not None:
            result[county] = result.get(county, 0) + per_region[region.pk]
    return result


def breakdown(*, user, metric: str, period: Period, by: str, region: Region | None = None,
              **cell) -> list[dict]:
    """A metric's sums by one dimension (`a`, `b`, `c` or `region`), largest first."""
    qs = tallies(user=user, metric=metric, period=period, region=region).filter(**cell)
    rows = (qs.order_by().values(by).annotate(n=Sum("n"), people=Sum("people"), amount=Sum("amount"),
                                              on_time=Sum("on_time"), duration=Sum("duration")))
    return sorted(rows, key=lambda row: (-row["n"], str(row[by])))
