"""What each kind of record counts for: the metrics, their dimensions, and where they come from.

A source turns one record into the `Row`s (cells) it is counted in. Everything the dashboard shows
is a sum of rows, so the whole meaning of a figure is written here, beside the code that makes it:

legal aid applications (`legalaid.application`, region: the applicant's township of residence when it is
a township of the receiving centre's county, else the centre's region; so a county still holds every
record of its own, and its townships' cells break it down)
  aid.applied     day received; a channel, b category, c outcome     n, people aided, on_time = green channel
  aid.matter      day received; a matter, b category, c outcome      n, people
  aid.group       day received; a group, b outcome, c category       n, people (one row per group held)
  aid.decided     day decided;  a decision, b category               n, duration = days to decide,
                                                                     on_time = decided by the review deadline
legal aid cases (`legalaid.case`, region: the application's township of residence when it is a township
of the case's county, else the case's region, which follows a reassignment between counties: a case
moved to another county is counted at that county, not at a township of the county it left)
  aid.case        day assigned; a category, b state                  n, people, amount recovered,
                                                                     on_time = assigned by the statutory date
  aid.case_matter day assigned; a matter, b category                 n, people, amount recovered
  aid.case_group  day assigned; a group, b category                  n, people, amount recovered
  aid.handler     day assigned; a institution id                     n
  aid.lawyer      day assigned; a lawyer id, b institution id        n
(Each metric keeps few dimensions: a province's year cell holds one row per combination, so a
wide combination — every matter by every state — would make the county map read hundreds of
thousands of rows. A breakdown that needs another dimension gets a metric of its own.)
  aid.closed      day ended;    a category, b how it ended           n, people, amount recovered
hotline work orders (`hotline.workorder`, region: the hotline's)
  hotline.call    day rung;     a channel, b status, c category      n, duration = seconds to answer,
                                                                     on_time = answered
  hotline.rating  day rated;    a satisfaction                       n
hotline callbacks (`hotline.callback`)
  hotline.callback day due;     a status                             n, on_time = closed by the day due

people's mediation (`mediation.dispute`, region: the dispute's)
  mediation.case  day received; a dispute type, b result, c committee id
                                                                     n, duration = days to close,
                                                                     on_time = closed within a month
video consultations (`video.session`, region: the requesting township's)
  video.session   day requested; a requesting point id, b serving point id, c status
                                                                     n, duration = seconds waited,
                                                                     people = seconds talked, on_time = served

case quality (region: the case's county, which follows a reassignment; the exemplary case's own region)
  quality.evaluation day evaluated; a method, b case category       n, amount = score (when scored),
                   (`quality.evaluation`)                            on_time = scored
  quality.grade   day graded;   a grade, b case category             n, amount = score
                   (`quality.grade`: a case's grade, re-graded in place)
  quality.ticket  day opened;   a status (open/closed), b reason, c "escalated" or ""
                   (`quality.ticket`)                                n, duration = days open (closed ones),
                                                                     on_time = closed by its deadline
  quality.exemplary day the panel sat; a case category               n
                   (`quality.exemplary`)
enterprise check-ups (`checkup.visit`, region: the enterprise's township; visits not yet made count nowhere)
  checkup.visit   day visited;  a status, b "report" or "", c "opinion" or ""
                                                                     n, people = workers interviewed
legal education outreach (`education.activity`, region: the activity's)
  education.activity day it starts; a kind, b status, c audience     n, people = attendance

An outcome is `pending`, `grant`, `refuse`, `withdrawn` (by the applicant or deemed) or `notified`
(an Art. 25 notification, which needs no decision). A case's
state is `open`, `closed` (closing file submitted or later) or `terminated`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone


class Row(NamedTuple):
    metric: str
    day: dt.date
    region_id: int
    a: str = ""
    b: str = ""
    c: str = ""
    n: int = 1
    people: int = 0
    amount: Decimal = Decimal(0)
    duration: int = 0
    on_time: int = 0

    @property
    def key(self) -> tuple:
        return (self.metric, self.day, self.region_id, self.a, self.b, self.c)

    def to_json(self) -> list:
        return [self.metric, self.day.isoformat(), self.region_id, self.a, self.b, self.c, self.n, self.people,
                str(self.amount), self.duration, self.on_time]

    @classmethod
    def from_json(cls, data: list) -> Row:
        metric, day, region_id, a, b, c, n, people, amount, duration, on_time = data
        return cls(metric, dt.date.fromisoformat(day), region_id, a, b, c, n, people, Decimal(amount), duration,
                   on_time)


MEASURES = ("n", "people", "amount", "duration", "on_time")


@dataclass(frozen=True)
class Source:
    name: str
    metrics: tuple[str, ...]
    model: Callable[[], type[models.Model]]
    queryset: Callable[[], models.QuerySet]
    rows: Callable[[Any], list[Row]]
    # The records whose cells may have changed between two moments (by default: saved meanwhile).
    changed: Callable[[dt.datetime, dt.datetime], list[QuerySet]] | None = None

    def changed_between(self, since: dt.datetime, until: dt.datetime) -> list[QuerySet]:
        return (self.changed or _updated(self.model))(since, until)

    def rows_for(self, records: Iterable) -> dict[int, list[Row]]:
        return {record.pk: self.rows(record) for record in records}


def _day(value: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(value) if value is not None else None


def _updated(model: Callable[[], type[models.Model]]) -> Callable[[dt.datetime, dt.datetime], list[QuerySet]]:
    def changed(since: dt.datetime, until: dt.datetime) -> list[QuerySet]:
        return [model()._default_manager.filter(updated_at__gte=since, updated_at__lte=until)]
    return changed


def _where(region_id: int, residence) -> int:
    """The region a legal aid record is counted in: the applicant's township when it is one of the record's
    county's townships, else the record's region. So the cells of a region's subtree hold exactly the
    records the region's staff may open: a county still holds all its records, a case moved to another
    county leaves the township of the county it left, and a city centre's application stays at the city."""
    if residence is not None and residence.parent_id == region_id:
        return residence.pk
    return region_id


