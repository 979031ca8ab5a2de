import datetime as dt

import pytest
from django.db import connection, transaction
from django.utils import timezone

from open12348.audit.models import AuditEvent
from open12348.notifications import backends, services
from open12348.notifications.backends import MessageBackend
from open12348.notifications.models import Notification, OutboundMessage
from open12348.notifications.tasks import MAX_ATTEMPTS, STALLED_AFTER, resend_stalled_task, send_message_task

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
FAILING = "open12348.notifications.tests.test_services.FailingBackend"


class FailingBackend(MessageBackend):
    calls = 0

    def send(self, message):
        FailingBackend.calls += 1
        # Providers often echo the number they refused: it must not end up in the database.
        raise ConnectionError(f"gateway timeout while sending to {message.to}")


def _notify(user, **kwargs):
    defaults = {"recipient": user, "kind": "case.assigned", "title": "New case assigned",
                "body": "Case 2025-0001 is yours.", "url": "/legal-aid/cases/1/"}
    return services.notify(**{**defaults, **kwargs})


def test_notify_creates_the_notification_and_sends_the_sms_only_after_commit(lawyer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = _notify(lawyer, sms=True, phone=PHONE, dedupe_key="case:1:assigned")
        message = OutboundMessage.objects.get()
        # Inside the transaction: queued, nothing has left the building yet.
        assert message.status == OutboundMessage.Status.QUEUED
        assert backends.outbox == []

    assert len(callbacks) == 1
    assert Notification.objects.get() == notification
    assert (notification.recipient, notification.read_at) == (lawyer, None)
    message.refresh_from_db()
    assert (message.channel, message.status, message.attempts, message.notification) == ("sms", "sent", 1, notification)
    assert message.sent_at is not None
    assert [(m.channel, m.to, m.id) for m in backends.outbox] == [("sms", PHONE, message.pk)]
    assert PHONE not in AuditEvent.objects.get(action="notification.message_sent").extra["to"]


def test_notify_sends_email_to_the_users_address_and_sms_only_when_a_phone_is_given(
        lawyer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _notify(lawyer, email=True, sms=True)  # no phone: SMS is left out, e-mail still goes

    assert [(m.channel, m.to, m.subject) for m in backends.outbox] == [("email", "wang@example.com",
                                                                         "New case assigned")]


def test_nothing_is_notified_or_sent_when_the_callers_transaction_rolls_back(lawyer, django_capture_on_commit_callbacks):
    with (django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError),
          transaction.atomic()):
        _notify(lawyer, sms=True, phone=PHONE, email=True)
        raise RuntimeError("the case assignment failed after the notice was written")

    assert callbacks == []
    assert not Notification.objects.exists()
    assert not OutboundMessage.objects.exists()
    assert backends.outbox == []


def test_a_second_notify_with_the_same_key_returns_none_and_sends_nothing(lawyer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _notify(lawyer, sms=True, phone=PHONE, dedupe_key="case:1:assigned")
        second = _notify(lawyer, sms=True, phone=PHONE, dedupe_key="case:1:assigned")

    assert first is not None and second is None
    assert Notification.objects.count() == 1
    assert OutboundMessage.objects.count() == 1
    assert len(backends.outbox) == 1


def test_the_same_key_for_another_recipient_is_a_separate_notification(lawyer, dispatcher):
    assert _notify(lawyer, dedupe_key="case:1:assigned") is not None
    assert _notify(dispatcher, dedupe_key="case:1:assigned") is not None
    assert Notification.objects.count() == 2


def test_losing_the_insert_race_returns_none_and_leaves_the_callers_transaction_usable(lawyer, monkeypatch):
    # Two workers both pass the "exists?" check; the unique constraint decides, in a savepoint.
    _notify(lawyer, dedupe_key="case:1:assigned")
    monkeypatch.setattr(services, "_notification_exists", lambda **kwargs: False)

    with transaction.atomic():
        assert _notify(lawyer, dedupe_key="case:1:assigned") is None
        assert Notification.objects.count() == 1  # the transaction still works after the IntegrityError


def test_a_deactivated_user_is_not_notified(lawyer):
    lawyer.is_active = False
    lawyer.save()

    assert _notify(lawyer, email=True) is None
    assert not Notification.objects.exists()


def test_running_the_task_again_on_a_sent_message_sends_nothing(lawyer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _notify(lawyer, sms=True, phone=PHONE)
    message = OutboundMessage.objects.get()

    assert send_message_task.apply(args=(message.pk,)).get() == "already_sent"

    message.refresh_from_db()
    assert (message.status, message.attempts) == ("sent", 1)
    assert len(backends.outbox) == 1


def test_a_failing_backend_records_the_error_and_leaves_the_message_retryable(
        lawyer, settings, django_capture_on_commit_callbacks):
    settings.NOTIFY_SMS_BACKEND = FAILING
    FailingBackend.calls = 0
    with django_capture_on_commit_callbacks(execute=True):
        _notify(lawyer, sms=True, phone=PHONE)
    message = OutboundMessage.objects.get()
    message.refresh_from_db()

    # Retried with backoff (inline in eager mode) until the attempts ran out.
    assert FailingBackend.calls == MAX_ATTEMPTS
    assert (message.status, message.attempts, message.sent_at) == ("failed", MAX_ATTEMPTS, None)
    assert message.last_error.startswith("ConnectionError: gateway timeout")
    assert PHONE not in message.last_error
    failures = AuditEvent.objects.filter(action="notification.message_failed")
    assert failures.count() == MAX_ATTEMPTS
    assert all(e.result == AuditEvent.Result.FAILURE and PHONE not in str(e.extra) for e in failures)

    # The provider is back: the same task on the same id now sends it, once.
    settings.NOTIFY_SMS_BACKEND = "open12348.notifications.backends.RecordingBackend"
    assert send_message_task.apply(args=(message.pk,)).get() == "sent"
    message.refresh_from_db()
    assert (message.status, message.last_error) == ("sent", "")
    assert [m.to for m in backends.outbox] == [PHONE]


def test_the_phone_and_email_are_stored_encrypted(lawyer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _notify(lawyer, sms=True, phone=PHONE, email=True)
    column = connection.ops.quote_name("to")
    table = connection.ops.quote_name(OutboundMessage._meta.db_table)

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table}")  # noqa: S608 - names from the model, no input
        stored = [row[0] for row in cursor.fetchall()]

    assert len(stored) == 2
    assert all(PHONE not in value and "wang@example.com" not in value for value in stored)
    assert sorted(m.to for m in OutboundMessage.objects.all()) == sorted([PHONE, "wang@example.com"])
    # Nor does the number leak through the audit trail.
    assert not any(PHONE in str(e.extra) + str(e.changes) + e.object_repr for e in AuditEvent.objects.all())


def test_notify_and_delivery_write_audit_rows(lawyer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify(lawyer, sms=True, phone=PHONE, dedupe_key="case:1:assigned")

    created = AuditEvent.objects.get(action="notification.create")
    assert (created.object_id, created.extra["channels"]) == (str(notification.pk), ["sms"])
    assert AuditEvent.objects.get(action="notification.message_sent").extra["to"] == "139****5678"


def test_message_queue_reaches_someone_without_an_account_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.message_queue(channel="sms", to=PHONE, body="Your appointment is confirmed.",
                                       dedupe_key="appointment:7:confirmed")
        second = services.message_queue(channel="sms", to=PHONE, body="Your appointment is confirmed.",
                                        dedupe_key="appointment:7:confirmed")

    assert first is not None and second is None
    assert [m.to for m in backends.outbox] == [PHONE]


def test_mark_read_is_idempotent_and_refuses_someone_elses(lawyer, dispatcher):
    notification = _notify(lawyer)

    assert services.notification_mark_read(actor=lawyer, notification=notification) is True
    read_at = Notification.objects.get().read_at
    assert read_at is not None
    assert services.notification_mark_read(actor=lawyer, notification=notification) is False
    assert Notification.objects.get().read_at == read_at

    other = _notify(lawyer, title="Another")
    with pytest.raises(services.ApplicationError):
        services.notification_mark_read(actor=dispatcher, notification=other)
    assert Notification.objects.get(pk=other.pk).read_at is None


def test_mark_all_read_touches_only_the_actors_notifications(lawyer, dispatcher):
    for title in ("One", "Two"):
        _notify(lawyer, title=title)
    theirs = _notify(dispatcher)

    assert services.notification_mark_all_read(actor=lawyer) == 2
    assert services.notification_mark_all_read(actor=lawyer) == 0
    assert not Notification.objects.filter(recipient=lawyer, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert AuditEvent.objects.filter(action="notification.read_all").count() == 1


def test_error_text_is_scrubbed_of_numbers_and_addresses():
    assert services._scrub("rejected +86 139 1234 5678 and wang@example.com") == "rejected *** and ***@***"


def test_the_sweep_resends_messages_whose_task_was_lost_but_not_those_that_gave_up(django_capture_on_commit_callbacks):
    lost = services.message_queue(channel="sms", to=PHONE, body="lost")  # its on-commit task never ran
    fresh = services.message_queue(channel="sms", to=PHONE, body="fresh")
    gave_up = services.message_queue(channel="sms", to=PHONE, body="gave up")
    long_ago = timezone.now() - STALLED_AFTER - dt.timedelta(minutes=1)
    OutboundMessage.objects.filter(pk__in=[lost.pk, gave_up.pk]).update(created_at=long_ago)
    OutboundMessage.objects.filter(pk=gave_up.pk).update(status="failed", attempts=MAX_ATTEMPTS,
                                                         last_attempt_at=long_ago)

    with django_capture_on_commit_callbacks(execute=True):
        assert resend_stalled_task.apply().get() == 1

    assert [m.body for m in backends.outbox] == ["lost"]
    assert set(OutboundMessage.objects.filter(status="queued").values_list("pk", flat=True)) == {fresh.pk}
