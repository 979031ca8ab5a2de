"""Reads of video consultation: the serving side's queue and the use made of it, by point."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.utils import timezone

from open12348.accounts.scope import restrict_to_regions
from open12348.network.choices import InstitutionKind
from open12348.network.models import Institution

from .choices import VideoSessionStatus as S
from .models import VideoSession


def serving_institutions(user) -> list[int]:
    return list(user.memberships.filter(is_active=True, institution__kind=InstitutionKind.LEGAL_AID_CENTRE)
                .values_list("institution_id", flat=True))


def queue_for(user, *, now: dt.datetime | None = None) -> list[VideoSession]:
    """Waiting consultations of the user's centres, longest wait first, with how long they have waited."""
    now = now or timezone.now()
    rows = list(VideoSession.objects.filter(serving_point_id__in=serving_institutions(user), status=S.WAITING)
                .select_related("requesting_point").order_by("waiting_since", "id")[:200])
    for row in rows:
        row.waited_minutes = int((now - row.waiting_since).total_seconds() // 60) if row.waiting_since else 0
    return rows


def booked_for(user, *, now: dt.datetime | None = None) -> list[VideoSession]:
    institutions = list(user.memberships.filter(is_active=True).values_list("institution_id", flat=True))
    return list(VideoSession.objects.filter(Q(serving_point_id__in=institutions) | Q(requesting_point_id__in=institutions),
                                            status=S.REQUESTED)
                .select_related("requesting_point", "serving_point").order_by("scheduled_at", "id")[:200])


def own_sessions(user, *, limit: int = 50) -> list[VideoSession]:
    institutions = list(user.memberships.filter(is_active=True).values_list("institution_id", flat=True))
    return list(VideoSession.objects.filter(Q(serving_point_id__in=institutions)
                                            | Q(requesting_point_id__in=institutions) | Q(invitations__user=user))
                .distinct().select_related("requesting_point", "serving_point", "served_by")
                .order_by("-created_at", "-id")[:limit])


@dataclass
class PointUse:
    institution: Institution
    sessions: int = 0
    ended: int = 0
    cancelled: int = 0
    avg_wait_minutes: float | None = None
    avg_duration_minutes: float | None = None
    total_minutes: int = 0


@dataclass
class Utilisation:
    start: dt.date
    end: dt.date
    requesting: list[PointUse] = field(default_factory=list)
    serving: list[PointUse] = field(default_factory=list)
    least_used: list[PointUse] = field(default_factory=list)
    total: int = 0


def _minutes(value: dt.timedelta | None) -> float | None:
    return round(value.total_seconds() / 60, 1) if value is not None else None


def utilisation(*, user, start: dt.date, end: dt.date, least: int = 10) -> Utilisation:
    """Sessions, waiting time and duration by requesting and by serving point, in the user's region,
    and the township offices that used video least (those that never did first)."""
    tz = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    sessions = restrict_to_regions(VideoSession.objects.filter(created_at__gte=since, created_at__lt=until), user=user)
    wait = ExpressionWrapper(F("taken_at") - F("waiting_since"), output_field=DurationField())
    duration = ExpressionWrapper(F("ended_at") - F("taken_at"), output_field=DurationField())
    ended = Q(status=S.ENDED)
    figures = {
        "sessions": Count("id"),
        "ended": Count("id", filter=ended),
        "cancelled": Count("id", filter=Q(status=S.CANCELLED)),
        "avg_wait": Avg(wait, filter=Q(taken_at__isnull=False, waiting_since__isnull=False)),
        "avg_duration": Avg(duration, filter=ended),
        "total_duration": Sum(duration, filter=ended),
    }
    result = Utilisation(start=start, end=end, total=sessions.count())
    for key, target in (("requesting_point", result.requesting), ("serving_point", result.serving)):
        rows = sessions.values(key).annotate(**figures).order_by("-sessions")
        institutions = Institution.objects.in_bulk([r[key] for r in rows])
        for r in rows:
            target.append(PointUse(
                institution=institutions[r[key]], sessions=r["sessions"], ended=r["ended"],
                cancelled=r["cancelled"], avg_wait_minutes=_minutes(r["avg_wait"]),
                avg_duration_minutes=_minutes(r["avg_duration"]),
                total_minutes=int((r["total_duration"] or dt.timedelta()).total_seconds() // 60)))
    by_point = {u.institution.pk: u for u in result.requesting}
    offices = restrict_to_regions(Institution.objects.filter(kind=InstitutionKind.JUDICIAL_OFFICE), user=user)
    uses = []
    for office in offices.select_related("region"):
        use = by_point.get(office.pk) or PointUse(institution=office)
        use.institution = office
        uses.append(use)
    uses.sort(key=lambda u: (u.sessions, u.total_minutes, u.institution.region.code, u.institution.name))
    result.least_used = uses[:least]
    return result
