"""The assigned lawyer works on their case's file (即时上传); other lawyers cannot reach it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from open12348.audit.models import AuditEvent
from open12348.legalaid.models import Material
from open12348.network.tests.factories import STRONG_PASSWORD

from .test_cases_fixtures import ASSIGNED_ON, Clock, assigned, granted, world

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def data(monkeypatch):
    Clock(monkeypatch, ASSIGNED_ON)
    return world()


def login(client, user):
    client.login(username=user.username, password=STRONG_PASSWORD)
    return client


def test_the_assigned_lawyer_uploads_and_downloads_on_their_case(client, data):
    case = assigned(data, granted(data))
    login(client, data["lawyer"].user)
    upload = reverse("legalaid:material_upload", args=[case.application_id])
    response = client.post(upload, {"kind": "evidence", "file": SimpleUploadedFile("欠条.pdf", PDF)})
    assert response.status_code == 302
    material = Material.objects.get(application=case.application)
    assert material.uploaded_by == data["lawyer"].user
    document = case.application.documents.get(kind="assignment_notice")
    assert client.get(reverse("legalaid:document_download", args=[case.application_id, document.pk])).status_code == 200
    assert client.get(reverse("legalaid:material_download",
                              args=[case.application_id, material.pk])).status_code == 200
    assert AuditEvent.objects.filter(action="legalaid.material.download", actor=data["lawyer"].user).exists()


def test_another_lawyer_gets_404_and_nothing_is_stored(client, data):
    case = assigned(data, granted(data))
    document = case.application.documents.get(kind="assignment_notice")
    login(client, data["other_lawyer"].user)
    upload = reverse("legalaid:material_upload", args=[case.application_id])
    assert client.post(upload, {"kind": "evidence", "file": SimpleUploadedFile("x.pdf", PDF)}).status_code == 404
    assert client.get(reverse("legalaid:document_download",
                              args=[case.application_id, document.pk])).status_code == 404
    assert not Material.objects.exists()


def test_the_application_page_leads_to_assignment_and_then_to_the_case(client, data):
    application = granted(data)
    login(client, data["director"])
    page = client.get(reverse("legalaid:detail", args=[application.pk])).content.decode()
    assert reverse("cases:assign", args=[application.pk]) in page
    case = assigned(data, application)
    page = client.get(reverse("legalaid:detail", args=[application.pk])).content.decode()
    assert reverse("cases:detail", args=[case.pk]) in page


def test_the_stored_next_deadline_follows_the_status(data):
    from open12348.legalaid import services_cases

    case = assigned(data, granted(data))
    assert case.next_due == case.agreement_due is not None
    services_cases.case_sign_agreement(actor=data["lawyer"].user, case=case, signed_on=ASSIGNED_ON)
    case.refresh_from_db()
    assert case.next_due is None  # in progress: no dated deadline, the no-progress flag watches it


def test_the_review_deadline_is_reminded_to_the_centres_reviewers(data, monkeypatch):
    import datetime as dt

    from open12348.legalaid import services
    from open12348.legalaid.reminders import case_deadline_records
    from open12348.legalaid.tests.factories import wage_claim

    application = services.application_create(actor=data["window_staff"], centre=data["centre"], channel="window",
                                              **wage_claim())
    records = [r for r in case_deadline_records(today=application.review_due - dt.timedelta(days=1))
               if r.kind == "review"]
    assert [r.key for r in records] == [f"legalaid.application:{application.pk}:review"]
    assert set(records[0].recipients) == {data["reviewer"], data["director"]}
    assert records[0].url == reverse("legalaid:detail", args=[application.pk])
