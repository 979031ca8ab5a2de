"""Audit retention: archive rows past the retention period (manage.py audit_archive), re-check an
archive offline, purge the archived rows keeping the chain verifiable, and the alarm on a broken chain."""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from open12348.accounts.roles import Role
from open12348.audit.archive import ArchiveInvalid, audit_archive_verify, audit_purge, manifest_path
from open12348.audit.models import AuditAnchor, AuditEvent
from open12348.audit.services import audit_chain_check, audit_record, audit_verify_chain
from open12348.audit.tasks import check_chain_task
from open12348.core.errors import ApplicationError
from open12348.network.tests.factories import pingdingshan, staff_in
from open12348.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _rows_at(when, count: int, prefix: str) -> list[AuditEvent]:
    with mock.patch("django.utils.timezone.now", return_value=when):
        return [audit_record(actor=None, action=f"{prefix}.{n}", extra={"n": n, "名": "张三"}) for n in range(count)]


@pytest.fixture
def history():
    """Five rows from 300 days ago, three from 250 days ago, two from today."""
    now = timezone.now()
    old = _rows_at(now - timedelta(days=300), 5, "test.old")
    middle = _rows_at(now - timedelta(days=250), 3, "test.middle")
    recent = _rows_at(now, 2, "test.recent")
    return {"old": old, "middle": middle, "recent": recent}


def _before(days_ago: int) -> str:
    return (timezone.localdate() - timedelta(days=days_ago)).isoformat()


