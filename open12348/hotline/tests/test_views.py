"""The console pages and the staff API: what each role sees and may do, masking and the audited
reveal, refusals that change nothing, and lists with a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from open12348.audit.models import AuditEvent
from open12348.hotline.models import Article, CallbackTask, Hotline, RosterEntry, WorkOrder
from open12348.hotline.services.calls import rating_token
from open12348.hotline.services.ingest import call_events_ingest
from open12348.hotline.services.knowledge import article_create
from open12348.legalaid.models import Application
from open12348.network.tests.factories import MembershipFactory, UserFactory

from .factories import call_events, hotline_world, local

pytestmark = pytest.mark.django_db
PHONE = "13803751234"


@pytest.fixture
def world():
    data = hotline_world()
    call_events_ingest(hotline=data["hotline"], events=call_events(call_id="V1", at=local(2026, 11, 27, 10)),
                       actor=None)
    call_events_ingest(hotline=data["hotline"], events=call_events(call_id="V2", at=local(2026, 11, 27, 11),
                                                                   answered=False, caller="13903759999"), actor=None)
    data["answered"] = WorkOrder.objects.get(call_id="V1")
    data["missed"] = WorkOrder.objects.get(call_id="V2")
    leader = UserFactory(username="leader")
    MembershipFactory(user=leader, institution=data["centre"], role="leader")
    data["leader"] = leader
    return data


def signed_in(client, user):
    client.force_login(user)
    return client


# --- work orders ---------------------------------------------------------------------------------------

def test_the_list_masks_numbers_and_keeps_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    signed_in(client, world["operator"])
    for n in range(15):
        call_events_ingest(hotline=world["hotline"], events=call_events(call_id=f"L{n}", at=local(2026, 11, 26, 9, n)),
                           actor=None)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("hotline:orders"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "138****1234" in body and PHONE not in body
    assert body.count("data-order=") == 17


def test_the_list_filters_by_number_and_by_phone_through_the_blind_index(client, world):
    signed_in(client, world["operator"])
    body = client.get(reverse("hotline:orders"), {"phone": "139-0375-9999"}).content.decode()
    assert f'data-order="{world["missed"].pk}"' in body and f'data-order="{world["answered"].pk}"' not in body
    body = client.get(reverse("hotline:orders"), {"number": world["answered"].number}).content.decode()
    assert body.count("data-order=") == 1


def test_another_countys_operator_sees_nothing_of_the_citys_hotline(client, world):
    signed_in(client, world["outsider"])
    assert "data-order=" not in client.get(reverse("hotline:orders")).content.decode()
    assert client.get(reverse("hotline:order", args=[world["answered"].pk])).status_code == 404
    response = client.post(reverse("hotline:order", args=[world["answered"].pk]),
                           {"version": 1, "category": "consultation", "topic": "wages", "question": "x"})
    assert response.status_code == 404
    world["answered"].refresh_from_db()
    assert world["answered"].question == ""


def test_a_duty_lawyer_on_the_pool_sees_the_hotline_though_their_firm_is_in_a_county(client, world):
    signed_in(client, world["pool"][0])
    assert client.get(reverse("hotline:order", args=[world["answered"].pk])).status_code == 200


def test_recording_the_content_of_a_call(client, world):
    signed_in(client, world["operator"])
    order = world["answered"]
    response = client.post(reverse("hotline:order", args=[order.pk]), {
        "version": order.version, "category": "consultation", "topic": "wages", "question": "包工头拖欠工资",
        "answer": "可向人社部门投诉或申请劳动仲裁", "resolved": "true", "follow_up_needed": "on"})
    assert response.status_code == 302
    order.refresh_from_db()
    assert (order.topic, order.question, order.resolved, order.version) == ("wages", "包工头拖欠工资", True, 2)
    follow_up = order.callbacks.get(kind="follow_up")
    assert follow_up.assigned_to == world["operator"] and follow_up.status == "open"
    audit = AuditEvent.objects.get(action="hotline.work_order.record")
    assert "包工头" not in str(audit.changes)  # the question is protected in the log


def test_an_incomplete_record_shows_the_message_at_the_field_and_keeps_the_input(client, world):
    signed_in(client, world["operator"])
    order = world["answered"]
    response = client.post(reverse("hotline:order", args=[order.pk]),
                           {"version": order.version, "category": "consultation", "answer": "已解答"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-field="topic"' in body and "已解答" in body
    order.refresh_from_db()
    assert order.category == ""


def test_a_stale_version_is_refused(client, world):
    signed_in(client, world["operator"])
    order = world["answered"]
    data = {"version": order.version, "category": "consultation", "topic": "wages", "question": "一"}
    assert client.post(reverse("hotline:order", args=[order.pk]), data).status_code == 302
    response = client.post(reverse("hotline:order", args=[order.pk]), {**data, "question": "二"})
    assert response.status_code == 400
    order.refresh_from_db()
    assert order.question == "一"


def test_revealing_the_number_is_audited_and_shown_only_in_that_response(client, world):
    signed_in(client, world["operator"])
    order = world["answered"]
    assert PHONE not in client.get(reverse("hotline:order", args=[order.pk])).content.decode()
    response = client.post(reverse("hotline:order_reveal", args=[order.pk]))
    assert PHONE in response.content.decode()
    event = AuditEvent.objects.get(action="hotline.work_order.reveal_phone")
    assert event.actor == world["operator"] and PHONE not in str(event.extra)


def test_entering_a_call_by_hand_twice_with_one_form_makes_one_work_order(client, world):
    signed_in(client, world["operator"])
    data = {"token": "f" * 32, "channel": "call", "caller_phone": "0375-2345678", "caller_name": "李大爷",
            "rang_at": "2026-11-27T09:00:00", "answered_at": "2026-11-27T09:00:05",
            "ended_at": "2026-11-27T09:06:00", "seat": world["seats"][0].pk, "answered_by": world["pool"][0].pk}
    first = client.post(reverse("hotline:order_create"), data)
    second = client.post(reverse("hotline:order_create"), data)
    assert first.status_code == second.status_code == 302
    order = WorkOrder.objects.get(call_id=f"manual-{'f' * 32}")
    assert (order.source, order.status, order.answered_by, order.talk_seconds, order.caller_name) == (
        "manual", "answered", world["pool"][0], 355, "李大爷")
    assert order.entered_by == world["operator"] and order.events.count() == 3


def test_a_call_entered_by_hand_must_make_sense(client, world):
    signed_in(client, world["operator"])
    response = client.post(reverse("hotline:order_create"), {
        "token": "a" * 32, "channel": "call", "caller_phone": "13803751234", "rang_at": "2026-11-27T09:00:00",
        "answered_at": "2026-11-27T08:00:00", "answered_by": world["pool"][0].pk})
    assert response.status_code == 400
    assert not WorkOrder.objects.filter(source="manual").exists()


def test_referral_to_legal_aid_pre_fills_the_form_and_links_the_application(client, world):
    signed_in(client, world["operator"])
    order = world["answered"]
    order.topic, order.caller_name, order.question = "wages", "康建军", "工地欠薪三万六"
    order.save()
    form = client.get(reverse("hotline:order_legal_aid", args=[order.pk])).content.decode()
    assert 'value="康建军"' in form and 'value="13803751234"' in form and 'value="CV-05" selected' in form
    response = client.post(reverse("hotline:order_legal_aid", args=[order.pk]), {
        "centre": world["centre"].pk, "applicant_name": "康建军", "applicant_phone": PHONE, "matter": "CV-05",
        "matter_subtype": "wages", "category": "civil", "aid_form": "labour_arbitration", "stage": "not_started",
        "cause": "追索劳动报酬", "facts": "工地欠薪三万六"})
    assert response.status_code == 302
    order.refresh_from_db()
    application = Application.objects.get()
    assert order.application == application and order.referral == "legal_aid"
    assert (application.channel, application.applicant.name, application.matter) == ("hotline", "康建军", "CV-05")
    assert order.number in application.channel_detail


def test_booking_an_expert(client, world):
    signed_in(client, world["operator"])
    order = world["answered"]
    response = client.post(reverse("hotline:order_expert", args=[order.pk]),
                           {"expert": world["pool"][1].pk, "question": "遗赠扶养协议的效力"})
    assert response.status_code == 302
    task = order.callbacks.get(kind="expert")
    assert task.assigned_to == world["pool"][1] and task.question == "遗赠扶养协议的效力"
    assert world["pool"][1].notifications.filter(kind="hotline.expert_booked").exists()


# --- callbacks ---------------------------------------------------------------------------------------------

def test_working_a_callback_from_the_queue(client, world):
    signed_in(client, world["operator"])
    task = world["missed"].callbacks.get()
    page = client.get(reverse("hotline:callbacks")).content.decode()
    assert f'data-callback="{task.pk}"' in page and "139****9999" in page
    assert client.post(reverse("hotline:callback_give_up", args=[task.pk]), {"reason": "打不通"}).status_code == 400
    task.refresh_from_db()
    assert task.status == "open"
    response = client.post(reverse("hotline:callback", args=[task.pk]), {"outcome": "reached", "note": "已解答"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.assigned_to, task.attempts_made) == ("reached", world["operator"], 1)


def test_an_operator_cannot_work_a_dissatisfied_callers_callback(client, world):
    from open12348.hotline.events import EventIn

    order = world["answered"]
    call_events_ingest(hotline=world["hotline"], actor=None, events=[EventIn(
        call_id="V1", event_id="r", kind="rated", at=order.ended_at, rating="dissatisfied", rating_channel="ivr")])
    task = CallbackTask.objects.get(kind="dissatisfied")
    signed_in(client, world["operator"])
    assert f'data-callback="{task.pk}"' not in client.get(reverse("hotline:callbacks")).content.decode()
    response = client.post(reverse("hotline:callback", args=[task.pk]), {"outcome": "reached"})
    assert response.status_code == 400
    task.refresh_from_db()
    assert task.attempts_made == 0
    signed_in(client, world["supervisor"])
    page = client.get(reverse("hotline:callbacks"), {"queue": "supervisor"}).content.decode()
    assert f'data-callback="{task.pk}"' in page
    assert client.post(reverse("hotline:callback", args=[task.pk]), {"outcome": "reached"}).status_code == 302


# --- roster --------------------------------------------------------------------------------------------------

def test_the_roster_page_for_each_role(client, world):
    from open12348.hotline.services.roster import roster_generate

    roster_generate(actor=None, hotline=world["hotline"], year=2026, month=12, seed=1)
    for user in (world["operator"], world["supervisor"], world["pool"][0]):
        response = signed_in(client, user).get(reverse("hotline:roster"), {"month": "2026-12"})
        assert response.status_code == 200
        assert ('name="replace"' in response.content.decode()) == (user == world["supervisor"])
    response = signed_in(client, world["pool"][0]).get(reverse("hotline:roster_export"), {"month": "2026-12"})
    rows = response.content.decode("utf-8-sig").strip().splitlines()
    assert len(rows) == 1 + RosterEntry.objects.filter(date__month=12).count()
    assert AuditEvent.objects.filter(action="hotline.roster.export", actor=world["pool"][0]).exists()


def test_only_whoever_runs_the_hotline_generates_the_roster(client, world):
    signed_in(client, world["operator"])
    response = client.post(reverse("hotline:roster_generate"), {"month": "2026-12"})
    assert response.status_code == 403
    assert not RosterEntry.objects.exists()
    assert AuditEvent.objects.filter(action="auth.permission_denied", actor=world["operator"]).exists()
    signed_in(client, world["supervisor"])
    response = client.post(reverse("hotline:roster_generate"), {"month": "2026-12", "seed": "5"})
    assert response.status_code == 302
    assert RosterEntry.objects.filter(date__month=12).count() == 23 * 3  # December 2026: 23 working days


# --- knowledge base --------------------------------------------------------------------------------------------

def test_searching_and_writing_the_knowledge_base(client, world):
    article_create(actor=world["supervisor"], data={"question": "工伤认定申请期限", "topic": "work_injury",
                                                     "answer": "单位三十日内，个人一年内。", "legal_basis": "《工伤保险条例》第十七条"})
    signed_in(client, world["pool"][0])
    body = client.get(reverse("hotline:knowledge"), {"q": "工伤"}).content.decode()
    assert "<mark>工伤</mark>" in body
    assert client.get(reverse("hotline:article_create")).status_code == 403
    signed_in(client, world["supervisor"])
    response = client.post(reverse("hotline:article_create"), {"question": "离婚冷静期多久", "topic": "marriage",
                                                               "answer": "三十日。", "legal_basis": "民法典第一千零七十七条"})
    assert response.status_code == 302
    assert Article.objects.filter(question="离婚冷静期多久").exists()


# --- board, quality, standards ------------------------------------------------------------------------------------

def test_the_board_for_leaders_and_supervisors_not_operators(client, world):
    for user in (world["leader"], world["supervisor"]):
        response = signed_in(client, user).get(reverse("hotline:board"), {"start": "2026-11-01", "end": "2026-11-28"})
        assert response.status_code == 200
        assert 'data-figure="served">1<' in response.content.decode()
    assert signed_in(client, world["operator"]).get(reverse("hotline:board")).status_code == 403


def test_drawing_and_reviewing_a_sample(client, world):
    signed_in(client, world["supervisor"])
    response = client.post(reverse("hotline:samples"), {"period_start": "2026-11-01", "period_end": "2026-11-30",
                                                        "rate": "1", "seed": "7"})
    assert response.status_code == 302
    review = world["answered"].reviews.get()
    data = {"greeting": 100, "patience": 90, "correct_law": 80, "plain_words": 90, "standard_phrases": 100,
            "no_forbidden_phrases": 100, "feedback": "依据准确"}
    assert client.post(reverse("hotline:review", args=[review.pk]), data).status_code == 302
    review.refresh_from_db()
    assert str(review.score) == "90.00" and review.person == world["pool"][0]
    assert world["pool"][0].notifications.filter(kind="hotline.review").exists()


def test_the_standards_are_set_by_the_supervisor(client, world):
    fields = {"callback_working_days": 2, "callback_max_attempts": 3, "dissatisfied_working_days": 1,
              "follow_up_working_days": 5, "expert_answer_days": 3, "answer_within_seconds": 15,
              "answer_rate_target": "0.95", "satisfaction_target": "0.9", "sample_rate": "0.05",
              "recording_keep_days": 365}
    assert signed_in(client, world["operator"]).post(reverse("hotline:standards"), fields).status_code == 403
    assert Hotline.objects.get().callback_working_days == 1
    assert signed_in(client, world["supervisor"]).post(reverse("hotline:standards"), fields).status_code == 302
    hotline = Hotline.objects.get()
    assert (hotline.callback_working_days, hotline.answer_within_seconds) == (2, 15)
    assert AuditEvent.objects.filter(action="hotline.standards.update").exists()


# --- the caller's rating link ---------------------------------------------------------------------------------------

def test_the_sms_link_rates_the_call_once(client, world):
    order = world["answered"]
    url = reverse("hotline:rate", args=[rating_token(order)])
    assert client.get(url).status_code == 200
    assert client.post(url, {"rating": "dissatisfied"}).status_code == 200
    order.refresh_from_db()
    assert (order.satisfaction, order.rating_channel) == ("dissatisfied", "sms")
    assert order.callbacks.filter(kind="dissatisfied", status="open").exists()
    client.post(url, {"rating": "satisfied"})
    order.refresh_from_db()
    assert order.satisfaction == "dissatisfied"
    assert client.get(reverse("hotline:rate", args=["forged"])).status_code == 404


# --- the staff API ----------------------------------------------------------------------------------------------------

def test_the_staff_api(client, world, django_assert_max_num_queries):
    signed_in(client, world["operator"])
    for n in range(10):
        call_events_ingest(hotline=world["hotline"], events=call_events(call_id=f"A{n}", at=local(2026, 11, 20, 9, n)),
                           actor=None)
    with django_assert_max_num_queries(14):
        listing = client.get("/api/v1/hotline/work-orders").json()
    assert listing["count"] == 12 and {r["caller"] for r in listing["results"]} == {"138****1234", "139****9999"}
    order = world["answered"]
    detail = client.get(f"/api/v1/hotline/work-orders/{order.pk}").json()
    assert [e["kind"] for e in detail["events"]] == ["ringing", "answered", "ended"]
    patched = client.patch(f"/api/v1/hotline/work-orders/{order.pk}", {"version": 1, "category": "consultation",
                                                                       "topic": "traffic", "question": "撞车"},
                           content_type="application/json")
    assert patched.status_code == 200 and patched.json()["topic"] == "traffic"
    assert client.post(f"/api/v1/hotline/work-orders/{order.pk}/reveal-phone").json() == {"caller_phone": PHONE}
    task = world["missed"].callbacks.get()
    attempt = client.post(f"/api/v1/hotline/callbacks/{task.pk}/attempts", {"outcome": "no_answer"},
                          content_type="application/json")
    assert attempt.status_code == 200 and attempt.json()["attempts_made"] == 1
    assert client.get("/api/v1/hotline/callbacks", {"queue": "mine"}).json()["count"] == 1
    assert client.get("/api/v1/hotline/on-duty").status_code == 200
    assert client.get("/api/v1/hotline/board").status_code == 403
    signed_in(client, world["outsider"])
    assert client.get(f"/api/v1/hotline/work-orders/{order.pk}").status_code == 404
    assert client.get("/api/v1/hotline/work-orders").json()["count"] == 0
    signed_in(client, world["leader"])
    board = client.get("/api/v1/hotline/board", {"start": "2026-11-21", "end": "2026-11-30"}).json()
    assert board["calls"]["served"] == 1 and board["callbacks"]["owed"] == 1


def test_the_api_knowledge_search(client, world):
    article_create(actor=world["supervisor"], data={"question": "拖欠工资怎么办", "topic": "wages",
                                                     "answer": "投诉或者仲裁。"})
    signed_in(client, world["operator"])
    hits = client.get("/api/v1/hotline/knowledge", {"q": "欠工资"}).json()
    assert [h["question"] for h in hits] == ["拖欠工资怎么办"]
    assert dt.date.fromisoformat(hits[0]["last_reviewed"])


def test_the_admin_issues_a_token_once_and_lists_the_set_up(client, world):
    from open12348.hotline.models import TelephonyClient

    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    signed_in(client, admin)
    for model in ("hotline", "poolmember", "telephonyclient"):
        assert client.get(f"/admin/hotline/{model}/").status_code == 200
    response = client.post("/admin/hotline/telephonyclient/add/", {"hotline": world["hotline"].pk, "name": "新交换机"},
                           follow=True)
    assert response.status_code == 200
    issued = TelephonyClient.objects.get(name="新交换机")
    assert f"{issued.prefix}." in response.content.decode()
    assert AuditEvent.objects.filter(action="hotline.telephony_client.issue", object_id=str(issued.pk)).exists()


def test_the_callback_queue_keeps_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    for n in range(12):
        call_events_ingest(hotline=world["hotline"], actor=None, events=call_events(
            call_id=f"Q{n}", at=local(2026, 11, 25, 10, n), answered=False, caller=f"1390375{n:04d}"))
    signed_in(client, world["operator"])
    with django_assert_max_num_queries(16):
        page = client.get(reverse("hotline:callbacks")).content.decode()
    assert page.count("data-callback=") == 13
