"""The callback lifecycle: deadlines on the legal-day calendar, attempts, closing only when reached or
after the configured attempts with a reason, withdrawal, escalation and reminders."""

from __future__ import annotations

import datetime as dt

import pytest

from open12348.audit.models import AuditEvent
from open12348.core.errors import ApplicationError
from open12348.hotline import workflow
from open12348.hotline.events import EventIn
from open12348.hotline.models import CallbackTask, WorkOrder
from open12348.hotline.reminders import SOURCE_NAME
from open12348.hotline.services import callbacks as services
from open12348.hotline.services.calls import expert_book, work_order_record
from open12348.hotline.services.ingest import call_events_ingest
from open12348.notifications.models import Notification
from open12348.notifications.reminders import registered_sources

from .factories import call_events, hotline_world, local

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return hotline_world()


def missed(world, *, call_id="M1", at=None) -> CallbackTask:
    call_events_ingest(hotline=world["hotline"], actor=None,
                       events=call_events(call_id=call_id, at=at or local(2026, 11, 27, 16), answered=False))
    return CallbackTask.objects.get(work_order__call_id=call_id)


def test_the_workflow_table_allows_only_open_callbacks_to_move():
    assert workflow.target("reach", "open") == "reached"
    assert workflow.target("attempt", "reached") is None
    assert workflow.target("reopen", "withdrawn") == "open"
    assert workflow.target("give_up", "unreachable") is None


@pytest.mark.parametrize(("rang", "due"), [
    (local(2026, 11, 27, 16), dt.date(2026, 11, 30)),  # Friday → Monday
    (local(2026, 11, 26, 20), dt.date(2026, 11, 27)),  # Thursday evening → Friday
    (local(2026, 9, 30, 10), dt.date(2026, 10, 8)),  # before National Day → the first working day after it
    (local(2026, 10, 9, 18), dt.date(2026, 10, 10)),  # Friday → the make-up Saturday (调休上班)
])
def test_a_missed_call_is_due_by_the_end_of_the_next_working_day(world, rang, due):
    assert missed(world, at=rang).due_on == due


def test_the_deadline_follows_the_hotlines_setting(world):
    world["hotline"].callback_working_days = 3
    world["hotline"].save()
    assert missed(world, at=local(2026, 11, 27, 16)).due_on == dt.date(2026, 12, 2)


def test_attempts_then_reached_closes_the_callback(world):
    task = missed(world)
    operator = world["operator"]
    services.callback_attempt(actor=operator, task=task, outcome="no_answer", note="无人接听")
    task = services.callback_attempt(actor=operator, task=task, outcome="reached", note="已解答")
    assert (task.status, task.attempts_made, task.closed_by, task.assigned_to) == ("reached", 2, operator, operator)
    assert [a.outcome for a in task.attempts.all()] == ["no_answer", "reached"]
    assert task.first_attempt_at <= task.closed_at
    with pytest.raises(ApplicationError) as refused:
        services.callback_attempt(actor=operator, task=task, outcome="no_answer")
    assert refused.value.code == "callback_closed"


def test_not_reachable_only_after_the_configured_attempts_and_with_a_reason(world):
    task = missed(world)
    operator = world["operator"]
    for outcome in ("no_answer", "wrong_number"):
        services.callback_attempt(actor=operator, task=task, outcome=outcome)
    with pytest.raises(ApplicationError) as early:
        services.callback_give_up(actor=operator, task=task, reason="打不通")
    assert early.value.code == "attempts_remaining"
    services.callback_attempt(actor=operator, task=task, outcome="busy")
    with pytest.raises(ApplicationError) as no_reason:
        services.callback_give_up(actor=operator, task=task, reason=" ")
    assert no_reason.value.field == "reason"
    task = services.callback_give_up(actor=operator, task=task, reason="三次回拨均未接通，号码疑似错误")
    assert (task.status, task.close_reason) == ("unreachable", "三次回拨均未接通，号码疑似错误")
    assert AuditEvent.objects.filter(action="hotline.callback.give_up", object_id=str(task.pk)).exists()