def _lines(path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def test_archive_and_verify_round_trip(history, tmp_path):
    out = tmp_path / "audit-old.jsonl.gz"
    call_command("audit_archive", "--before", _before(280), "--out", str(out))

    manifest = json.loads(manifest_path(out).read_text())
    rows = _lines(out)
    assert [r["action"] for r in rows] == [e.action for e in history["old"]]
    assert rows[0]["extra"] == {"n": 0, "名": "张三"}  # Chinese kept as such
    assert manifest["row_count"] == 5
    assert (manifest["first_id"], manifest["last_id"]) == (history["old"][0].id, history["old"][-1].id)
    assert manifest["first_prev_hash"] == "0" * 64 and manifest["last_hash"] == history["old"][-1].hash
    assert manifest["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert audit_archive_verify(path=out).row_count == 5
    # Archiving changes nothing in the database but records itself.
    assert AuditEvent.objects.filter(action__startswith="test.").count() == 10
    recorded = AuditEvent.objects.get(action="audit.archive")
    assert recorded.actor_username.startswith("manage.py:") and recorded.extra["row_count"] == 5

    call_command("audit_archive", "--verify", str(out))  # the offline check from the command line


def test_a_tampered_archive_is_detected(history, tmp_path):
    out = tmp_path / "a.jsonl.gz"
    call_command("audit_archive", "--before", _before(280), "--out", str(out))
    rows = _lines(out)

    # 1. Changed after the manifest was written: the file's SHA-256 no longer matches.
    rows[2]["action"] = "test.innocent"
    with gzip.open(out, "wt", encoding="utf-8") as f:
        f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    with pytest.raises(ArchiveInvalid, match="SHA-256"):
        audit_archive_verify(path=out)

    # 2. The manifest updated to the new file too: the row's own hash gives it away.
    manifest = json.loads(manifest_path(out).read_text())
    manifest["sha256"] = hashlib.sha256(out.read_bytes()).hexdigest()
    manifest_path(out).write_text(json.dumps(manifest))
    with pytest.raises(ArchiveInvalid) as refused:
        audit_archive_verify(path=out)
    assert f"row {history['old'][2].id}" in str(refused.value) or str(history["old"][2].id) in str(refused.value)
    with pytest.raises(CommandError):
        call_command("audit_archive", "--verify", str(out))

    # 3. A row removed and the manifest fixed up: the chain has a gap.
    del rows[2]
    rows[1]["action"] = history["old"][1].action
    with gzip.open(out, "wt", encoding="utf-8") as f:
        f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    manifest.update(sha256=hashlib.sha256(out.read_bytes()).hexdigest(), row_count=4)
    manifest_path(out).write_text(json.dumps(manifest))
    with pytest.raises(ArchiveInvalid):
        audit_archive_verify(path=out)


def test_a_date_inside_the_retention_period_is_refused(history, tmp_path, settings):
    assert settings.AUDIT_RETENTION_DAYS == 180
    out = tmp_path / "too-new.jsonl.gz"
    with pytest.raises(CommandError, match="180"):
        call_command("audit_archive", "--before", _before(179), "--out", str(out), "--purge")
    assert not out.exists() and not manifest_path(out).exists()
    assert AuditEvent.objects.filter(action__startswith="test.").count() == 10
    assert not AuditEvent.objects.filter(action__in=["audit.archive", "audit.purge"]).exists()
    # 180 days ago exactly is allowed (there is nothing that old but the history's rows).
    call_command("audit_archive", "--before", _before(180), "--out", str(out))
    assert json.loads(manifest_path(out).read_text())["row_count"] == 8


def test_purge_keeps_the_chain_verifiable_and_is_audited(history, tmp_path):
    first = tmp_path / "first.jsonl.gz"
    call_command("audit_archive", "--before", _before(280), "--out", str(first), "--purge")

    assert not AuditEvent.objects.filter(action__startswith="test.old").exists()
    assert AuditEvent.objects.filter(action__startswith="test.").count() == 5
    anchor = AuditAnchor.objects.get()
    assert (anchor.last_id, anchor.last_hash, anchor.row_count) == (history["old"][-1].id, history["old"][-1].hash, 5)
    purge = AuditEvent.objects.get(action="audit.purge")
    assert purge.extra["last_hash"] == anchor.last_hash and purge.extra["rows"] == 5
    assert audit_verify_chain() == (True, None)

    # The chain goes on, and a second archive continues from the anchor.
    audit_record(actor=None, action="test.after_purge")
    second = tmp_path / "second.jsonl.gz"
    call_command("audit_archive", "--before", _before(200), "--out", str(second), "--purge")
    manifest = json.loads(manifest_path(second).read_text())
    assert manifest["first_prev_hash"] == history["old"][-1].hash
    assert manifest["row_count"] == 3  # the middle rows (the first purge's own rows are from today)
    assert audit_verify_chain() == (True, None)
    assert AuditAnchor.objects.count() == 2

    # The old archive cannot be purged again (its rows are gone), and still verifies offline.
    with pytest.raises(ApplicationError) as refused:
        audit_purge(path=first)
    assert refused.value.code == "archive_mismatch"
    assert AuditAnchor.objects.count() == 2 and audit_verify_chain() == (True, None)
    assert audit_archive_verify(path=first).row_count == 5


def test_an_anchor_slipped_in_by_hand_does_not_hide_deleted_rows(history):
    # Someone with database access deletes the oldest rows and adds an anchor that fits the next row.
    victim = history["old"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL open12348.audit_purge = 'on'")
        cursor.execute("DELETE FROM audit_auditevent WHERE id <= %s", [victim[-1].id])
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL open12348.audit_purge = 'off'")
    assert audit_verify_chain() == (False, history["middle"][0].id)
    AuditAnchor.objects.create(created_at=timezone.now(), before=timezone.localdate(), first_id=victim[0].id,
                               last_id=victim[-1].id, row_count=5, first_prev_hash="0" * 64,
                               last_hash=victim[-1].hash, file_name="made-up.jsonl.gz", file_sha256="0" * 64)
    intact, broken = audit_verify_chain()
    assert not intact and broken == history["middle"][0].id


def test_a_broken_chain_is_logged_critical_and_the_security_admins_are_told(
        history, caplog, django_capture_on_commit_callbacks):
    regions = pingdingshan()
    secadmin = staff_in(regions["city"], role=Role.SECURITY_ADMIN)
    auditor = staff_in(regions["city"], role=Role.AUDIT_ADMIN)
    assert check_chain_task() is True
    assert not Notification.objects.exists()

    # Someone with the database owner's rights rewrites a row (on PostgreSQL, switching the trigger off first).
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        cursor.execute("UPDATE audit_auditevent SET action = 'test.rewritten' WHERE id = %s", [history["middle"][1].id])
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")
    with caplog.at_level(logging.CRITICAL, logger="open12348.audit"), \
            django_capture_on_commit_callbacks(execute=True):
        intact, broken = audit_chain_check()
    assert (intact, broken) == (False, history["middle"][1].id)
    assert any(r.levelno == logging.CRITICAL and str(broken) in r.getMessage() for r in caplog.records)
    told = Notification.objects.get()
    assert told.recipient == secadmin and told.kind == "audit.chain_broken"
    assert not Notification.objects.filter(recipient=auditor).exists()
    check = AuditEvent.objects.filter(action="audit.verify_chain").latest("id")
    assert check.result == AuditEvent.Result.FAILURE and check.extra["first_broken_id"] == broken


@pytest.mark.parametrize("role", Role.values)
def test_only_the_audit_administrator_sees_the_archives(client, role, history, tmp_path):
    call_command("audit_archive", "--before", _before(280), "--out", str(tmp_path / "a.jsonl.gz"), "--purge")
    user = staff_in(pingdingshan()["city"], role=role)
    client.force_login(user)
    response = client.get(reverse("audit:archives"))
    if role == Role.AUDIT_ADMIN:
        assert response.status_code == 200
        assert AuditAnchor.objects.get().last_hash in response.content.decode()
    else:
        assert response.status_code == 403
        assert AuditAnchor.objects.get().last_hash not in response.content.decode()
        assert AuditEvent.objects.filter(actor=user, action="auth.permission_denied", result="denied").count() == 1
    assert AuditAnchor.objects.count() == 1 and audit_verify_chain() == (True, None)
