import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from open12348.core.errors import ApplicationError
from open12348.frontdesk import services
from open12348.frontdesk.choices import QueueStatus, TicketKind, TicketStatus
from open12348.frontdesk.documents import referral_letter_pdf
from open12348.frontdesk.models import ConsultationRecord, QueueNumber, Ticket, Visit
from open12348.legalaid.eligibility.codes import Channel
from open12348.legalaid.models import Application, Person
from open12348.legalaid.services import application_decide
from open12348.legalaid.tests.factories import MAN
from open12348.mediation import services as mediation
from open12348.mediation.choices import DisputeSource
from open12348.mediation.models import DisputeCase
from open12348.notifications.models import OutboundMessage

from .conftest import TODAY

pytestmark = pytest.mark.django_db

VISITOR = {"name": "康建军", "id_number": MAN, "phone": "13803751234", "address": "卫东区建设路1号"}


def two_requests(world):
    return [
        {"kind": "legal_aid", "centre": world["centre"], "details": {
            "matter": "CV-05", "matter_subtype": "wages", "category": "civil", "aid_form": "labour_arbitration",
            "stage": "arbitration", "cause": "追索劳动报酬", "opposing_party": "平顶山某建筑公司",
            "facts": "工地拖欠工资三个月"}, "household": {"members": 3, "monthly_income": "2400"}},
        {"kind": "mediation", "committee": world["committee"], "dispute_type": "neighbours",
         "facts": "邻居院墙滴水纠纷", "respondents": [{"name": "王秀英", "phone": "13903759876"}]},
    ]


def test_one_visitor_two_back_offices_both_results_come_back(desk_world, clock):
    world = desk_world
    number = services.queue_take(actor=world["window_staff"], desk=world["centre"])
    assert number.label == "A001"
    clock.set(TODAY, 10)
    visit = services.visit_register(actor=world["window_staff"], desk=world["centre"], person=VISITOR,
                                    requests=two_requests(world), queue_number=number)
    number.refresh_from_db()
    assert number.status == QueueStatus.SERVED and visit.queue_number == number
    aid, med = visit.tickets.order_by("id")
    assert aid.kind == TicketKind.LEGAL_AID and aid.owner == world["centre"]
    assert aid.application.channel == Channel.WINDOW and aid.application.applicant == visit.person
    assert med.kind == TicketKind.MEDIATION and med.owner == world["committee"]
    assert med.dispute.source == DisputeSource.FRONT_DESK and med.dispute.source_detail == med.number
    assert med.dispute.parties.get(side="applicant").name == "康建军"
    assert aid.feedback_due == dt.date(2026, 3, 9) and med.feedback_due == dt.date(2026, 4, 1)
    assert Person.objects.count() == 1 + 0  # the visitor once, found again by the application

    # Nothing has come back yet: syncing changes nothing and tells nobody.
    assert services.tickets_sync_open() == 0
    assert not OutboundMessage.objects.exists()

    # The legal aid centre decides; the mediation committee mediates to an agreement.
    application_decide(actor=world["director"], application=aid.application, decision="grant", reasons="符合条件")
    dispute = med.dispute
    for party in dispute.parties.all():
        mediation.party_consent_record(actor=world["mediator"], party=party, consents=True)
    mediation.agreement_make(actor=world["mediator"], case=dispute, made_on=TODAY, issues="双方均有责任",
                             content="疏通排水沟", performance_manner="自行疏通", performance_due=TODAY)

    assert services.tickets_sync_open() == 2
    aid.refresh_from_db()
    med.refresh_from_db()
    for ticket in (aid, med):
        assert ticket.status == TicketStatus.RESOLVED and ticket.person_told_at is not None
        assert ticket.result
    assert aid.application.number in aid.result and med.dispute.number in med.result
    messages = OutboundMessage.objects.order_by("id")
    assert [m.to for m in messages] == ["13803751234", "13803751234"]
    assert all("康建军" not in m.body for m in messages)
    # Again: nothing changes, nothing is sent twice.
    assert services.tickets_sync_open() == 0
    assert OutboundMessage.objects.count() == 2


def test_a_failed_request_rolls_back_the_whole_visit(desk_world):
    requests = two_requests(desk_world)
    requests[1]["respondents"] = []  # a dispute without a respondent is refused
    with pytest.raises(ApplicationError) as exc:
        services.visit_register(actor=desk_world["window_staff"], desk=desk_world["centre"], person=VISITOR,
                                requests=requests)
    assert exc.value.code == "parties_required"
    assert not Visit.objects.exists() and not Application.objects.exists() and not DisputeCase.objects.exists()
    assert not Ticket.objects.exists()


