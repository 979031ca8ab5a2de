"""Callbacks: created when a call owes one, worked by attempts, closed only as workflow.py allows,
escalated to the hotline's supervisors when overdue.

Who may act: anyone who answers the hotline works missed-call, follow-up and expert callbacks
(an expert callback by its expert or a supervisor); a dissatisfied caller is called back by a
supervisor (HOTLINE_MANAGE), as Anhui's standard asks.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from open12348.accounts.models import Membership
from open12348.accounts.permissions import user_can
from open12348.accounts.roles import Capability, Role
from open12348.audit.services import audit_record
from open12348.core.calendar import WorkCalendar, due_date
from open12348.core.errors import ApplicationError, ConflictError
from open12348.notifications.services import notify

from .. import workflow
from ..choices import AttemptOutcome, CallbackKind, CallbackStatus
from ..models import CallbackAttempt, CallbackTask, Hotline, WorkOrder
from .common import forbidden, require_hotline, text, timeline, working_days_after

log = logging.getLogger(__name__)

ANSWER = Capability.HOTLINE_ANSWER
MANAGE = Capability.HOTLINE_MANAGE


# --- creating and withdrawing (called by the call services) ------------------------------------

def callback_due(*, hotline: Hotline, kind: str, from_day: dt.date, calendar: WorkCalendar) -> tuple[dt.date, bool]:
    """When a callback of `kind` that arose on `from_day` is due, by the hotline's standards."""
    days = {
        CallbackKind.MISSED: hotline.callback_working_days,
        CallbackKind.DISSATISFIED: hotline.dissatisfied_working_days,
        CallbackKind.FOLLOW_UP: hotline.follow_up_working_days,
    }.get(kind)
    if days is None:  # an expert's answer: calendar days, moved off rest days (Puyang: within 3 days)
        result = due_date(start=from_day, days=hotline.expert_answer_days, calendar=calendar)
        return result.due, result.calendar_complete
    return working_days_after(from_day, days=days, calendar=calendar)


def _move(task: CallbackTask, *, action: str) -> str:
    to = workflow.target(action, task.status)
    if to is None:
        raise ConflictError(_("This callback is already closed."), code="callback_closed")
    before = task.status
    task.status = to
    return before


def callback_ensure(*, order: WorkOrder, kind: str, actor, calendar: WorkCalendar, from_day: dt.date,
                    assigned_to=None, question: str = "", audited: bool = True) -> tuple[CallbackTask, bool]:
    """The open callback of `kind` for the work order: created, or reopened if it was withdrawn;
    returns it and whether it was opened now.

    Its due date follows the call: an open, untried task is moved when a late event changes the
    day the call rang. Runs inside the caller's transaction, with the work order locked. With
    `audited=False` the caller writes the audit row (event ingestion: one row per batch).
    """
    due, complete = callback_due(hotline=order.hotline, kind=kind, from_day=from_day, calendar=calendar)
    task = CallbackTask.objects.select_for_update().filter(work_order=order, kind=kind).first()
    if task is None:
        try:
            with transaction.atomic():
                task = CallbackTask.objects.create(
                    work_order=order, hotline_id=order.hotline_id, kind=kind, due_on=due, calendar_complete=complete,
                    max_attempts=order.hotline.callback_max_attempts, assigned_to=assigned_to, question=question)
        except IntegrityError:  # created by a concurrent request for the same call after all
            return CallbackTask.objects.select_for_update().get(work_order=order, kind=kind), False
        timeline(order, actor=actor, kind="callback_created", data={"callback": task.pk, "kind": kind,
                                                                    "due": due.isoformat()})
        if audited:
            audit_record(actor=actor, action="hotline.callback.create", obj=task,
                         extra={"work_order": order.pk, "kind": kind, "due": due})
        return task, True
    if task.status == CallbackStatus.WITHDRAWN:
        _move(task, action="reopen")
        task.due_on, task.calendar_complete = due, complete
        task.save(update_fields=["status", "due_on", "calendar_complete", "updated_at"])
        timeline(order, actor=actor, kind="callback_reopened", data={"callback": task.pk, "kind": kind})
        if audited:
            audit_record(actor=actor, action="hotline.callback.reopen", obj=task,
                         changes={"before": {"status": CallbackStatus.WITHDRAWN}, "after": {"status": task.status}})
        return task, True
    if task.status == CallbackStatus.OPEN and task.attempts_made == 0 and task.due_on != due:
        task.due_on, task.calendar_complete = due, complete
        task.save(update_fields=["due_on", "calendar_complete", "updated_at"])
    return task, False