# --- legal aid ---------------------------------------------------------------------------------

def application_outcome(application) -> str:
    from open12348.legalaid.choices import ApplicationStatus as S

    if application.status in (S.WITHDRAWN, S.WITHDRAWN_DEEMED):
        return "withdrawn"
    if application.status == S.NOTIFIED and not application.decision:
        return "notified"  # a court's, procuratorate's or police notification: no review, a lawyer is due
    return application.decision or "pending"


def _application_rows(application) -> list[Row]:
    received = _day(application.received_at)
    region, outcome = _where(application.region_id, application.residence), application_outcome(application)
    people = application.people_count
    rows = [
        Row("aid.applied", received, region, application.channel, application.category, outcome, 1, people,
            on_time=int(application.priority)),
        Row("aid.matter", received, region, application.matter, application.category, outcome, 1, people),
    ]
    rows += [Row("aid.group", received, region, group, outcome, application.category, 1, people)
             for group in sorted(set(application.groups or ()))]
    if application.decision and application.decided_at:
        decided = _day(application.decided_at)
        due = application.review_due
        rows.append(Row("aid.decided", decided, region, application.decision, application.category, "", 1, people,
                        duration=(decided - received).days, on_time=int(due is None or decided <= due)))
    return rows


def _case_state(case) -> str:
    from open12348.legalaid.choices import CaseStatus as S

    if case.status in (S.TERMINATED, S.TERMINATION_OBJECTION):
        return "terminated"
    if case.status in (S.CLOSED, S.RETURNED, S.ARCHIVED, S.SUBSIDY_PAID, S.EVALUATED):
        return "closed"
    return "open"


def _case_rows(case) -> list[Row]:
    application = case.application
    closing = getattr(case, "closing", None) if _case_state(case) == "closed" else None
    assigned = _day(case.assigned_at) or _day(case.created_at)
    people = closing.people_aided if closing is not None else application.people_count
    amount = closing.amount_recovered if closing is not None else Decimal(0)
    due = application.assignment_due
    on_time = int(case.assigned_at is not None and (due is None or assigned <= due))
    region = _where(case.region_id, application.residence)
    rows = [
        Row("aid.case", assigned, region, case.category, _case_state(case), "", 1, people, amount,
            on_time=on_time),
        Row("aid.case_matter", assigned, region, case.matter, case.category, "", 1, people, amount),
        Row("aid.handler", assigned, region, str(case.institution_id or "")),
        Row("aid.lawyer", assigned, region, str(case.lawyer_id or ""), str(case.institution_id or "")),
    ]
    rows += [Row("aid.case_group", assigned, region, group, case.category, "", 1, people, amount)
             for group in sorted(set(application.groups or ()))]
    if closing is not None:
        rows.append(Row("aid.closed", closing.ended_on, region, case.category, closing.how_ended, "", 1,
                        people, amount))
    return rows


def _applications():
    from open12348.legalaid.models import Application

    return Application.objects.select_related("residence").only(
        "id", "received_at", "region_id", "residence__parent", "channel", "category", "matter", "status", "decision",
        "decided_at", "review_due", "people_count", "groups", "priority", "updated_at")


def _cases_changed(since: dt.datetime, until: dt.datetime) -> list[QuerySet]:
    """A case's cells also depend on its application (people, groups, township of residence)."""
    from open12348.legalaid.models import Case

    return [Case.objects.filter(updated_at__gte=since, updated_at__lte=until),
            Case.objects.filter(application__updated_at__gte=since, application__updated_at__lte=until)]