def test_consultation_on_the_spot_goes_to_the_register(desk_world):
    visit = services.visit_register(
        actor=desk_world["window_staff"], desk=desk_world["centre"], person=VISITOR,
        requests=[{"kind": "consultation", "topic": "工资", "question": "老板拖欠工资怎么办", "answer": "可申请劳动仲裁"}])
    ticket = visit.tickets.get()
    assert ticket.status == TicketStatus.RESOLVED
    record = ConsultationRecord.objects.get()
    assert record.channel == "visit" and record.ticket == ticket and record.phone_masked == "138****1234"


def test_referral_letter_and_result_recorded_by_staff(desk_world):
    visit = services.visit_register(
        actor=desk_world["window_staff"], desk=desk_world["centre"], person=VISITOR,
        requests=[{"kind": "notary", "owner": desk_world["notary"], "summary": "办理继承公证"}])
    ticket = visit.tickets.get()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(referral_letter_pdf(ticket))).pages)
    text = text.replace(" ", "").replace("\n", "")
    assert "转介函" in text and "平顶山市卫东区公证处" in text and "康建军" in text and "办理继承公证" in text
    with pytest.raises(ApplicationError):
        services.ticket_result_record(actor=desk_world["mediator"], ticket=ticket, result="已办理")
    ticket.refresh_from_db()
    assert ticket.status == TicketStatus.OPEN and not OutboundMessage.objects.exists()
    ticket = services.ticket_result_record(actor=desk_world["window_staff"], ticket=ticket, result="公证书已出具")
    assert ticket.status == TicketStatus.RESOLVED and ticket.person_told_at is not None
    assert OutboundMessage.objects.get().to == "13803751234"


def test_visitor_without_phone_is_not_told_by_sms_and_the_desk_sees_it(desk_world):
    visit = services.visit_register(
        actor=desk_world["window_staff"], desk=desk_world["centre"], person={"name": "无电话"},
        requests=[{"kind": "lawyer", "owner_name": "河南鹰城律师事务所", "summary": "咨询代理"}])
    ticket = services.ticket_result_record(actor=desk_world["window_staff"], ticket=visit.tickets.get(),
                                           result="已接洽")
    assert ticket.person_told_at is None and ticket.events.filter(action="not_told").exists()


def test_queue_numbers_restart_every_day_and_measure_the_wait(desk_world, clock):
    staff, desk = desk_world["window_staff"], desk_world["centre"]
    clock.set(TODAY, 9)
    first = services.queue_take(actor=staff, desk=desk)
    second = services.queue_take(actor=staff, desk=desk)
    assert [first.label, second.label] == ["A001", "A002"]
    clock.now = clock.now + dt.timedelta(minutes=12)
    called = services.queue_call_next(actor=staff, desk=desk)
    assert called == first and called.wait_minutes == 12
    clock.set(TODAY + dt.timedelta(days=1), 9)
    assert services.queue_take(actor=staff, desk=desk).label == "A001"


def test_staff_of_another_desk_cannot_register_and_nothing_changes(desk_world):
    with pytest.raises(ApplicationError) as exc:
        services.visit_register(actor=desk_world["mediator"], desk=desk_world["centre"], person=VISITOR,
                                requests=two_requests(desk_world))
    assert exc.value.status == 403
    with pytest.raises(ApplicationError) as exc:
        services.queue_take(actor=desk_world["station"], desk=desk_world["centre"])
    assert exc.value.code == "desk_not_yours"
    assert not Visit.objects.exists() and not Person.objects.exists() and not QueueNumber.objects.exists()