def callback_withdraw_untouched(*, order: WorkOrder, kind: str, actor, reason: str,
                                audited: bool = True) -> CallbackTask | None:
    """Withdraw the open callback of `kind` if nobody has tried it yet (the need went away)."""
    task = CallbackTask.objects.select_for_update().filter(work_order=order, kind=kind,
                                                            status=CallbackStatus.OPEN).first()
    if task is None or task.attempts_made:
        return None
    _move(task, action="withdraw")
    task.close_reason = reason
    task.save(update_fields=["status", "close_reason", "updated_at"])
    timeline(order, actor=actor, kind="callback_withdrawn", note=reason, data={"callback": task.pk, "kind": kind})
    if audited:
        audit_record(actor=actor, action="hotline.callback.withdraw", obj=task,
                     changes={"before": {"status": CallbackStatus.OPEN}, "after": {"status": task.status}},
                     extra={"reason": reason})
    return task


# --- working a callback ----------------------------------------------------------------------------

def _check_worker(actor, task: CallbackTask) -> None:
    require_hotline(actor, ANSWER if task.kind != CallbackKind.DISSATISFIED else MANAGE, task.hotline_id)
    if task.kind == CallbackKind.EXPERT and task.assigned_to_id not in (None, actor.pk) and not user_can(actor, MANAGE):
        raise forbidden()


def _locked(task: CallbackTask) -> CallbackTask:
    return (CallbackTask.objects.select_for_update().select_related("work_order", "hotline")
            .get(pk=task.pk))


@transaction.atomic
def callback_claim(*, actor, task: CallbackTask) -> CallbackTask:
    """Take a callback from the shared queue, so two people do not call the same caller."""
    task = _locked(task)
    _check_worker(actor, task)
    if task.status != CallbackStatus.OPEN:
        raise ConflictError(_("This callback is already closed."), code="callback_closed")
    if task.assigned_to_id and task.assigned_to_id != actor.pk:
        raise ConflictError(_("Someone else has taken this callback."), code="callback_taken")
    if task.assigned_to_id is None:
        task.assigned_to = actor
        task.save(update_fields=["assigned_to", "updated_at"])
        audit_record(actor=actor, action="hotline.callback.claim", obj=task, extra={"assigned_to": actor.pk})
    return task


@transaction.atomic
def callback_attempt(*, actor, task: CallbackTask, outcome: str, note: str = "", answer: str = "",
                     at: dt.datetime | None = None) -> CallbackTask:
    """Record one attempt. "Reached" closes the callback; an expert callback needs the answer given."""
    task = _locked(task)
    _check_worker(actor, task)
    if outcome not in AttemptOutcome.values:
        raise ApplicationError(_("Say how the call went."), code="outcome_invalid", field="outcome")
    if task.status != CallbackStatus.OPEN:
        raise ConflictError(_("This callback is already closed."), code="callback_closed")
    if task.assigned_to_id and task.assigned_to_id != actor.pk and not user_can(actor, MANAGE):
        raise ConflictError(_("Someone else has taken this callback."), code="callback_taken")
    answer = (answer or "").strip()
    if outcome == AttemptOutcome.REACHED and task.kind == CallbackKind.EXPERT and not answer:
        raise ApplicationError(_("Write down the answer the caller was given."), code="answer_required",
                               field="answer")
    at = at or timezone.now()
    CallbackAttempt.objects.create(task=task, at=at, by=actor, outcome=outcome, note=(note or "").strip())
    task.attempts_made += 1
    task.first_attempt_at = task.first_attempt_at or at
    task.assigned_to_id = task.assigned_to_id or actor.pk
    fields = ["attempts_made", "first_attempt_at", "assigned_to", "updated_at"]
    before = task.status
    if outcome == AttemptOutcome.REACHED:
        _move(task, action="reach")
        task.closed_at, task.closed_by, task.answer = at, actor, answer
        fields += ["status", "closed_at", "closed_by", "answer"]
    task.save(update_fields=fields)
    order = task.work_order
    timeline(order, actor=actor, kind="callback_attempt", note=(note or "").strip(),
             data={"callback": task.pk, "outcome": outcome, "attempt": task.attempts_made})
    audit_record(actor=actor, action="hotline.callback.attempt", obj=task,
                 changes={"before": {"status": before}, "after": {"status": task.status}},
                 extra={"outcome": outcome, "attempt": task.attempts_made})
    if answer and task.kind == CallbackKind.EXPERT:
        _record_expert_answer(actor=actor, order=order, answer=answer)
    return task


