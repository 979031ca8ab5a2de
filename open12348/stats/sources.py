"""What each kind of record counts for: the metrics, their dimensions, and where they come from.

A source turns one record into the `Row`s (cells) it is counted in. Everything the dashboard shows
is a sum of rows, so the whole meaning of a figure is written here, beside the code that makes it:

legal aid applications (`legalaid.application`, region: the receiving centre's)
  aid.applied     day received; a channel, b category, c outcome     n, people aided, on_time = green channel
  aid.matter      day received; a matter, b category, c outcome      n, people
  aid.group       day received; a group, b outcome, c category       n, people (one row per group held)
  aid.decided     day decided;  a decision, b category               n, duration = days to decide,
                                                                     on_time = decided by the review deadline
legal aid cases (`legalaid.case`, region: the case's, which follows a reassignment between counties)
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

    def rows_for(self, records: Iterable) -> dict[int, list[Row]]:
        return {record.pk: self.rows(record) for record in records}


def _day(value: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(value) if value is not None else None


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
    region, outcome, people = application.region_id, application_outcome(application), application.people_count
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
    rows = [
        Row("aid.case", assigned, case.region_id, case.category, _case_state(case), "", 1, people, amount,
            on_time=on_time),
        Row("aid.case_matter", assigned, case.region_id, case.matter, case.category, "", 1, people, amount),
        Row("aid.handler", assigned, case.region_id, str(case.institution_id or "")),
        Row("aid.lawyer", assigned, case.region_id, str(case.lawyer_id or ""), str(case.institution_id or "")),
    ]
    rows += [Row("aid.case_group", assigned, case.region_id, group, case.category, "", 1, people, amount)
             for group in sorted(set(application.groups or ()))]
    if closing is not None:
        rows.append(Row("aid.closed", closing.ended_on, case.region_id, case.category, closing.how_ended, "", 1,
                        people, amount))
    return rows


def _applications():
    from open12348.legalaid.models import Application

    return Application.objects.only("id", "received_at", "region_id", "channel", "category", "matter", "status",
                                    "decision", "decided_at", "review_due", "people_count", "groups", "priority",
                                    "updated_at")


def _cases():
    from open12348.legalaid.models import Case

    return Case.objects.select_related("application", "closing").only(
        "id", "assigned_at", "created_at", "updated_at", "region_id", "category", "matter", "status",
        "institution_id", "lawyer_id", "application__people_count", "application__groups",
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
               _model("legalaid.Case"), _cases, _case_rows),
        Source("hotline.workorder", ("hotline.call", "hotline.rating"), _model("hotline.WorkOrder"), _work_orders,
               _call_rows),
        Source("hotline.callback", ("hotline.callback",), _model("hotline.CallbackTask"), _callbacks,
               _callback_rows),
        Source("mediation.dispute", ("mediation.case",), _model("mediation.DisputeCase"), _disputes, _dispute_rows),
        Source("video.session", ("video.session",), _model("video.VideoSession"), _video_sessions, _video_rows),
    )
}
