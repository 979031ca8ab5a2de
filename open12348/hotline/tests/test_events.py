"""The pure event module: parsing telephony events and folding a call's events into its facts."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from open12348.hotline.events import EventError, EventIn, fold_call, normalise_phone, parse_event

TZ = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=TZ)
T0 = dt.datetime(2026, 11, 27, 10, 0, tzinfo=TZ)


def ev(event_id: str, kind: str, seconds: int, **extra) -> EventIn:
    return EventIn(call_id="c1", event_id=event_id, kind=kind, at=T0 + dt.timedelta(seconds=seconds), **extra)


def test_a_complete_answered_call():
    facts = fold_call([ev("1", "ringing", 0, caller="13803751234", seat="01"),
                       ev("2", "answered", 5, seat="01", agent="duty1"),
                       ev("3", "ended", 185, recording_url="https://rec.example/1.mp3"),
                       ev("4", "rated", 190, rating="fair", rating_channel="ivr")])
    assert (facts.status, facts.channel, facts.wait_seconds, facts.talk_seconds) == ("answered", "call", 5, 180)
    assert (facts.caller, facts.seat, facts.agent) == ("13803751234", "01", "duty1")
    assert facts.recording_url == "https://rec.example/1.mp3"
    assert (facts.rating, facts.rating_channel) == ("fair", "ivr")


def test_statuses_follow_what_the_events_say():
    assert fold_call([ev("1", "ringing", 0)]).status == "ringing"
    assert fold_call([ev("1", "ringing", 0), ev("2", "answered", 3)]).status == "in_call"
    assert fold_call([ev("1", "ringing", 0), ev("3", "ended", 20)]).status == "missed"
    voice = fold_call([ev("1", "ringing", 0), ev("2", "voice_message", 30, recording_url="https://r/1")])
    assert (voice.status, voice.channel, voice.recording_url) == ("voice_message", "voice_message", "https://r/1")
    sms = fold_call([ev("1", "message", 0, channel="sms", text="工资被拖欠怎么办")])
    assert (sms.status, sms.channel, sms.message_text) == ("message", "sms", "工资被拖欠怎么办")


def test_the_end_arriving_before_the_answer_still_makes_an_answered_call():
    facts = fold_call([ev("3", "ended", 60), ev("1", "ringing", 0), ev("2", "answered", 4, agent="duty2")])
    assert (facts.status, facts.wait_seconds, facts.talk_seconds, facts.agent) == ("answered", 4, 56, "duty2")


def test_without_a_ringing_event_the_call_rang_at_its_first_event():
    assert fold_call([ev("3", "ended", 60), ev("2", "answered", 9)]).rang_at == T0 + dt.timedelta(seconds=9)


def test_a_repeated_event_id_counts_once_with_the_first_content():
    facts = fold_call([ev("1", "ringing", 0), ev("2", "rated", 50, rating="satisfied"),
                       ev("2", "rated", 70, rating="dissatisfied")])
    assert facts.rating == "satisfied"


def test_parse_accepts_local_times_ivr_keys_and_country_prefixes():
    event = parse_event({"call_id": "A1", "event_id": "r", "type": "rated", "at": "2026-11-27T10:00:00",
                         "rating": "3", "caller": "+86 138-0375-1234"}, tz=TZ, now=NOW)
    assert (event.at, event.rating, event.rating_channel, event.caller) == (T0, "dissatisfied", "ivr", "13803751234")


@pytest.mark.parametrize(("body", "field"), [
    ({"event_id": "1", "type": "ringing", "at": "2026-11-27T10:00:00+08:00"}, "call_id"),
    ({"call_id": "A", "event_id": "1", "type": "hangup", "at": "2026-11-27T10:00:00+08:00"}, "type"),
    ({"call_id": "A", "event_id": "1", "type": "ringing", "at": "yesterday"}, "at"),
    ({"call_id": "A", "event_id": "1", "type": "ringing", "at": "2026-11-28T10:00:00+08:00"}, "at"),
    ({"call_id": "A", "event_id": "1", "type": "ringing", "at": "2026-11-27T10:00:00+08:00", "caller": "abc"}, "caller"),
    ({"call_id": "A", "event_id": "1", "type": "message", "at": "2026-11-27T10:00:00+08:00"}, "channel"),
    ({"call_id": "A", "event_id": "1", "type": "rated", "at": "2026-11-27T10:00:00+08:00", "rating": "9"}, "rating"),
    ({"call_id": "A", "event_id": "1", "type": "ended", "at": "2026-11-27T10:00:00+08:00",
      "recording_url": "javascript:alert(1)"}, "recording_url"),
    ({"call_id": "A" * 101, "event_id": "1", "type": "ended", "at": "2026-11-27T10:00:00+08:00"}, "call_id"),
])
def test_parse_rejects_what_cannot_be_used(body, field):
    with pytest.raises(EventError) as caught:
        parse_event(body, tz=TZ, now=NOW)
    assert field in caught.value.errors


def test_parse_rejects_a_non_object():
    with pytest.raises(EventError):
        parse_event(["ringing"], tz=TZ, now=NOW)


def test_phone_normalisation():
    assert normalise_phone("0086 13803751234") == "13803751234"
    assert normalise_phone("(0375) 2345678") == "03752345678"


# --- the property the work order relies on -----------------------------------------------------------

KINDS = ("ringing", "answered", "ended", "voice_message", "message", "rated")


@st.composite
def call_streams(draw):
    """A call's distinct events (any kinds, any times, ties included), then a delivery of them in
    any order with duplicates mixed in."""
    count = draw(st.integers(min_value=1, max_value=7))
    events = []
    for n in range(count):
        kind = draw(st.sampled_from(KINDS))
        extra = {}
        if kind == "message":
            extra = {"channel": draw(st.sampled_from(["sms", "web"])), "text": draw(st.sampled_from(["问题", ""]))}
        if kind == "rated":
            extra = {"rating": draw(st.sampled_from(["satisfied", "fair", "dissatisfied"])), "rating_channel": "ivr"}
        events.append(EventIn(
            call_id="c", event_id=f"e{n}", kind=kind, at=T0 + dt.timedelta(seconds=draw(st.integers(0, 600))),
            caller=draw(st.sampled_from(["", "13803751234", "03752345678"])),
            seat=draw(st.sampled_from(["", "01", "02"])), agent=draw(st.sampled_from(["", "duty1", "duty2"])),
            recording_url=draw(st.sampled_from(["", "https://r/1", "https://r/2"])), **extra))
    duplicates = draw(st.lists(st.sampled_from(events), max_size=5))
    delivered = draw(st.permutations(events + duplicates))
    return events, delivered


@settings(max_examples=300, deadline=None)
@given(call_streams())
def test_any_permutation_with_duplicates_folds_to_the_same_facts(stream):
    events, delivered = stream
    assert fold_call(delivered) == fold_call(events)