def _cases():
    from open12348.legalaid.models import Case

    return Case.objects.select_related("application__residence", "closing").only(
        "id", "assigned_at", "created_at", "updated_at", "region_id", "category", "matter", "status",
        "institution_id", "lawyer_id", "application__people_count", "application__groups",
        "application__residence__parent",
        "application__assignment_due", "closing__people_aided", "closing__amount_recovered", "closing__ended_on",
        "closing__how_ended",
    )


# --- hotline ------------------------------------------------------------------------------------

def _call_rows(order) -> list[Row]:
    region = order.hotline.region_id
    rows = [Row("hotline.call", _day(order.rang_at), region, order.channel, order.status, order.category, 1,
                duration=order.wait_seconds or 0, on_time=int(order.answered_at is not None))]
    if order.satisfaction and order.rated_at:
        rows.append(Row("hotline.rating", _day(order.rated_at), region, order.satisfaction))
    return rows


def _callback_rows(task) -> list[Row]:
    closed = _day(task.closed_at)
    return [Row("hotline.callback", task.due_on, task.hotline.region_id, task.status, task.kind, "", 1,
                on_time=int(closed is not None and closed <= task.due_on))]


def _work_orders():
    from open12348.hotline.models import WorkOrder

    return WorkOrder.objects.select_related("hotline").only(
        "id", "hotline__region_id", "rang_at", "answered_at", "channel", "status", "category", "wait_seconds",
        "satisfaction", "rated_at", "updated_at")


def _callbacks():
    from open12348.hotline.models import CallbackTask

    return CallbackTask.objects.select_related("hotline").only(
        "id", "hotline__region_id", "due_on", "status", "kind", "closed_at", "updated_at")


# --- mediation and video --------------------------------------------------------------------------

def _dispute_result(dispute) -> str:
    return dispute.status if dispute.status in ("agreed", "failed", "withdrawn", "refused") else "open"


def _dispute_rows(dispute) -> list[Row]:
    closed = dispute.closed_on
    return [Row("mediation.case", dispute.received_on, dispute.region_id, dispute.dispute_type,
                _dispute_result(dispute), str(dispute.committee_id), 1,
                duration=(closed - dispute.received_on).days if closed else 0,
                on_time=int(closed is not None and closed <= dispute.guideline_due))]


def _video_rows(session) -> list[Row]:
    asked = session.waiting_since or session.scheduled_at or session.created_at
    waited = int((session.taken_at - session.waiting_since).total_seconds()) \
        if session.taken_at and session.waiting_since else 0
    talked = int((session.ended_at - session.taken_at).total_seconds()) if session.ended_at and session.taken_at else 0
    return [Row("video.session", _day(asked), session.region_id, str(session.requesting_point_id),
                str(session.serving_point_id), session.status, 1, people=talked, duration=max(waited, 0),
                on_time=int(session.taken_at is not None))]


def _disputes():
    from open12348.mediation.models import DisputeCase

    return DisputeCase.objects.only("id", "received_on", "region_id", "dispute_type", "status", "committee_id",
                                    "closed_on", "guideline_due", "updated_at")


def _video_sessions():
    from open12348.video.models import VideoSession

    return VideoSession.objects.only("id", "waiting_since", "scheduled_at", "created_at", "taken_at", "ended_at",
                                     "region_id", "requesting_point_id", "serving_point_id", "status", "updated_at")


# --- quality, check-ups and outreach ------------------------------------------------------------

def _score(value) -> Decimal:
    return value if value is not None else Decimal(0)


def _evaluation_rows(evaluation) -> list[Row]:
    case = evaluation.case
    return [Row("quality.evaluation", evaluation.evaluated_on, case.region_id, evaluation.method, case.category, "",
                1, amount=_score(evaluation.score), on_time=int(evaluation.score is not None))]


def _grade_rows(grade) -> list[Row]:
    return [Row("quality.grade", _day(grade.graded_at), grade.case.region_id, grade.grade, grade.case.category, "", 1,
                amount=grade.score)]


def _ticket_rows(ticket) -> list[Row]:
    opened, closed = _day(ticket.opened_at), _day(ticket.closed_at)
    return [Row("quality.ticket", opened, ticket.case.region_id, ticket.status, ticket.reason,
                "escalated" if ticket.escalated_at else "", 1,
                duration=(closed - opened).days if closed else 0,
                on_time=int(closed is not None and closed <= ticket.deadline))]


def _exemplary_rows(exemplary) -> list[Row]:
    return [Row("quality.exemplary", exemplary.nomination.session.held_on, exemplary.region_id, exemplary.category)]


