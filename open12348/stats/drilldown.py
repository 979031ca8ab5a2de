"""From a figure to the records behind it.

A dashboard cell is (metric, period, region, a, b, c); `records` turns it into the query over the
source's own table that selects exactly the records the cell counts (the tests compare the two
counts), restricted to the viewer's data scope. The list shows what a case list shows without
personal data: number, date, county, category, state.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from open12348.accounts.scope import restrict_to_regions
from open12348.network.choices import RegionLevel
from open12348.network.models import Region

from .selectors import Period

WITHDRAWN = ("withdrawn", "withdrawn_deemed")
CLOSED_CASE = ("closed", "returned", "archived", "subsidy_paid", "evaluated")
TERMINATED_CASE = ("terminated", "termination_objection")


@dataclass(frozen=True)
class Cell:
    metric: str
    period: Period
    region: Region | None = None
    a: str | None = None
    b: str | None = None
    c: str | None = None
    # Only the records counted at the region itself, not at one of its townships (a county's "no
    # township given" line of the township breakdown).
    exact: bool = False


def _outcome(value: str, prefix: str = "") -> Q:
    if value == "withdrawn":
        return Q(**{f"{prefix}status__in": WITHDRAWN})
    if value == "notified":
        return Q(**{f"{prefix}decision": "", f"{prefix}status": "notified"})
    if value == "pending":
        return Q(**{f"{prefix}decision": ""}) & ~Q(**{f"{prefix}status__in": (*WITHDRAWN, "notified")})
    return Q(**{f"{prefix}decision": value}) & ~Q(**{f"{prefix}status__in": WITHDRAWN})


def _case_state(value: str) -> Q:
    if value == "closed":
        return Q(status__in=CLOSED_CASE)
    if value == "terminated":
        return Q(status__in=TERMINATED_CASE)
    return ~Q(status__in=CLOSED_CASE + TERMINATED_CASE)


def _group(value: str, prefix: str = "") -> Q:
    # The groups are a JSON list: match the quoted code in its text (works on SQLite and PostgreSQL).
    return Q(**{f"{prefix}groups__icontains": f'"{value}"'})


def _between(field: str, period: Period) -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lte": period.end})


def _during(field: str, period: Period) -> Q:
    """A moment on one of the period's local days: a range on the column itself, so that an index
    on it serves the newest-first first page without reading the whole table."""
    start = timezone.make_aware(dt.datetime.combine(period.start, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min))
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def _applications(cell: Cell) -> QuerySet:
    from open12348.legalaid.models import Application

    qs = Application.objects.select_related("region").filter(_during("received_at", cell.period))
    a, b, c = cell.a, cell.b, cell.c
    if cell.metric == "aid.applied":
        qs = qs.filter(**({"channel": a} if a else {}), **({"category": b} if b else {}))
        if c:
            qs = qs.filter(_outcome(c))
    elif cell.metric == "aid.matter":
        qs = qs.filter(**({"matter": a} if a else {}), **({"category": b} if b else {}))
        if c:
            qs = qs.filter(_outcome(c))
    elif cell.metric == "aid.group":
        qs = qs.filter(_group(a)) if a else qs.exclude(groups=[])
        if b:
            qs = qs.filter(_outcome(b))
        if c:
            qs = qs.filter(category=c)
    return qs.order_by("-received_at", "-id")


def _decided(cell: Cell) -> QuerySet:
    from open12348.legalaid.models import Application

    qs = Application.objects.select_related("region").exclude(decision="").filter(_during("decided_at", cell.period))
    if cell.a:
        qs = qs.filter(decision=cell.a)
    if cell.b:
        qs = qs.filter(category=cell.b)
    return qs.order_by("-decided_at", "-pk")


def _cases(cell: Cell) -> QuerySet:
    from open12348.legalaid.models import Case

    qs = Case.objects.select_related("region", "institution")
    a, b = cell.a, cell.b
    if cell.metric == "aid.closed":
        qs = qs.filter(status__in=CLOSED_CASE, closing__isnull=False).filter(_between("closing__ended_on", cell.period))
        if a:
            qs = qs.filter(category=a)
        if b:
            qs = qs.filter(closing__how_ended=b)
        return qs.order_by("-closing__ended_on", "-pk")
    qs = qs.filter(_during("assigned_at", cell.period)
                   | (Q(assigned_at__isnull=True) & _during("created_at", cell.period)))
    if cell.metric == "aid.case":
        qs = qs.filter(**({"category": a} if a else {}))
        if b:
            qs = qs.filter(_case_state(b))
    elif cell.metric == "aid.case_matter":
        qs = qs.filter(**({"matter": a} if a else {}), **({"category": b} if b else {}))
    elif cell.metric == "aid.case_group":
        qs = qs.filter(_group(a, "application__")) if a else qs.exclude(application__groups=[])
        if b:
            qs = qs.filter(category=b)
    elif cell.metric == "aid.handler":
        if a is not None:
            qs = qs.filter(institution_id=a or None)
    elif cell.metric == "aid.lawyer":
        if a is not None:
            qs = qs.filter(lawyer_id=a or None)
        if b is not None:
            qs = qs.filter(institution_id=b or None)
    return qs.order_by("-assigned_at", "-id")


def _calls(cell: Cell) -> QuerySet:
    from open12348.hotline.models import WorkOrder

    qs = WorkOrder.objects.select_related("hotline__region").filter(_during("rang_at", cell.period))
    qs = qs.filter(**({"channel": cell.a} if cell.a else {}), **({"status": cell.b} if cell.b else {}),
                   **({"category": cell.c} if cell.c is not None else {}))
    return qs.order_by("-rang_at", "-pk")


def _callbacks(cell: Cell) -> QuerySet:
    from open12348.hotline.models import CallbackTask

    qs = CallbackTask.objects.select_related("hotline__region", "work_order").filter(_between("due_on", cell.period))
    if cell.a:
        qs = qs.filter(status=cell.a)
    if cell.b:
        qs = qs.filter(kind=cell.b)
    return qs.order_by("-due_on", "-pk")


def _disputes(cell: Cell) -> QuerySet:
    from open12348.mediation.models import DisputeCase

    qs = DisputeCase.objects.select_related("region", "committee").filter(_between("received_on", cell.period))
    if cell.a:
        qs = qs.filter(dispute_type=cell.a)
    if cell.b == "open":
        qs = qs.exclude(status__in=("agreed", "failed", "withdrawn", "refused"))
    elif cell.b:
        qs = qs.filter(status=cell.b)
    return qs.order_by("-received_on", "-pk")


def _evaluations(cell: Cell) -> QuerySet:
    from open12348.quality.models import Evaluation

    qs = Evaluation.objects.select_related("case__region").filter(_between("evaluated_on", cell.period))
    if cell.a:
        qs = qs.filter(method=cell.a)
    if cell.b:
        qs = qs.filter(case__category=cell.b)
    return qs.order_by("-evaluated_on", "-pk")


def _grades(cell: Cell) -> QuerySet:
    from open12348.quality.models import CaseGrade

    qs = CaseGrade.objects.select_related("case__region").filter(_during("graded_at", cell.period))
    if cell.a:
        qs = qs.filter(grade=cell.a)
    if cell.b:
        qs = qs.filter(case__category=cell.b)
    return qs.order_by("-graded_at", "-pk")


def _tickets(cell: Cell) -> QuerySet:
    from open12348.quality.models import Ticket

    qs = Ticket.objects.select_related("case__region").filter(_during("opened_at", cell.period))
    if cell.a:
        qs = qs.filter(status=cell.a)
    if cell.b:
        qs = qs.filter(reason=cell.b)
    if cell.c is not None:
        qs = qs.filter(escalated_at__isnull=cell.c != "escalated")
    return qs.order_by("-opened_at", "-pk")


def _exemplary(cell: Cell) -> QuerySet:
    from open12348.quality.models import ExemplaryCase

    qs = ExemplaryCase.objects.select_related("region", "case", "nomination__session").filter(
        _between("nomination__session__held_on", cell.period))
    if cell.a:
        qs = qs.filter(category=cell.a)
    return qs.order_by("-nomination__session__held_on", "-pk")


def _visits(cell: Cell) -> QuerySet:
    from open12348.checkup.models import Visit

    qs = Visit.objects.select_related("region", "enterprise").exclude(status="planned").filter(
        _between("visited_on", cell.period))
    if cell.a:
        qs = qs.filter(status=cell.a)
    if cell.b is not None:
        qs = qs.filter(report_issued_on__isnull=cell.b != "report")
    if cell.c is not None:
        qs = qs.filter(~Q(opinion="") if cell.c == "opinion" else Q(opinion=""))
    return qs.order_by("-visited_on", "-pk")


def _activities(cell: Cell) -> QuerySet:
    from open12348.education.models import Activity

    qs = Activity.objects.select_related("region").filter(_during("starts_at", cell.period))
    qs = qs.filter(**{field: value for field, value in (("kind", cell.a), ("status", cell.b), ("audience", cell.c))
                      if value})
    return qs.order_by("-starts_at", "-pk")


# metric -> (query, region field, label of the records)
DRILLS = {
    "aid.applied": (_applications, "region", _("Legal aid applications")),
    "aid.matter": (_applications, "region", _("Legal aid applications")),
    "aid.group": (_applications, "region", _("Legal aid applications")),
    "aid.decided": (_decided, "region", _("Legal aid decisions")),
    "aid.case": (_cases, "region", _("Legal aid cases")),
    "aid.case_group": (_cases, "region", _("Legal aid cases")),
    "aid.case_matter": (_cases, "region", _("Legal aid cases")),
    "aid.handler": (_cases, "region", _("Legal aid cases")),
    "aid.lawyer": (_cases, "region", _("Legal aid cases")),
    "aid.closed": (_cases, "region", _("Legal aid cases closed")),
    "hotline.call": (_calls, "hotline__region", _("Hotline calls")),
    "hotline.callback": (_callbacks, "hotline__region", _("Callbacks")),
    "mediation.case": (_disputes, "region", _("Disputes")),
    "quality.evaluation": (_evaluations, "case__region", _("Quality evaluations")),
    "quality.grade": (_grades, "case__region", _("Case quality grades")),
    "quality.ticket": (_tickets, "case__region", _("Supervision tickets")),
    "quality.exemplary": (_exemplary, "region", _("Exemplary cases")),
    "checkup.visit": (_visits, "region", _("Enterprise check-up visits")),
    "education.activity": (_activities, "region", _("Outreach activities")),
}

# Legal aid records are counted at the applicant's township when it is one of their county's
# (`sources._where`): where each drill finds that township.
RESIDENCE_FIELDS = {
    **dict.fromkeys(("aid.applied", "aid.matter", "aid.group", "aid.decided"), "residence"),
    **dict.fromkeys(("aid.case", "aid.case_group", "aid.case_matter", "aid.handler", "aid.lawyer", "aid.closed"),
                    "application__residence"),
}


def _counted_in(cell: Cell, region_field: str) -> Q:
    """The records the cell's region holds: those of its subtree, as the tallies place them."""
    region, residence = cell.region, RESIDENCE_FIELDS.get(cell.metric)
    if residence is None:
        return Q(**{region_field: region}) if cell.exact else Q(**{f"{region_field}__path__startswith": region.path})
    at_township = Q(**{f"{residence}__parent": F(region_field)})
    if region.level == RegionLevel.TOWNSHIP:
        return Q(**{residence: region, region_field: region.parent_id}) | Q(**{region_field: region})
    if cell.exact:  # at the region itself: no township given, or one outside the record's county
        return Q(**{region_field: region}) & (Q(**{f"{residence}__isnull": True}) | ~at_township)
    # A township is counted only inside its own county, so a county's (or the city's) subtree is the
    # subtree of the records' own regions: the index on the region serves it.
    return Q(**{f"{region_field}__path__startswith": region.path})


def records(*, user, cell: Cell) -> QuerySet:
    """The records the cell counts, within the user's data scope."""
    query, region_field, _label = DRILLS[cell.metric]
    qs = restrict_to_regions(query(cell), user=user, region_field=region_field)
    if cell.region is not None:
        qs = qs.filter(_counted_in(cell, region_field))
    return qs


def label_of(metric: str) -> str:
    return str(DRILLS[metric][2])
