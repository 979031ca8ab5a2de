"""The audit log is append-only and tamper-evident."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from open12348.audit.models import AuditEvent, AuditImmutableError
from open12348.audit.services import audit_record, audit_verify_chain
from open12348.network.tests.factories import UserFactory, pingdingshan, staff_in

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="the append-only trigger exists on PostgreSQL only")


@pytest.fixture
def events():
    actor = UserFactory()
    return [audit_record(actor=actor, action=f"test.event{i}", extra={"n": i}) for i in range(3)]


def test_saving_an_existing_row_is_refused(events):
    event = AuditEvent.objects.get(pk=events[1].pk)
    event.action = "test.rewritten"

    with pytest.raises(AuditImmutableError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event1"


def test_deleting_a_row_is_refused(events):
    with pytest.raises(AuditImmutableError):
        events[0].delete()
    assert AuditEvent.objects.filter(pk=events[0].pk).exists()


def test_queryset_update_and_delete_are_refused(events):
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=events[0].pk).update(action="test.rewritten")
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.count() == 3
    assert AuditEvent.objects.get(pk=events[0].pk).action == "test.event0"


@postgres_only
def test_raw_sql_update_and_delete_fail_in_the_database(events):
    for sql in ("UPDATE audit_auditevent SET action = 'test.rewritten' WHERE id = %s",
                "DELETE FROM audit_auditevent WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, [events[0].pk])
    assert AuditEvent.objects.get(pk=events[0].pk).action == "test.event0"


def test_chain_verifies_when_untouched(events):
    assert audit_verify_chain() == (True, None)


def _tamper(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Only the table owner can do this, and only inside this test's transaction, which
            # pytest-django rolls back (DDL included) afterwards.
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        cursor.execute(sql, params)


def test_chain_detects_a_changed_row(events):
    _tamper("UPDATE audit_auditevent SET action = %s WHERE id = %s", ["test.rewritten", events[1].pk])

    assert audit_verify_chain() == (False, events[1].pk)


def test_chain_detects_a_deleted_row(events):
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])

    assert audit_verify_chain() == (False, events[2].pk)


def test_chain_detects_a_rehashed_row(events):
    """Recomputing the tampered row's own hash is not enough: the next row still points to the old one."""
    from open12348.audit.services import event_hash

    event = AuditEvent.objects.get(pk=events[1].pk)
    event.extra = {"n": 99}
    _tamper("UPDATE audit_auditevent SET extra = %s, hash = %s WHERE id = %s",
            ['{"n": 99}', event_hash(event), events[1].pk])

    assert audit_verify_chain() == (False, events[2].pk)


def test_a_refused_action_leaves_a_denied_row_and_changes_nothing(client):
    clerk = staff_in(pingdingshan()["xinhua"])
    client.force_login(clerk)
    before = AuditEvent.objects.count()

    response = client.get(reverse("audit:export"))

    assert response.status_code == 403
    rows = list(AuditEvent.objects.order_by("id")[before:])
    assert [(r.action, r.result, r.actor_id) for r in rows] == [("auth.permission_denied", "denied", clerk.pk)]
    assert rows[0].extra["capability"] == "audit.export"
    assert rows[0].extra["path"] == reverse("audit:export")


def test_chain_detects_an_inserted_row(events):
    """A forged row slipped in at the end, chained and hashed by the published algorithm, is still found:
    the chain head (updated only by audit_record, in the same transaction) names the real last row."""
    import datetime as dt

    from open12348.audit.services import event_hash

    forged = AuditEvent(at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), actor_username="nobody", action="test.forged",
                        extra={}, changes={}, prev_hash=events[2].hash, result="success")
    forged.hash = event_hash(forged)
    _tamper("INSERT INTO audit_auditevent (at, actor_username, action, object_type, object_id, object_repr, changes,"
            " result, source_ip, user_agent, extra, prev_hash, hash) VALUES (%s, %s, %s, '', '', '', '{}', %s, '', '',"
            " '{}', %s, %s)",
            [forged.at, "nobody", "test.forged", "success", forged.prev_hash, forged.hash])
    forged_id = AuditEvent.objects.get(action="test.forged").pk

    assert audit_verify_chain() == (False, forged_id)