def test_home_lists_tickets_with_overdue_highlighted(client, desk_world, clock, django_assert_max_num_queries):
    for _ in range(3):
        services.visit_register(actor=desk_world["window_staff"], desk=desk_world["centre"], person=VISITOR,
                                requests=two_requests(desk_world) + [
                                    {"kind": "notary", "owner": desk_world["notary"], "summary": "继承公证"}])
    clock.set(TODAY + dt.timedelta(days=60))
    client.force_login(desk_world["window_staff"])
    with django_assert_max_num_queries(16):
        response = client.get(reverse("frontdesk:home"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert len(rows) == 9 and all(overdue for _t, _s, overdue in rows)
    assert "13803751234" not in response.content.decode()
    response = client.get(reverse("frontdesk:home"), {"kind": "mediation"})
    assert len(response.context["rows"]) == 3


def test_visit_form_registers_two_requests(client, desk_world):
    client.force_login(desk_world["window_staff"])
    response = client.get(reverse("frontdesk:visit_new"), {"lookup": MAN})
    assert response.context["lookup"]["found"] is False
    data = {"name": "康建军", "id_number": MAN, "phone": "13803751234",
            "want_consultation": "on", "consultation_topic": "工资", "consultation_question": "拖欠工资",
            "consultation_answer": "可以申请仲裁",
            "want_mediation": "on", "mediation_committee": desk_world["committee"].pk, "mediation_type": "labour",
            "mediation_respondent": "某公司", "mediation_facts": ""}
    response = client.post(reverse("frontdesk:visit_new"), data)
    assert response.status_code == 400 and not Visit.objects.exists()
    assert response.context["form"].errors.get("mediation_facts")
    data["mediation_facts"] = "拖欠工资两个月"
    response = client.post(reverse("frontdesk:visit_new"), data)
    assert response.status_code == 302
    assert set(Ticket.objects.values_list("kind", flat=True)) == {"consultation", "mediation"}
    response = client.get(reverse("frontdesk:visit_new"), {"lookup": MAN})
    assert response.context["lookup"]["found"] is True and response.context["lookup"]["id_masked"] != MAN


def test_mediator_cannot_open_the_front_desk(client, desk_world):
    client.force_login(desk_world["mediator"])
    assert client.get(reverse("frontdesk:home")).status_code == 403
    assert client.post(reverse("frontdesk:queue_take")).status_code == 403
    assert not QueueNumber.objects.exists()


def test_ticket_pages_render_and_the_result_form_records(client, desk_world):
    visit = services.visit_register(actor=desk_world["window_staff"], desk=desk_world["centre"], person=VISITOR,
                                    requests=two_requests(desk_world) + [
                                        {"kind": "notary", "owner": desk_world["notary"], "summary": "继承公证"}])
    client.force_login(desk_world["window_staff"])
    for ticket in visit.tickets.all():
        response = client.get(reverse("frontdesk:ticket", args=[ticket.pk]))
        assert response.status_code == 200 and "13803751234" not in response.content.decode()
    notary = visit.tickets.get(kind="notary")
    assert client.get(reverse("frontdesk:referral_letter", args=[notary.pk])).content.startswith(b"%PDF")
    assert client.post(reverse("frontdesk:ticket", args=[notary.pk]), {"result": ""}).status_code == 400
    assert client.post(reverse("frontdesk:ticket", args=[notary.pk]), {"result": "已出具公证书"}).status_code == 302
    notary.refresh_from_db()
    assert notary.status == TicketStatus.RESOLVED
    aid = visit.tickets.get(kind="legal_aid")
    assert client.post(reverse("frontdesk:ticket", args=[aid.pk]), {"action": "sync"}).status_code == 302
    assert client.post(reverse("frontdesk:sync")).status_code == 302


def test_consultation_register_by_channel(client, desk_world):
    client.force_login(desk_world["window_staff"])
    response = client.post(reverse("frontdesk:consultations"), {
        "channel": "phone", "name": "李女士", "phone": "13900000000", "topic": "婚姻", "question": "离婚财产怎么分",
        "answer": "夫妻共同财产一般均等分割"})
    assert response.status_code == 302
    response = client.get(reverse("frontdesk:consultations"), {"channel": "phone"})
    assert len(response.context["page_obj"]) == 1 and "13900000000" not in response.content.decode()
    assert len(client.get(reverse("frontdesk:consultations"), {"channel": "letter"}).context["page_obj"]) == 0


def test_feedback_deadline_reminds_the_desk_staff(desk_world):
    from open12348.frontdesk.reminders import frontdesk_deadlines

    visit = services.visit_register(
        actor=desk_world["window_staff"], desk=desk_world["centre"], person=VISITOR,
        requests=[{"kind": "notary", "owner": desk_world["notary"], "summary": "继承公证"},
                  {"kind": "consultation", "topic": "继承", "question": "遗产怎么分", "answer": "法定继承"}])
    ticket = visit.tickets.get(kind="notary")
    deadlines = list(frontdesk_deadlines(today=ticket.feedback_due))
    assert [d.key for d in deadlines] == [f"frontdesk.ticket:{ticket.pk}:feedback"]
    assert [u.username for u in deadlines[0].recipients] == ["wd_window_staff"]


def test_the_legal_aid_request_carries_the_applicants_township_the_stations_own_by_default(desk_world):
    from open12348.frontdesk.forms import VisitForm

    township = desk_world["regions"]["weidong_township"]
    assert VisitForm(user=desk_world["station"]).initial["aid_residence"] == township.pk  # 东安路司法所's township
    assert "aid_residence" not in VisitForm(user=desk_world["window_staff"]).initial  # a county centre: no default
    requests = two_requests(desk_world)[:1]
    visit = services.visit_register(actor=desk_world["window_staff"], desk=desk_world["centre"], person=VISITOR,
                                    requests=[{**requests[0], "residence": township}])
    assert visit.tickets.get().application.residence == township
    before = Application.objects.count()
    with pytest.raises(ApplicationError) as refused:  # 新华区's township is outside 卫东区's centre
        services.visit_register(actor=desk_world["window_staff"], desk=desk_world["centre"], person=VISITOR,
                                requests=[{**requests[0], "residence": desk_world["regions"]["xinhua_township"]}])
    assert refused.value.field == "residence" and Application.objects.count() == before
