import datetime as dt
import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from open12348.network.tests.factories import UserFactory
from open12348.notifications import backends, reminders
from open12348.notifications.models import Notification, OutboundMessage
from open12348.notifications.reminders import BEFORE, DUE, OVERDUE, Deadline, reminder_stage, run_reminders
from open12348.notifications.tasks import run_reminders_task

TODAY = dt.date(2025, 10, 9)
PHONE = "13712345678"


# --- the stage rule: plain Python, no database ---------------------------------------------------

@pytest.mark.parametrize(("due", "before_days", "stage"), [
    (TODAY + dt.timedelta(days=2), 1, None),
    (TODAY + dt.timedelta(days=1), 1, BEFORE),
    (TODAY + dt.timedelta(days=3), 3, BEFORE),
    (TODAY + dt.timedelta(days=2), 3, BEFORE),  # the job missed a day: the warning still goes out
    (TODAY + dt.timedelta(days=1), 0, None),    # "before" switched off
    (TODAY, 1, DUE),
    (TODAY - dt.timedelta(days=1), 1, OVERDUE),
    (TODAY - dt.timedelta(days=30), 1, OVERDUE),
])
def test_reminder_stage(due, before_days, stage):
    assert reminder_stage(due=due, today=TODAY, before_days=before_days) == stage


# --- the engine -----------------------------------------------------------------------------------

class FakeSource:
    """Open deadlines of a pretend app; the test moves `today` and the engine asks again."""

    def __init__(self, deadlines):
        self.deadlines = deadlines
        self.calls = []

    def __call__(self, *, today):
        self.calls.append(today)
        return list(self.deadlines)


@pytest.fixture
def sources(monkeypatch):
    registry = {}
    monkeypatch.setattr(reminders, "_sources", registry)
    return registry


def _deadline(key, due, recipients, **kwargs):
    return Deadline(key=key, due=due, recipients=recipients, title=f"Assign case {key}", url="/legal-aid/",
                    **kwargs)


def _stages(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("dedupe_key", flat=True))


@pytest.mark.django_db
def test_each_stage_is_sent_once_as_days_pass_and_a_second_run_sends_nothing(
        sources, lawyer, django_capture_on_commit_callbacks):
    due = TODAY
    reminders.register_source("fake", FakeSource([_deadline("case:1:assign", due, [lawyer],
                                                            phones={lawyer.pk: PHONE})]))

    with django_capture_on_commit_callbacks(execute=True):
        runs = [run_reminders(today=day) for day in (
            due - dt.timedelta(days=3),  # too early
            due - dt.timedelta(days=1), due - dt.timedelta(days=1),  # before, twice
            due, due,  # due, twice
            due + dt.timedelta(days=1), due + dt.timedelta(days=2), due + dt.timedelta(days=9),  # overdue, daily
        )]

    assert [r.sent for r in runs] == [0, 1, 0, 1, 0, 1, 0, 0]
    assert [r.skipped for r in runs] == [0, 0, 1, 0, 1, 0, 1, 1]
    assert _stages(lawyer) == ["case:1:assign:2025-10-09:before", "case:1:assign:2025-10-09:due",
                               "case:1:assign:2025-10-09:overdue"]
    assert sorted(Notification.objects.values_list("kind", flat=True)) == [
        "reminder.before", "reminder.due", "reminder.overdue"]
    # Each reminder also went out once by SMS and once by e-mail.
    assert sorted((m.channel, m.to) for m in backends.outbox) == sorted(
        [("sms", PHONE)] * 3 + [("email", "wang@example.com")] * 3)
    assert OutboundMessage.objects.filter(status="sent").count() == 6


@pytest.mark.django_db
def test_a_deadline_with_several_recipients_notifies_each_once(sources, lawyer, dispatcher):
    reminders.register_source("fake", FakeSource([
        _deadline("case:2:agreement", TODAY, [lawyer, dispatcher, lawyer], email=False),
    ]))

    first = run_reminders(today=TODAY)
    second = run_reminders(today=TODAY)

    assert (first.sent, second.sent, second.skipped) == (2, 0, 2)
    assert _stages(lawyer) == _stages(dispatcher) == ["case:2:agreement:2025-10-09:due"]
    assert not OutboundMessage.objects.exists()  # no phone, no e-mail asked for