def _visit_rows(visit) -> list[Row]:
    from open12348.checkup.choices import CheckupVisitStatus

    if visit.status == CheckupVisitStatus.PLANNED or visit.visited_on is None:
        return []
    return [Row("checkup.visit", visit.visited_on, visit.region_id, visit.status,
                "report" if visit.report_issued_on else "", "opinion" if visit.opinion.strip() else "", 1,
                people=visit.workers_interviewed)]


def _activity_rows(activity) -> list[Row]:
    return [Row("education.activity", _day(activity.starts_at), activity.region_id, activity.kind, activity.status,
                activity.audience, 1, people=activity.attendance or 0)]


def _case_moved(model: str, *moments: str) -> Callable[[dt.datetime, dt.datetime], list[QuerySet]]:
    """Quality records have no `updated_at`: they changed when one of their own moments falls in the
    window, or when their case did (a case moved to another county takes its quality records along)."""
    def changed(since: dt.datetime, until: dt.datetime) -> list[QuerySet]:
        manager = _model(model)()._default_manager
        return [manager.filter(**{f"{field}__gte": since, f"{field}__lte": until})
                for field in (*moments, "case__updated_at")]
    return changed


def _exemplary_changed(since: dt.datetime, until: dt.datetime) -> list[QuerySet]:
    """Named when their panel session closes; nothing the tallies read changes afterwards."""
    from open12348.quality.models import ExemplaryCase

    return [ExemplaryCase.objects.filter(nomination__session__closed_at__gte=since,
                                         nomination__session__closed_at__lte=until)]


def _evaluations():
    from open12348.quality.models import Evaluation

    return Evaluation.objects.select_related("case").only("id", "evaluated_on", "method", "score", "case__region",
                                                          "case__category")


def _grades():
    from open12348.quality.models import CaseGrade

    return CaseGrade.objects.select_related("case").only("id", "graded_at", "grade", "score", "case__region",
                                                         "case__category")


def _tickets():
    from open12348.quality.models import Ticket

    return Ticket.objects.select_related("case").only("id", "opened_at", "closed_at", "escalated_at", "deadline",
                                                      "status", "reason", "case__region")


def _exemplary():
    from open12348.quality.models import ExemplaryCase

    return ExemplaryCase.objects.select_related("nomination__session").only(
        "id", "region_id", "category", "nomination__session__held_on")


def _visits():
    from open12348.checkup.models import Visit

    return Visit.objects.only("id", "status", "visited_on", "region_id", "report_issued_on", "opinion",
                              "workers_interviewed", "updated_at")


def _activities():
    from open12348.education.models import Activity

    return Activity.objects.only("id", "starts_at", "region_id", "kind", "status", "audience", "attendance",
                                 "updated_at")


def _model(label: str) -> Callable[[], type[models.Model]]:
    def get() -> type[models.Model]:
        from django.apps import apps

        return apps.get_model(label)
    return get


SOURCES: dict[str, Source] = {
    source.name: source
    for source in (
        Source("legalaid.application", ("aid.applied", "aid.matter", "aid.group", "aid.decided"),
               _model("legalaid.Application"), _applications, _application_rows),
        Source("legalaid.case", ("aid.case", "aid.case_matter", "aid.case_group", "aid.handler", "aid.lawyer",
                                 "aid.closed"),
               _model("legalaid.Case"), _cases, _case_rows, _cases_changed),
        Source("hotline.workorder", ("hotline.call", "hotline.rating"), _model("hotline.WorkOrder"), _work_orders,
               _call_rows),
        Source("hotline.callback", ("hotline.callback",), _model("hotline.CallbackTask"), _callbacks,
               _callback_rows),
        Source("mediation.dispute", ("mediation.case",), _model("mediation.DisputeCase"), _disputes, _dispute_rows),
        Source("video.session", ("video.session",), _model("video.VideoSession"), _video_sessions, _video_rows),
        Source("quality.evaluation", ("quality.evaluation",), _model("quality.Evaluation"), _evaluations,
               _evaluation_rows, _case_moved("quality.Evaluation", "recorded_at")),
        Source("quality.grade", ("quality.grade",), _model("quality.CaseGrade"), _grades, _grade_rows,
               _case_moved("quality.CaseGrade", "graded_at")),
        Source("quality.ticket", ("quality.ticket",), _model("quality.Ticket"), _tickets, _ticket_rows,
               _case_moved("quality.Ticket", "opened_at", "closed_at", "escalated_at")),
        Source("quality.exemplary", ("quality.exemplary",), _model("quality.ExemplaryCase"), _exemplary,
               _exemplary_rows, _exemplary_changed),
        Source("checkup.visit", ("checkup.visit",), _model("checkup.Visit"), _visits, _visit_rows),
        Source("education.activity", ("education.activity",), _model("education.Activity"), _activities,
               _activity_rows),
    )
}
