"""Tracking an application in the portal: status, next step and deadline, the lawyer, shared progress,
the decision letter, the rating link, and one 404 for everyone who does not own it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from open12348.audit.models import AuditEvent
from open12348.legalaid import services, services_cases
from open12348.legalaid.models import Application
from open12348.legalaid.tests.test_cases_fixtures import lawyer
from open12348.network.choices import InstitutionKind
from open12348.network.tests.factories import InstitutionFactory

from .test_apply_support import OTHER_PHONE, PHONE, answer_all, centre_setup, citizen, new_draft, wage_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    data = centre_setup()
    data["firm"] = InstitutionFactory(kind=InstitutionKind.LAW_FIRM, name="河南鹰城律师事务所",
                                      region=data["regions"]["weidong"], phone="0375-2000001")
    data["lawyer"] = lawyer(data["firm"], name="王德洲", username="lawyer_wang")
    return data


def applied(client: Client) -> Application:
    draft = new_draft(client)
    answer_all(client, draft, wage_answers())
    client.post(reverse("portal:apply_review", args=[draft.pk]))
    return Application.objects.get(portal_drafts=draft)


def detail(client: Client, application: Application):
    return client.get(reverse("portal:track_detail", args=[application.pk]))


def test_tracking_an_application_through_approval_and_assignment(world):
    client = citizen()
    application = applied(client)
    listing = client.get(reverse("portal:track")).content.decode()
    assert application.number in listing
    page = detail(client, application).content.decode()
    assert 'data-state="received"' in page
    assert application.review_due.strftime("%Y-%m-%d") in page  # the 7-day deadline
    assert 'id="decision-letter"' not in page and "portal/rate" not in page

    services.application_review_start(actor=world["reviewer"], application=application)
    application = services.application_decide(actor=world["director"], application=application, decision="grant",
                                              reasons="符合法律援助条件")
    page = detail(client, application).content.decode()
    assert 'data-state="approved"' in page
    assert application.assignment_due.strftime("%Y-%m-%d") in page
    assert 'id="decision-letter"' in page
    assert f"{reverse('portal:rate')}?kind=application" in page  # decided: the handling can be rated

    case = services_cases.case_assign(actor=world["director"], application=application, lawyer=world["lawyer"])
    page = detail(client, application).content.decode()
    assert 'data-state="case_assigned"' in page
    assert "王德洲" in page and "河南鹰城律师事务所" in page and "0375-2000001" in page
    assert case.agreement_due.strftime("%Y-%m-%d") in page

    lawyer_user = world["lawyer"].user
    services_cases.case_sign_agreement(actor=lawyer_user, case=case, signed_on=timezone.localdate())
    services_cases.case_begin(actor=lawyer_user, case=case)
    today = timezone.localdate()
    services_cases.progress_add(actor=lawyer_user, case=case, kind="report_to_client", occurred_on=today,
                                note="已向仲裁委提交仲裁申请")
    services_cases.progress_add(actor=lawyer_user, case=case, kind="meeting", occurred_on=today,
                                note="内部备注：当事人情绪激动")
    page = detail(client, application).content.decode()
    assert "已向仲裁委提交仲裁申请" in page  # what the lawyer reports to the client is shared
    assert "内部备注" not in page  # the lawyer's own notes are not


def test_the_decision_letter_downloads_for_the_owner_only(world):
    client = citizen()
    application = applied(client)
    services.application_decide(actor=world["director"], application=application, decision="refuse",
                                 reasons="申请事项不属于法律援助范围", override_reason="经审查不符合")
    document = application.documents.get(kind="decision_refuse")
    url = reverse("portal:track_decision", args=[application.pk, document.pk])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="portal.decision.download", object_id=str(document.pk)).exists()
    page = detail(client, application).content.decode()
    assert 'data-state="rejected"' in page
    stranger = citizen(OTHER_PHONE)
    assert stranger.get(url).status_code == 404
    # Another document of the application (not a decision letter) is not offered here.
    receipt = services.document_issue(actor=world["director"], application=application, kind="material_receipt")
    assert client.get(reverse("portal:track_decision", args=[application.pk, receipt.pk])).status_code == 404


def test_everyone_but_the_owner_gets_the_same_404(world):
    owner = citizen()
    application = applied(owner)
    stranger = citizen(OTHER_PHONE)
    missing = application.pk + 1000
    for name, args in (("track_detail", []), ("track_form", ["application", "pdf"]),
                       ("track_form", ["economic", "docx"])):
        theirs = stranger.get(reverse(f"portal:{name}", args=[application.pk, *args]))
        nothing = stranger.get(reverse(f"portal:{name}", args=[missing, *args]))
        assert theirs.status_code == nothing.status_code == 404
    assert stranger.get(reverse("portal:track"), {"number": application.number}).status_code == 404
    assert application.number not in stranger.get(reverse("portal:track")).content.decode()
    anonymous = Client().get(reverse("portal:track_detail", args=[application.pk]))
    assert anonymous.status_code == 302 and reverse("portal:verify") in anonymous["Location"]


def test_the_number_from_the_receipt_opens_the_application(world):
    client = citizen()
    application = applied(client)
    response = client.get(reverse("portal:track"), {"number": application.number})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:track_detail", args=[application.pk])


def test_an_application_made_at_the_window_with_this_phone_is_tracked_too(world):
    from .test_apply_support import WOMAN_ELDERLY

    window = services.application_create(
        actor=world["window_staff"], centre=world["centre"], channel="window",
        applicant={"name": "赵桂兰", "id_number": WOMAN_ELDERLY, "phone": PHONE},
        details={"matter": "CV-04", "category": "civil", "aid_form": "civil_litigation"},
    )
    client = citizen()
    assert window.number in client.get(reverse("portal:track")).content.decode()
    assert detail(client, window).status_code == 200
    assert citizen(OTHER_PHONE).get(reverse("portal:track_detail", args=[window.pk])).status_code == 404


def test_the_filled_in_forms_of_an_application_are_audited(world):
    client = citizen()
    application = applied(client)
    response = client.get(reverse("portal:track_form", args=[application.pk, "application", "pdf"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert AuditEvent.objects.filter(action="portal.form.download", object_id=str(application.pk)).exists()


def test_the_list_costs_a_fixed_number_of_queries(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = citizen()
    applied(client)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("portal:track"))
    for _n in range(4):
        applied(client)
    with CaptureQueriesContext(connection) as five:
        response = client.get(reverse("portal:track"))
    assert len(five.captured_queries) == len(one.captured_queries) <= 12
    assert response.content.decode().count('href="/portal/track/') >= 5


def test_a_closed_case_can_be_rated(world):
    client = citizen()
    application = applied(client)
    services.application_decide(actor=world["director"], application=application, decision="grant", reasons="符合")
    case = services_cases.case_assign(actor=world["director"], application=application, lawyer=world["lawyer"])
    user = world["lawyer"].user
    services_cases.case_sign_agreement(actor=user, case=case, signed_on=timezone.localdate())
    services_cases.case_begin(actor=user, case=case)
    checklist = {code: True for code, _label in services_cases.case_checklist(case)}
    services_cases.case_close(actor=user, case=case, how_ended="arbitral_award", ended_on=timezone.localdate(),
                              outcome="裁决支付工资36000元", amount_recovered="36000", people_aided=3, hearings=1,
                              checklist=checklist)
    page = detail(client, application).content.decode()
    assert 'data-state="case_closed"' in page
    assert f"{reverse('portal:rate')}?kind=case" in page
