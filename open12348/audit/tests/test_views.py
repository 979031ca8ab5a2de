"""The audit administrator's screens: filters, keyset pages, CSV export, chain check, read-only admin."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from open12348.accounts.roles import Role
from open12348.audit import views as audit_views
from open12348.audit.models import AuditEvent
from open12348.audit.services import audit_record
from open12348.network.tests.factories import UserFactory, pingdingshan, staff_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(client):
    user = staff_in(pingdingshan()["city"], role=Role.AUDIT_ADMIN, username="auditor")
    client.force_login(user)
    return user


def _ids(response) -> list[int]:
    return [e.id for e in response.context["rows"]]


def _csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())  # UTF-8 BOM so Excel shows Chinese
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_log_lists_newest_first_and_filters(client, auditor):
    clerk = UserFactory(username="clerk")
    a = audit_record(actor=clerk, action="network.institution.update", object_type="network.institution",
                     object_id="7")
    b = audit_record(actor=clerk, action="auth.login", result="failure")
    c = audit_record(actor=auditor, action="auth.login")
    url = reverse("audit:log")

    everything = _ids(client.get(url))
    assert everything == sorted(everything, reverse=True) and {a.id, b.id, c.id} <= set(everything)
    assert _ids(client.get(url, {"user": "clerk"})) == [b.id, a.id]
    assert _ids(client.get(url, {"action": "auth.", "user": "clerk"})) == [b.id]
    assert _ids(client.get(url, {"object_type": "network.institution", "object_id": "7"})) == [a.id]
    assert _ids(client.get(url, {"result": "failure"})) == [b.id]


def test_log_filters_by_local_date_range(client, auditor):
    event = audit_record(actor=auditor, action="test.today")
    today = timezone.localdate()
    url = reverse("audit:log")

    assert event.id in _ids(client.get(url, {"date_from": today.isoformat(), "date_to": today.isoformat()}))
    assert _ids(client.get(url, {"date_to": (today - timedelta(days=1)).isoformat()})) == []
    assert _ids(client.get(url, {"date_from": (today + timedelta(days=1)).isoformat()})) == []


def test_invalid_filters_show_errors_not_everything(client, auditor):
    audit_record(actor=auditor, action="test.event")
    today = timezone.localdate()

    response = client.get(reverse("audit:log"), {"date_from": today.isoformat(),
                                                 "date_to": (today - timedelta(days=3)).isoformat()})

    assert response.status_code == 200
    assert "date_to" in response.context["form"].errors and response.context["rows"] == []


def test_log_pages_by_keyset(client, auditor, monkeypatch):
    monkeypatch.setattr(audit_views, "PAGE_SIZE", 3)
    created = [audit_record(actor=auditor, action="test.page", extra={"n": i}).id for i in range(7)]
    url = reverse("audit:log")

    first = client.get(url, {"action": "test.page"})
    second = client.get(url, {"action": "test.page", "before": first.context["next_before"]})
    third = client.get(url, {"action": "test.page", "before": second.context["next_before"]})

    assert _ids(first) + _ids(second) + _ids(third) == sorted(created, reverse=True)
    assert third.context["next_before"] is None
    assert f"before={first.context['next_before']}" in first.content.decode()
    assert "action=test.page" in first.content.decode()  # the "older" link keeps the filters


def test_a_deep_page_costs_the_same_queries_as_the_first(client, auditor, monkeypatch):
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(audit_views, "PAGE_SIZE", 2)
    ids = [audit_record(actor=auditor, action="test.page").id for _ in range(6)]
    url = reverse("audit:log")
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with CaptureQueriesContext(connection) as deep:
        client.get(url, {"before": ids[2]})
    assert len(deep) == len(first)
    assert not any("OFFSET" in q["sql"].upper() for q in deep.captured_queries if "audit_auditevent" in q["sql"])


def test_export_streams_filtered_csv_with_bom_and_is_audited(client, auditor):
    clerk = UserFactory(username="clerk")
    mine = audit_record(actor=clerk, action="network.institution.update", object_repr="河南鹰城律师事务所",
                        changes={"before": {"name": "旧"}, "after": {"name": "新"}})
    audit_record(actor=auditor, action="auth.login")

    response = client.get(reverse("audit:export"), {"user": "clerk"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    rows = _csv_rows(response)
    assert len(rows) == 2  # header + the one matching row
    assert rows[1][0] == str(mine.id) and rows[1][2] == "clerk" and rows[1][6] == "河南鹰城律师事务所"
    assert '"after": {"name": "新"}' in rows[1][10]
    export = AuditEvent.objects.get(action="audit.export")
    assert export.actor_id == auditor.pk and export.extra["filters"] == {"username": "clerk"}


def test_export_neutralises_spreadsheet_formulas(client, auditor):
    # A failed sign-in records whatever was typed as the username.
    audit_record(actor=None, action="auth.login", result="failure", object_repr="=HYPERLINK(\"http://evil\")")

    rows = _csv_rows(client.get(reverse("audit:export"), {"action": "auth.login"}))

    assert rows[1][6] == "'=HYPERLINK(\"http://evil\")"


def test_export_needs_the_export_capability(client, monkeypatch):
    from open12348.accounts import roles

    monkeypatch.setitem(roles.ROLE_CAPABILITIES, Role.AUDIT_ADMIN, frozenset({"console", "audit.view"}))
    client.force_login(staff_in(pingdingshan()["city"], role=Role.AUDIT_ADMIN))

    assert client.get(reverse("audit:log")).status_code == 200
    assert client.get(reverse("audit:export")).status_code == 403
    assert not AuditEvent.objects.filter(action="audit.export").exists()
    assert f'href="{reverse("audit:export")}' not in client.get(reverse("audit:log")).content.decode()  # no button


def test_chain_is_checked_on_request_only_and_the_check_is_audited(client, auditor):
    audit_record(actor=auditor, action="test.event")
    url = reverse("audit:log")

    client.get(url)
    assert not AuditEvent.objects.filter(action="audit.verify_chain").exists()  # not on page load

    response = client.post(url + "?action=test", {"verify": "1"}, follow=True)

    assert response.redirect_chain[-1][0] == url + "?action=test"
    row = AuditEvent.objects.get(action="audit.verify_chain")
    assert row.result == "success" and row.extra == {"intact": True, "first_broken_id": None}
    assert [m.level_tag for m in response.context["messages"]] == ["success"]


def test_chain_check_reports_tampering(client, auditor):
    event = audit_record(actor=auditor, action="test.event")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        cursor.execute("UPDATE audit_auditevent SET action = 'test.forged' WHERE id = %s", [event.id])

    response = client.post(reverse("audit:log"), {"verify": "1"}, follow=True)

    row = AuditEvent.objects.get(action="audit.verify_chain")
    assert row.result == "failure" and row.extra["first_broken_id"] == event.id
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_no_view_changes_or_deletes_audit_rows(client, auditor):
    event = audit_record(actor=auditor, action="test.event")

    for method in ("put", "patch", "delete"):
        assert getattr(client, method)(reverse("audit:log")).status_code == 405
    assert client.post(reverse("audit:export")).status_code == 405
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"


# --- Django admin --------------------------------------------------------------------------

def test_admin_audit_events_are_read_only(client):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    event = audit_record(actor=root, action="test.event")

    changelist = client.get(reverse("admin:audit_auditevent_changelist"))
    change = client.post(reverse("admin:audit_auditevent_change", args=[event.pk]), {"action": "test.forged"})

    assert changelist.status_code == 200
    assert "delete_selected" not in changelist.content.decode()
    assert change.status_code == 403
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert client.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"
    from django.contrib import admin as django_admin

    model_admin = django_admin.site._registry[AuditEvent]
    request = changelist.wsgi_request
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)
    assert model_admin.get_actions(request) == {}