def test_someone_elses_callback_cannot_be_taken_or_worked(world):
    task = missed(world)
    services.callback_claim(actor=world["pool"][0], task=task)
    with pytest.raises(ApplicationError) as taken:
        services.callback_attempt(actor=world["pool"][1], task=task, outcome="reached")
    assert taken.value.code == "callback_taken"
    task.refresh_from_db()
    assert task.attempts_made == 0
    # a supervisor may step in
    services.callback_attempt(actor=world["supervisor"], task=task, outcome="reached")


def test_an_outsider_cannot_touch_the_hotlines_callbacks(world):
    task = missed(world)
    with pytest.raises(ApplicationError) as refused:
        services.callback_attempt(actor=world["outsider"], task=task, outcome="reached")
    assert refused.value.status == 404
    task.refresh_from_db()
    assert task.status == "open" and not task.attempts.exists()


def test_a_withdrawn_callback_is_reopened_when_the_need_returns(world):
    call_events_ingest(hotline=world["hotline"], actor=None, events=call_events(call_id="R1", at=local(2026, 11, 27, 10)))
    order = WorkOrder.objects.get(call_id="R1")

    def rate(event_id, rating, minutes):
        call_events_ingest(hotline=world["hotline"], actor=None, events=[EventIn(
            call_id="R1", event_id=event_id, kind="rated", at=order.ended_at + dt.timedelta(minutes=minutes),
            rating=rating, rating_channel="ivr")])

    rate("r1", "dissatisfied", 1)
    rate("r2", "satisfied", 2)
    assert CallbackTask.objects.get(kind="dissatisfied").status == "withdrawn"
    rate("r3", "dissatisfied", 3)
    task = CallbackTask.objects.get(kind="dissatisfied")
    assert task.status == "open" and CallbackTask.objects.filter(kind="dissatisfied").count() == 1


def test_a_tried_callback_is_not_withdrawn(world):
    events = call_events(call_id="T1", at=local(2026, 11, 27, 10))
    call_events_ingest(hotline=world["hotline"], actor=None, events=[events[0], events[2]])
    task = CallbackTask.objects.get()
    services.callback_attempt(actor=world["operator"], task=task, outcome="no_answer")
    call_events_ingest(hotline=world["hotline"], actor=None, events=[events[1]])
    task.refresh_from_db()
    assert task.status == "open"  # someone already called: the record of it stays


def test_follow_up_and_expert_callbacks(world):
    call_events_ingest(hotline=world["hotline"], actor=None, events=call_events(call_id="F1", at=local(2026, 11, 27, 10)))
    order = WorkOrder.objects.get(call_id="F1")
    work_order_record(actor=world["operator"], order=order, data={
        "category": "consultation", "topic": "inheritance", "question": "遗嘱效力", "follow_up_needed": True})
    assert order.callbacks.get(kind="follow_up").status == "open"
    work_order_record(actor=world["operator"], order=order, data={"follow_up_needed": False})
    assert order.callbacks.get(kind="follow_up").status == "withdrawn"
    expert = world["pool"][2]
    task = expert_book(actor=world["operator"], order=order, expert=expert, question="遗赠扶养协议与遗嘱冲突怎么办")
    with pytest.raises(ApplicationError) as no_answer:
        services.callback_attempt(actor=expert, task=task, outcome="reached")
    assert no_answer.value.field == "answer"
    with pytest.raises(ApplicationError):
        services.callback_attempt(actor=world["pool"][0], task=task, outcome="reached", answer="x")
    services.callback_attempt(actor=expert, task=task, outcome="reached", answer="遗赠扶养协议优先于遗嘱。")
    order.refresh_from_db()
    assert "遗赠扶养协议优先于遗嘱" in order.answer and order.resolved is True


