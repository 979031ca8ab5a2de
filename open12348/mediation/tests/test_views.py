import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from open12348.mediation import services
from open12348.mediation.choices import DisputeStatus
from open12348.mediation.models import DisputeCase

from .conftest import TODAY, register

pytestmark = pytest.mark.django_db


def test_list_shows_the_cases_of_the_area_with_masked_data(client, world, django_assert_max_num_queries):
    for _ in range(6):
        register(world)
    client.force_login(world["mediator"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("mediation:list"))
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == 6
    assert "13803751234" not in response.content.decode()


def test_list_of_another_area_is_empty(client, world):
    register(world)
    client.force_login(world["xinhua_mediator"])
    response = client.get(reverse("mediation:list"))
    assert response.status_code == 200 and len(response.context["page_obj"]) == 0


def test_detail_is_audited_and_404_outside_the_area(client, world):
    case = register(world)
    client.force_login(world["xinhua_mediator"])
    assert client.get(reverse("mediation:detail", args=[case.pk])).status_code == 404
    client.force_login(world["mediator"])
    response = client.get(reverse("mediation:detail", args=[case.pk]))
    assert response.status_code == 200
    from open12348.audit.models import AuditEvent
    assert AuditEvent.objects.filter(action="mediation.case.view", object_id=str(case.pk)).exists()


def test_window_staff_cannot_record_consent_and_nothing_changes(client, world):
    case = register(world)
    party = case.parties.first()
    client.force_login(world["window_staff"])
    response = client.post(reverse("mediation:consent", args=[case.pk, party.pk]), {"consent": "no"})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == DisputeStatus.AWAITING_CONSENT and case.version == 1


def test_register_through_the_form(client, world):
    client.force_login(world["station"])
    data = {"committee": world["committee"].pk, "dispute_type": "family", "source": "walk_in",
            "received_on": TODAY.isoformat(), "facts": "赡养老人费用分担发生争执",
            "mediators": [world["mediators"][0].pk],
            "p0_side": "applicant", "p0_name": "李桂兰", "p0_phone": "13703750000",
            "p1_side": "respondent", "p1_name": "李建军", "p1_id_number": "123"}
    response = client.post(reverse("mediation:register"), data)
    assert response.status_code == 400 and not DisputeCase.objects.exists()
    data["p1_id_number"] = ""
    response = client.post(reverse("mediation:register"), data)
    case = DisputeCase.objects.get()
    assert response.status_code == 302 and case.parties.count() == 2 and case.dispute_type == "family"


def test_action_refused_before_consent_shows_the_form_again(client, world):
    case = register(world)
    client.force_login(world["mediator"])
    response = client.post(reverse("mediation:action", args=[case.pk, "session"]),
                           {"held_on": TODAY.isoformat(), "notes": "调解"})
    assert response.status_code == 400 and not case.sessions.exists()


def test_agreement_download_and_stats_export(client, world):
    case = register(world)
    for party in case.parties.all():
        services.party_consent_record(actor=world["mediator"], party=party, consents=True)
    services.agreement_make(actor=world["mediator"], case=case, made_on=TODAY, issues="责任", content="内容",
                            performance_manner="转账", performance_due=TODAY)
    failed = register(world, dispute_type="labour")
    for party in failed.parties.all():
        services.party_consent_record(actor=world["mediator"], party=party, consents=True)
    services.dispute_fail(actor=world["mediator"], case=failed, closed_on=TODAY, note="不成")
    client.force_login(world["mediator"])
    response = client.get(reverse("mediation:agreement_document", args=[case.pk, "pdf"]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    response = client.get(reverse("mediation:stats"))
    stats = response.context["stats"]
    assert stats.overall.total == 2 and stats.overall.success_rate == 50.0 and stats.overall.median_days == 0
    response = client.get(reverse("mediation:stats"), {"dispute_type": "labour", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    assert "labour" not in values  # the filter is written with its label, at the top
    assert sheet["B3"].value not in (None, "")
    assert 1 in values


def test_county_admin_sees_figures_but_cannot_register(client, world):
    client.force_login(world["bureau_admin"])
    assert client.get(reverse("mediation:stats")).status_code == 200
    assert client.get(reverse("mediation:list")).status_code == 200
    assert client.post(reverse("mediation:register"), {}).status_code == 403
    assert not DisputeCase.objects.exists()


def test_pages_render_in_every_state(client, world):
    case = register(world)
    client.force_login(world["mediator"])
    assert client.get(reverse("mediation:register")).status_code == 200
    for party in case.parties.all():
        response = client.post(reverse("mediation:consent", args=[case.pk, party.pk]), {"consent": "yes"})
        assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == DisputeStatus.MEDIATING
    steps = [("session", {"held_on": TODAY.isoformat(), "notes": "第一次调解"}),
             ("agreement", {"made_on": TODAY.isoformat(), "issues": "责任", "content": "赔偿500元",
                            "performance_manner": "现金", "performance_due": TODAY.isoformat()}),
             ("sign", {"signed_on": TODAY.isoformat(), "all_parties_signed": "on", "mediator_signed": "on",
                       "sealed": "on"}),
             ("confirmation_apply", {"applied_on": TODAY.isoformat(), "court": "卫东区人民法院"}),
             ("confirmation_result", {"result": "confirmed", "decided_on": TODAY.isoformat()}),
             ("performance", {"performance": "performed", "checked_on": TODAY.isoformat()})]
    for action, data in steps:
        response = client.post(reverse("mediation:action", args=[case.pk, action]), data)
        assert response.status_code == 302, (action, response.content.decode()[:500])
        assert client.get(reverse("mediation:detail", args=[case.pk])).status_code == 200
    case.refresh_from_db()
    assert case.agreement.confirmation_result == "confirmed" and case.agreement.performance == "performed"
    assert client.get(reverse("mediation:agreement_document", args=[case.pk, "docx"])).status_code == 200


def test_failed_case_page_offers_referral(client, world):
    case = register(world)
    for party in case.parties.all():
        services.party_consent_record(actor=world["mediator"], party=party, consents=True)
    services.dispute_fail(actor=world["mediator"], case=case, closed_on=TODAY, note="不成")
    client.force_login(world["district"])
    response = client.get(reverse("mediation:detail", args=[case.pk]))
    assert response.status_code == 200 and response.context["can_refer"]
    party = case.parties.first()
    response = client.post(reverse("mediation:refer_legal_aid", args=[case.pk]),
                           {"party": party.pk, "centre": world["centre"].pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.legal_aid_application is not None