@pytest.mark.django_db
def test_moving_the_due_date_starts_the_reminders_afresh(sources, lawyer):
    source = FakeSource([_deadline("case:3:close", TODAY, [lawyer])])
    reminders.register_source("fake", source)
    run_reminders(today=TODAY)

    source.deadlines = [_deadline("case:3:close", TODAY + dt.timedelta(days=1), [lawyer])]  # extended
    assert run_reminders(today=TODAY).sent == 1

    assert _stages(lawyer) == ["case:3:close:2025-10-09:due", "case:3:close:2025-10-10:before"]


@pytest.mark.django_db
def test_the_reminder_text_says_when_it_is_due(sources, lawyer, settings):
    settings.LANGUAGE_CODE = "en"
    reminders.register_source("fake", FakeSource([
        Deadline(key="case:4:assign", due=TODAY + dt.timedelta(days=1), recipients=[lawyer],
                 title="Assign case 2025-0004", body="Approved on 2025-10-08.", url="/legal-aid/cases/4/"),
    ]))

    run_reminders(today=TODAY)

    notification = Notification.objects.get()
    assert notification.title == "Due in 1 day: Assign case 2025-0004"
    assert notification.body == "Approved on 2025-10-08.\nDue date: 2025-10-10"
    assert notification.url == "/legal-aid/cases/4/"


@pytest.mark.django_db
def test_a_broken_source_or_recipient_does_not_stop_the_others(sources, lawyer, dispatcher, monkeypatch):
    def broken(*, today):
        raise RuntimeError("the legal aid database view is missing")

    reminders.register_source("broken", broken)
    reminders.register_source("fake", FakeSource([_deadline("case:5:assign", TODAY, [dispatcher, lawyer])]))
    real_notify = reminders.notify

    def notify_failing_for_dispatcher(**kwargs):
        if kwargs["recipient"] == dispatcher:
            raise ConnectionError("database went away")
        return real_notify(**kwargs)

    monkeypatch.setattr(reminders, "notify", notify_failing_for_dispatcher)
    run = run_reminders(today=TODAY)

    assert (run.sent, run.failed, run.failed_sources) == (1, 1, ["broken"])
    assert _stages(lawyer) == ["case:5:assign:2025-10-09:due"]
    # The dispatcher's reminder was not marked as sent, so the next run tries again.
    monkeypatch.setattr(reminders, "notify", real_notify)
    assert run_reminders(today=TODAY).sent == 1
    assert _stages(dispatcher) == ["case:5:assign:2025-10-09:due"]


@pytest.mark.django_db
def test_registering_a_name_again_replaces_the_source(sources, lawyer):
    old, new = FakeSource([]), FakeSource([_deadline("case:6:assign", TODAY, [lawyer])])
    reminders.register_source("fake", old)

    @reminders.register_source("fake")
    def replacement(*, today):
        return new(today=today)

    run_reminders(today=TODAY)
    assert (old.calls, new.calls) == ([], [TODAY])


@pytest.mark.django_db
def test_the_task_and_the_command_run_the_same_engine(sources, lawyer, monkeypatch):
    source = FakeSource([_deadline("case:7:assign", TODAY, [lawyer])])
    reminders.register_source("fake", source)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)

    assert run_reminders_task.apply().get() == {"sent": 1, "skipped": 0, "failed": 0, "failed_sources": []}
    out = StringIO()
    call_command("send_reminders", "--date", "2025-10-09", stdout=out)
    assert "2025-10-09" in out.getvalue()
    assert Notification.objects.count() == 1
    assert source.calls == [TODAY, TODAY]


@pytest.mark.django_db
def test_the_command_refuses_a_malformed_date(sources):
    with pytest.raises(CommandError):
        call_command("send_reminders", "--date", "09/10/2025")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent transactions")
@pytest.mark.django_db(transaction=True)
def test_two_workers_running_at_once_send_each_reminder_once(sources):
    users = [UserFactory() for _ in range(4)]
    reminders.register_source("fake", FakeSource([
        _deadline(f"case:{i}:assign", TODAY, users, phones={u.pk: PHONE for u in users}) for i in range(6)
    ]))
    barrier = threading.Barrier(2)
    runs, errors = [], []

    def worker():
        try:
            barrier.wait()
            runs.append(run_reminders(today=TODAY))
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sum(run.sent for run in runs) == 24
    assert sum(run.failed for run in runs) == 0
    assert Notification.objects.count() == 24
    assert OutboundMessage.objects.filter(status="sent").count() == 24
    assert len(backends.outbox) == 24