def test_expert_booking_needs_someone_of_the_hotline(world):
    call_events_ingest(hotline=world["hotline"], actor=None, events=call_events(call_id="F2", at=local(2026, 11, 27, 10)))
    order = WorkOrder.objects.get(call_id="F2")
    with pytest.raises(ApplicationError) as refused:
        expert_book(actor=world["operator"], order=order, expert=world["outsider"], question="x")
    assert refused.value.field == "expert"
    assert not order.callbacks.exists()


def test_overdue_callbacks_escalate_to_the_supervisor_once(world):
    task = missed(world, at=local(2026, 11, 26, 10))  # due 2026-11-27
    assert services.callbacks_escalate_overdue(today=dt.date(2026, 11, 27)) == 0
    assert services.callbacks_escalate_overdue(today=dt.date(2026, 11, 30)) == 1
    assert services.callbacks_escalate_overdue(today=dt.date(2026, 12, 1)) == 0
    notices = Notification.objects.filter(kind="hotline.callback_overdue")
    assert [n.recipient for n in notices] == [world["supervisor"]]
    task.refresh_from_db()
    assert task.escalated_at is not None


def test_the_reminder_source_reminds_the_assignee_or_the_operators(world):
    task = missed(world, at=local(2026, 11, 26, 10))
    source = registered_sources()[SOURCE_NAME]
    deadlines = list(source(today=dt.date(2026, 11, 27)))
    assert [(d.key, d.due, list(d.recipients)) for d in deadlines] == [
        (f"hotline.callback:{task.pk}", dt.date(2026, 11, 27), [world["operator"]])]
    services.callback_claim(actor=world["pool"][0], task=task)
    assert list(next(iter(source(today=dt.date(2026, 11, 27)))).recipients) == [world["pool"][0]]


def test_recordings_are_forgotten_after_the_retention_period(world):
    from open12348.hotline.services.recordings import recordings_expire

    for call_id, month in (("OLD", 1), ("NEW", 11)):
        call_events_ingest(hotline=world["hotline"], actor=None, events=[EventIn(
            call_id=call_id, event_id="v", kind="voice_message", at=local(2026, month, 2, 20),
            caller="13803751234", recording_url=f"https://rec.example/{call_id}.mp3")])
    assert recordings_expire(now=local(2026, 11, 29)) == 1  # 180 days by default
    assert WorkOrder.objects.get(call_id="OLD").recording_url == ""
    assert not WorkOrder.objects.get(call_id="OLD").events.exclude(recording_url="").exists()
    assert WorkOrder.objects.get(call_id="NEW").recording_url == "https://rec.example/NEW.mp3"
    assert AuditEvent.objects.filter(action="hotline.recordings.expire").exists()


def test_the_token_command_prints_a_working_token(world):
    import io

    from django.core.management import call_command

    from open12348.hotline.services.telephony import telephony_client_for_token

    out = io.StringIO()
    call_command("hotline_issue_token", "--name", "备用交换机", stdout=out)
    token = out.getvalue().strip().rsplit(" ", 1)[-1]
    assert telephony_client_for_token(token).name == "备用交换机"


def test_with_rating_by_sms_an_answered_call_gets_the_link_once(world, django_capture_on_commit_callbacks):
    from open12348.notifications import backends

    backends.outbox.clear()
    world["hotline"].rating_by_sms = True
    world["hotline"].save()
    events = call_events(call_id="S1", at=local(2026, 11, 27, 10))
    with django_capture_on_commit_callbacks(execute=True):
        call_events_ingest(hotline=world["hotline"], actor=None, events=events)
    with django_capture_on_commit_callbacks(execute=True):
        call_events_ingest(hotline=world["hotline"], actor=None, events=events)  # resent: nothing more
    sent = [m for m in backends.outbox if m.channel == "sms"]
    assert len(sent) == 1 and sent[0].to == "13803751234" and "/hotline/rate/" in sent[0].body
