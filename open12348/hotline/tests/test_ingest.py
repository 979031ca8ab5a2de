"""Call events into work orders: out of order, duplicated, in batches; the same work order whatever
the order; the telephony API and its authentication."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

import pytest
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from open12348.audit.models import AuditEvent
from open12348.hotline.events import EventIn
from open12348.hotline.models import CallbackTask, CallEvent, RosterEntry, WorkOrder
from open12348.hotline.services.ingest import call_events_ingest

from .factories import as_json, call_events, hotline_world, local

pytestmark = pytest.mark.django_db
URL = "/api/v1/hotline/telephony/events"
COMPARED = ("status", "channel", "rang_at", "answered_at", "ended_at", "wait_seconds", "talk_seconds",
            "caller_phone", "caller_phone_hash", "seat_id", "seat_code", "agent_code", "answered_by_id",
            "in_service_hours", "recording_url", "message_text", "satisfaction", "rated_at", "rating_channel")


@pytest.fixture
def world():
    return hotline_world()


def state(order: WorkOrder) -> dict:
    order.refresh_from_db()
    callbacks = sorted((t.kind, t.status, t.due_on) for t in order.callbacks.exclude(status="withdrawn"))
    return {**{name: getattr(order, name) for name in COMPARED}, "callbacks": callbacks,
            "events": order.events.count()}


def ingest(world, events, **kwargs):
    return call_events_ingest(hotline=world["hotline"], events=events, actor=None, client=world["client"], **kwargs)


def test_a_call_becomes_one_work_order_with_seat_person_and_times(world):
    outcomes = ingest(world, call_events(call_id="A1", at=local(2026, 11, 27, 10), agent="duty2", wait=6, talk=240))
    assert [o.result for o in outcomes] == ["created"] * 3
    order = WorkOrder.objects.get(call_id="A1")
    assert (order.status, order.wait_seconds, order.talk_seconds, order.seat, order.answered_by) == (
        "answered", 6, 240, world["seats"][0], world["pool"][1])
    assert order.in_service_hours and order.caller_phone == "13803751234"
    assert order.caller_phone_hash and not order.callbacks.exists()
    # Audited once at creation, not once per event.
    assert AuditEvent.objects.filter(action__startswith="hotline.work_order", object_id=str(order.pk)).count() == 1


def test_duplicates_change_nothing_and_write_nothing(world):
    events = call_events(call_id="A2", at=local(2026, 11, 27, 10))
    ingest(world, events)
    audit_rows = AuditEvent.objects.count()
    outcomes = ingest(world, events + events)
    assert {o.result for o in outcomes} == {"duplicate"}
    assert CallEvent.objects.filter(call_id="A2").count() == 3
    assert WorkOrder.objects.filter(call_id="A2").count() == 1
    assert AuditEvent.objects.count() == audit_rows


def test_the_database_refuses_a_second_copy_of_an_event(world):
    ingest(world, call_events(call_id="A3", at=local(2026, 11, 27, 10)))
    order = WorkOrder.objects.get(call_id="A3")
    with pytest.raises(IntegrityError), transaction.atomic():
        CallEvent.objects.create(work_order=order, call_id="A3", event_id="e1", kind="ringing",
                                 occurred_at=order.rang_at)


def test_without_an_agent_id_the_roster_says_who_answered(world):
    RosterEntry.objects.create(hotline=world["hotline"], date=dt.date(2026, 11, 27), shift=world["shift"],
                               seat=world["seats"][1], user=world["pool"][3])
    ingest(world, call_events(call_id="A4", at=local(2026, 11, 27, 9), seat="02", agent=""))
    assert WorkOrder.objects.get(call_id="A4").answered_by == world["pool"][3]


def test_a_missed_call_owes_a_callback_by_the_next_working_day(world):
    ingest(world, call_events(call_id="A5", at=local(2026, 9, 30, 16), answered=False))  # before National Day
    order = WorkOrder.objects.get(call_id="A5")
    task = order.callbacks.get()
    assert (order.status, task.kind, task.status) == ("missed", "missed", "open")
    assert task.due_on == dt.date(2026, 10, 8)  # 1–7 October are the National Day holiday


def test_a_late_answer_withdraws_the_untried_callback(world):
    events = call_events(call_id="A6", at=local(2026, 11, 27, 10))
    ringing, answered, ended = events
    ingest(world, [ringing, ended])
    assert WorkOrder.objects.get(call_id="A6").callbacks.get().status == "open"
    ingest(world, [answered])
    order = WorkOrder.objects.get(call_id="A6")
    assert order.status == "answered"
    assert order.callbacks.get().status == "withdrawn"


def test_out_of_hours_calls_do_not_count_against_the_answer_rate(world):
    ingest(world, call_events(call_id="A7", at=local(2026, 11, 28, 10), answered=False))  # a Saturday
    ingest(world, call_events(call_id="A8", at=local(2026, 11, 27, 20), answered=False))  # Friday evening
    assert not WorkOrder.objects.filter(call_id__in=["A7", "A8"], in_service_hours=True).exists()


def test_a_dissatisfied_rating_opens_a_supervisor_callback_and_a_changed_one_withdraws_it(world):
    events = call_events(call_id="A9", at=local(2026, 11, 27, 10))
    end = events[-1].at
    ingest(world, events + [EventIn(call_id="A9", event_id="r1", kind="rated", at=end, rating="dissatisfied",
                                    rating_channel="ivr")])
    task = CallbackTask.objects.get(work_order__call_id="A9")
    assert (task.kind, task.status, task.assigned_to) == ("dissatisfied", "open", None)
    ingest(world, [EventIn(call_id="A9", event_id="r2", kind="rated", at=end + dt.timedelta(minutes=1),
                           rating="satisfied", rating_channel="ivr")])
    task.refresh_from_db()
    assert task.status == "withdrawn"


def test_a_call_id_of_another_hotline_is_rejected(world):
    from open12348.hotline.models import Hotline

    ingest(world, call_events(call_id="B1", at=local(2026, 11, 27, 10)))
    other = Hotline.objects.create(name="郏县12348", region=world["regions"]["xinhua"])
    outcomes = call_events_ingest(hotline=other, events=call_events(call_id="B1", at=local(2026, 11, 27, 11)),
                                  actor=None)
    assert {o.result for o in outcomes} == {"rejected"}


# --- any order, any duplicates, any batches: the same work order ---------------------------------------

KINDS = ("ringing", "answered", "ended", "voice_message", "rated")
_ids = itertools.count()


@st.composite
def streams(draw):
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=6))
    base = local(2026, 11, 27, 9)
    events = []
    for n, kind in enumerate(kinds):
        extra = {"rating": draw(st.sampled_from(["satisfied", "dissatisfied"])), "rating_channel": "ivr"} \
            if kind == "rated" else {}
        events.append(EventIn(
            call_id="x", event_id=f"e{n}", kind=kind,
            at=base + dt.timedelta(seconds=draw(st.integers(0, 9 * 3600))),  # into the evening, past the shift
            caller=draw(st.sampled_from(["13803751234", ""])), seat=draw(st.sampled_from(["01", "02", ""])),
            agent=draw(st.sampled_from(["duty1", "duty2", ""])),
            recording_url=draw(st.sampled_from(["", "https://rec.example/1.mp3"])), **extra))
    delivered = draw(st.permutations(events + draw(st.lists(st.sampled_from(events), max_size=4))))
    cuts = sorted(draw(st.lists(st.integers(0, len(delivered)), max_size=3)))
    return events, delivered, cuts


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(stream=streams())
def test_any_permutation_of_a_calls_events_gives_the_same_work_order(world, stream):
    events, delivered, cuts = stream
    n = next(_ids)
    canonical, shuffled = f"canon-{n}", f"shuffled-{n}"
    ingest(world, [dataclasses.replace(e, call_id=canonical) for e in events])
    delivered = [dataclasses.replace(e, call_id=shuffled) for e in delivered]
    for start, end in itertools.pairwise([0, *cuts, len(delivered)]):
        if delivered[start:end]:
            ingest(world, delivered[start:end])
    assert WorkOrder.objects.filter(call_id=shuffled).count() == 1
    assert state(WorkOrder.objects.get(call_id=shuffled)) == state(WorkOrder.objects.get(call_id=canonical))


# --- the telephony API ---------------------------------------------------------------------------------

def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_the_api_takes_a_batch_with_duplicates_and_reports_each_event(client, world):
    events = [as_json(e) for e in call_events(call_id="C1", at=local(2026, 11, 27, 10))]
    body = {"events": events + events[:1] + [{"call_id": "C1", "event_id": "bad", "type": "hangup",
                                              "at": "2026-11-27T10:00:00+08:00"}]}
    response = client.post(URL, body, content_type="application/json", **bearer(world["token"]))
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["created"], data["duplicates"], data["rejected"]) == (3, 1, 1)
    assert list(data["results"][4]["errors"]) == ["type"]
    assert WorkOrder.objects.get(call_id="C1").status == "answered"


def test_one_rejected_event_is_a_400_in_the_usual_error_shape(client, world):
    response = client.post(URL, {"call_id": "C2", "event_id": "1", "type": "ringing", "at": "soon"},
                           content_type="application/json", **bearer(world["token"]))
    assert response.status_code == 400
    assert response.json()["fields"] == {"at": "not an ISO 8601 date and time"}
    assert not WorkOrder.objects.exists()


@pytest.mark.parametrize("header", [{}, {"HTTP_AUTHORIZATION": "Bearer nothing.here"},
                                    {"HTTP_AUTHORIZATION": "Token abc"}])
def test_events_without_a_valid_token_are_refused_audited_and_change_nothing(client, world, header):
    event = as_json(call_events(call_id="C3", at=local(2026, 11, 27, 10))[0])
    response = client.post(URL, event, content_type="application/json", **header)
    assert response.status_code == 401
    assert not WorkOrder.objects.exists()
    refused = AuditEvent.objects.filter(action="hotline.telephony.refused").get()
    assert refused.result == "denied" and "here" not in str(refused.extra)


def test_a_revoked_token_and_a_staff_session_are_refused(client, world):
    from open12348.hotline.services.telephony import telephony_client_revoke

    client.force_login(world["supervisor"])
    event = as_json(call_events(call_id="C4", at=local(2026, 11, 27, 10))[0])
    assert client.post(URL, event, content_type="application/json").status_code == 401
    telephony_client_revoke(actor=world["supervisor"], client=world["client"])
    assert client.post(URL, event, content_type="application/json", **bearer(world["token"])).status_code == 401
    assert not WorkOrder.objects.exists()


def test_the_token_is_stored_only_as_a_hash(world):
    world["client"].refresh_from_db()
    assert world["token"] not in str(world["client"].__dict__)
    assert world["client"].token_hash != world["token"]
