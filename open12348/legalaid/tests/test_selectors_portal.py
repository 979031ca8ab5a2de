"""Reads for the public portal: which centre a county's applications go to, and a citizen's own
applications (by the keyed hash of a proved phone) with what their tracking page shows."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.utils import timezone

from open12348.core.crypto import blind_index
from open12348.legalaid import selectors_portal as sp
from open12348.legalaid import services, services_cases
from open12348.network.choices import InstitutionKind, RegionLevel
from open12348.network.tests.factories import InstitutionFactory, make_region

from .factories import MAN, WOMAN_ELDERLY, centre_setup, id_number, wage_claim
from .test_cases_fixtures import lawyer

pytestmark = pytest.mark.django_db

PHONE = "13803751234"


def phone_hash(phone: str = PHONE) -> str:
    return blind_index(phone, purpose="phone")


def test_a_county_goes_to_its_own_centre_else_to_the_one_above_it():
    data = centre_setup()
    lushan = make_region("410423", "鲁山县", RegionLevel.COUNTY, data["regions"]["city"])
    assert sp.centre_for_region(region_code="410403") == data["centre"]
    assert sp.centre_for_region(region_code="410402") == data["other_centre"]
    assert sp.centre_for_region(region_code="410423") is None
    assert [r.code for r in sp.application_regions()] == ["410402", "410403"]
    city_centre = InstitutionFactory(kind=InstitutionKind.LEGAL_AID_CENTRE, name="平顶山市法律援助中心",
                                     region=data["regions"]["city"])
    assert sp.centre_for_region(region_code=lushan.code) == city_centre
    assert sp.centre_for_region(region_code="410403") == data["centre"]  # the county's own still comes first
    assert [r.code for r in sp.application_regions()] == ["410402", "410403", "410423"]
    assert sp.centre_for_region(region_code="999999") is None


def test_a_phone_sees_applications_where_it_is_the_applicants_or_the_agents_and_its_drafts():
    data = centre_setup()
    mine = services.application_create(actor=data["window_staff"], centre=data["centre"], channel="window",
                                       **wage_claim(applicant={"name": "康建军", "id_number": MAN, "phone": PHONE}))
    as_agent = services.application_create(
        actor=data["window_staff"], centre=data["centre"], channel="window",
        applicant={"name": "王小", "id_number": id_number("41040220120605122")},
        agent={"name": "赵桂兰", "id_number": WOMAN_ELDERLY, "phone": PHONE}, agent_relationship="祖母",
        details={"matter": "CV-04", "category": "civil", "aid_form": "civil_litigation"})
    other = services.application_create(
        actor=data["window_staff"], centre=data["centre"], channel="window",
        applicant={"name": "李明", "id_number": id_number("41040319900101123"), "phone": "13900000000"},
        details={"matter": "CV-04", "category": "civil", "aid_form": "civil_litigation"})
    assert set(sp.citizen_applications(phone_hash=phone_hash())) == {mine, as_agent}
    assert set(sp.citizen_applications(phone_hash=phone_hash(), application_ids=[other.pk])) == {mine, as_agent, other}
    assert list(sp.citizen_applications(phone_hash="", application_ids=[])) == []
    assert sp.citizen_application(phone_hash=phone_hash(), id=mine.pk) == mine
    for missing in (other.pk, other.pk + 100):
        with pytest.raises(Http404):
            sp.citizen_application(phone_hash=phone_hash(), id=missing)


def test_a_persons_phone_differs_unless_it_is_the_same():
    data = centre_setup()
    assert sp.person_phone_differs(id_number=MAN, phone_hash=phone_hash()) is False  # nobody registered
    services.application_create(actor=data["window_staff"], centre=data["centre"], channel="window",
                                **wage_claim(applicant={"name": "康建军", "id_number": MAN, "phone": PHONE}))
    assert sp.person_phone_differs(id_number=MAN, phone_hash=phone_hash()) is False
    assert sp.person_phone_differs(id_number=MAN, phone_hash=phone_hash("13900000000")) is True


def test_tracking_shows_the_deadline_the_lawyer_and_only_shared_progress(django_assert_max_num_queries):
    data = centre_setup()
    firm = InstitutionFactory(kind=InstitutionKind.LAW_FIRM, name="河南鹰城律师事务所", region=data["regions"]["weidong"],
                              phone="0375-2000001")
    counsel = lawyer(firm, name="王德洲", username="lawyer_wang")
    application = services.application_create(actor=data["window_staff"], centre=data["centre"], channel="window",
                                              **wage_claim())
    tracking = sp.tracking_for(application)
    assert (tracking.state, tracking.due, tracking.can_rate) == ("received", application.review_due, False)

    services.supplement_request(actor=data["reviewer"], application=application, items=["工资欠条", "身份证复印件"])
    application.refresh_from_db()
    tracking = sp.tracking_for(application)
    assert tracking.state == "supplement_requested"
    assert tracking.supplement_items == ("工资欠条", "身份证复印件") and tracking.due == application.supplement_due
    services.supplement_receive(actor=data["window_staff"], application=application)
    application.refresh_from_db()
    application = services.application_decide(actor=data["director"], application=application, decision="grant",
                                              reasons="符合")
    tracking = sp.tracking_for(application)
    assert tracking.state == "approved" and tracking.due == application.assignment_due and tracking.can_rate
    assert tracking.decision_document.kind == "decision_grant" and not tracking.case_over

    case = services_cases.case_assign(actor=data["director"], application=application, lawyer=counsel)
    services_cases.case_sign_agreement(actor=counsel.user, case=case, signed_on=timezone.localdate())
    services_cases.case_begin(actor=counsel.user, case=case)
    today = timezone.localdate()
    services_cases.progress_add(actor=counsel.user, case=case, kind="report_to_client", occurred_on=today,
                                note="已提交仲裁申请")
    services_cases.progress_add(actor=counsel.user, case=case, kind="evidence", occurred_on=today, note="取证")
    services_cases.progress_add(actor=counsel.user, case=case, kind="hearing", occurred_on=today, note="庭审要点",
                                court="平顶山市劳动人事争议仲裁委员会", hearing_at=timezone.now())
    application = sp.citizen_application(phone_hash=blind_index("13803751234", purpose="phone"), id=application.pk)
    with django_assert_max_num_queries(5):
        tracking = sp.tracking_for(application)
    assert tracking.state == "case_in_progress"
    assert (tracking.lawyer_name, tracking.institution_name, tracking.institution_phone) == (
        "王德洲", "河南鹰城律师事务所", "0375-2000001")
    assert [(p.kind, p.note, p.court) for p in tracking.progress] == [
        ("report_to_client", "已提交仲裁申请", ""),
        ("hearing", "", "平顶山市劳动人事争议仲裁委员会"),  # the hearing's date and place, not the lawyer's notes
    ]
    assert tuple(k for k, _at in tracking.events if k == "granted") == ("granted", )


def test_only_decision_letters_are_offered():
    data = centre_setup()
    application = services.application_create(actor=data["window_staff"], centre=data["centre"], channel="window",
                                              **wage_claim())
    services.application_decide(actor=data["director"], application=application, decision="grant", reasons="符合")
    letter = application.documents.get()
    assert sp.decision_document(application=application, document_id=letter.pk) == letter
    receipt = services.document_issue(actor=data["director"], application=application, kind="material_receipt")
    with pytest.raises(Http404):
        sp.decision_document(application=application, document_id=receipt.pk)