def _record_expert_answer(*, actor, order: WorkOrder, answer: str) -> None:
    order = WorkOrder.objects.select_for_update().get(pk=order.pk)
    expert = _("Expert's answer")
    order.answer = f"{order.answer}\n\n{expert}: {answer}".strip() if order.answer else answer
    order.resolved = True
    order.version += 1
    order.save(update_fields=["answer", "resolved", "version", "updated_at"])
    audit_record(actor=actor, action="hotline.work_order.expert_answer", obj=order,
                 changes={"after": {"answer": "[protected]", "resolved": True}})


@transaction.atomic
def callback_give_up(*, actor, task: CallbackTask, reason: str) -> CallbackTask:
    """Close as not reachable: only after the configured number of attempts, and with a reason."""
    task = _locked(task)
    _check_worker(actor, task)
    if task.status != CallbackStatus.OPEN:
        raise ConflictError(_("This callback is already closed."), code="callback_closed")
    if task.attempts_made < task.max_attempts:
        raise ApplicationError(
            _("Try %(max)d times before recording the caller as not reachable (%(made)d so far).")
            % {"max": task.max_attempts, "made": task.attempts_made}, code="attempts_remaining", status=409)
    reason = text(reason, field="reason", message=_("Say why the caller cannot be reached."), limit=500)
    _move(task, action="give_up")
    task.closed_at, task.closed_by, task.close_reason = timezone.now(), actor, reason
    task.save(update_fields=["status", "closed_at", "closed_by", "close_reason", "updated_at"])
    timeline(task.work_order, actor=actor, kind="callback_given_up", note=reason, data={"callback": task.pk})
    audit_record(actor=actor, action="hotline.callback.give_up", obj=task,
                 changes={"before": {"status": CallbackStatus.OPEN}, "after": {"status": task.status}},
                 extra={"reason": reason, "attempts": task.attempts_made})
    return task


# --- escalation ------------------------------------------------------------------------------------

def hotline_supervisors(hotline: Hotline) -> list:
    """Active hotline supervisors whose organisation's region covers the hotline's region."""
    memberships = (Membership.objects.filter(role=Role.HOTLINE_SUPERVISOR, is_active=True, user__is_active=True)
                   .select_related("user", "institution__region").order_by("user_id"))
    found = {}
    for membership in memberships:
        if hotline.region.path.startswith(membership.institution.region.path):
            found.setdefault(membership.user_id, membership.user)
    return list(found.values())


def callback_url(task: CallbackTask) -> str:
    return reverse("hotline:callback", args=[task.pk])


def callbacks_escalate_overdue(*, today: dt.date) -> int:
    """Tell the supervisors about each callback past its due date, once (each in its own transaction)."""
    escalated = 0
    ids = list(CallbackTask.objects.filter(status=CallbackStatus.OPEN, due_on__lt=today, escalated_at__isnull=True)
               .values_list("id", flat=True))
    supervisors: dict[int, list] = {}
    for task_id in ids:
        try:
            escalated += _escalate_one(task_id=task_id, today=today, supervisors=supervisors)
        except Exception:  # one broken record must not stop the others; it is tried again next run
            log.exception("could not escalate hotline callback %s", task_id)
    return escalated


@transaction.atomic
def _escalate_one(*, task_id: int, today: dt.date, supervisors: dict[int, list]) -> int:
    task = (CallbackTask.objects.select_for_update().select_related("hotline__region", "work_order")
            .filter(pk=task_id, status=CallbackStatus.OPEN, escalated_at__isnull=True).first())
    if task is None or task.due_on >= today:
        return 0
    people = supervisors.get(task.hotline_id)
    if people is None:
        people = supervisors[task.hotline_id] = hotline_supervisors(task.hotline)
    title = _("Overdue callback: %(kind)s, work order %(number)s, due %(due)s") % {
        "kind": task.get_kind_display(), "number": task.work_order.number, "due": task.due_on.isoformat()}
    for person in people:
        notify(recipient=person, kind="hotline.callback_overdue", title=title, url=callback_url(task), obj=task,
               dedupe_key=f"hotline.callback:{task.pk}:overdue")
    task.escalated_at = timezone.now()
    task.save(update_fields=["escalated_at", "updated_at"])
    audit_record(actor=None, action="hotline.callback.escalate", obj=task,
                 extra={"due": task.due_on, "supervisors": [p.pk for p in people]})
    return 1
