"""What a set of telephony events says about one call: parsing the events, and folding them.

Pure Python, no database. The telephony system sends events (ringing, answered, ended, voice
message left, SMS or web message, satisfaction rated) out of order and more than once. Each event
is identified by the call's id and its own id; a repeated id is the same event. `fold_call` looks
at the *set* of distinct events, sorted by a total order (time, kind, id), so any permutation of
the same events, with any duplicates mixed in, gives the same answer. The services store the
events, fold them, and write the answer on the work order under a row lock.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .choices import CallChannel, CallStatus, EventKind, RatingChannel, Satisfaction

MAX_ID = 100
MAX_TEXT = 2000
MAX_URL = 500
MAX_SEAT = 20
MAX_AGENT = 150
FUTURE_TOLERANCE = dt.timedelta(minutes=10)  # telephony clocks drift; later than this is a bad event
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # before this a telephony clock is wrong, not early

# Sort order of events at the same instant: a call rings before it is answered before it ends.
KIND_RANK = {EventKind.RINGING: 0, EventKind.ANSWERED: 1, EventKind.VOICE_MESSAGE: 2, EventKind.MESSAGE: 2,
             EventKind.ENDED: 3, EventKind.RATED: 4}
# IVR keys as most telephony systems report them (按1满意，按2基本满意，按3不满意).
RATING_KEYS = {"1": Satisfaction.SATISFIED, "2": Satisfaction.FAIR, "3": Satisfaction.DISSATISFIED}
MESSAGE_CHANNELS = {"sms": CallChannel.SMS, "web": CallChannel.WEB}
_PHONE = re.compile(r"^\d{3,20}$")


@dataclass(frozen=True, slots=True)
class EventIn:
    """One telephony event, checked and normalised."""

    call_id: str
    event_id: str
    kind: str
    at: dt.datetime
    caller: str = ""
    seat: str = ""
    agent: str = ""
    recording_url: str = ""
    channel: str = ""  # for messages: sms or web
    text: str = ""  # for messages: what the caller wrote
    rating: str = ""  # for ratings: a Satisfaction value
    rating_channel: str = ""  # for ratings: ivr or sms

    @property
    def sort_key(self) -> tuple:
        return (self.at, KIND_RANK[self.kind], self.event_id)


@dataclass(frozen=True, slots=True)
class CallFacts:
    """What the events say about the call; the work order's telephony fields are exactly these."""

    status: str
    channel: str
    rang_at: dt.datetime
    answered_at: dt.datetime | None
    ended_at: dt.datetime | None
    wait_seconds: int | None
    talk_seconds: int | None
    caller: str
    seat: str
    agent: str
    recording_url: str
    message_text: str
    rating: str
    rated_at: dt.datetime | None
    rating_channel: str


class EventError(ValueError):
    """An event that cannot be used; `errors` maps a field to its problem (English, for the API)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def normalise_phone(value: Any) -> str:
    """Digits only; a +86 / 0086 country prefix on a mobile number is dropped."""
    digits = re.sub(r"[\s\-()]", "", str(value or ""))
    if digits.startswith("+"):
        digits = digits[1:]
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def _text(data: Mapping, key: str, limit: int, errors: dict[str, str], *, required: bool = False) -> str:
    value = data.get(key)
    if value is None or value == "":
        if required:
            errors[key] = "required"
        return ""
    if not isinstance(value, str | int):
        errors[key] = "must be a string"
        return ""
    value = str(value).strip()
    if len(value) > limit:
        errors[key] = f"at most {limit} characters"
        return ""
    if required and not value:
        errors[key] = "required"
    return value


def _moment(value: Any, *, tz: dt.tzinfo, now: dt.datetime, errors: dict[str, str]) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        errors["at"] = "required: an ISO 8601 date and time"
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        errors["at"] = "not an ISO 8601 date and time"
        return None
    if moment.tzinfo is None:  # telephony systems commonly send local time without an offset
        moment = moment.replace(tzinfo=tz)
    if moment > now + FUTURE_TOLERANCE:
        errors["at"] = "in the future"
        return None
    if moment < EARLIEST:
        errors["at"] = "before 2000-01-01"
        return None
    return moment


def parse_event(data: Any, *, tz: dt.tzinfo, now: dt.datetime) -> EventIn:
    """Check one event as the telephony system sent it (a JSON object); raise EventError if unusable."""
    if not isinstance(data, Mapping):
        raise EventError({"event": "must be a JSON object"})
    errors: dict[str, str] = {}
    call_id = _text(data, "call_id", MAX_ID, errors, required=True)
    event_id = _text(data, "event_id", MAX_ID, errors, required=True)
    kind = data.get("type")
    if kind not in KIND_RANK:
        errors["type"] = "one of " + ", ".join(KIND_RANK)
    at = _moment(data.get("at"), tz=tz, now=now, errors=errors)
    caller = normalise_phone(_text(data, "caller", 30, errors))
    if caller and not _PHONE.match(caller):
        errors["caller"] = "digits only, 3 to 20"
    seat = _text(data, "seat", MAX_SEAT, errors)
    agent = _text(data, "agent", MAX_AGENT, errors)
    recording_url = _text(data, "recording_url", MAX_URL, errors)
    if recording_url and not recording_url.startswith(("https://", "http://")):
        errors["recording_url"] = "an http(s) address"
    channel = text = rating = rating_channel = ""
    if kind == EventKind.MESSAGE:
        channel = MESSAGE_CHANNELS.get(str(data.get("channel") or ""), "")
        if not channel:
            errors["channel"] = "sms or web"
        text = _text(data, "text", MAX_TEXT, errors)
    if kind == EventKind.RATED:
        raw = str(data.get("rating") or "")
        rating = RATING_KEYS.get(raw, raw)
        if rating not in Satisfaction.values:
            errors["rating"] = "satisfied, fair or dissatisfied (or the IVR key 1, 2, 3)"
        rating_channel = str(data.get("rating_channel") or RatingChannel.IVR)
        if rating_channel not in RatingChannel.values:
            errors["rating_channel"] = "ivr or sms"
    if errors:
        raise EventError(errors)
    return EventIn(call_id=call_id, event_id=event_id, kind=kind, at=at, caller=caller, seat=seat, agent=agent,
                   recording_url=recording_url, channel=channel, text=text, rating=rating,
                   rating_channel=rating_channel)


def _seconds(later: dt.datetime | None, earlier: dt.datetime | None) -> int | None:
    if later is None or earlier is None:
        return None
    return max(0, round((later - earlier).total_seconds()))


def _first(events: list[EventIn], attr: str) -> str:
    return next((getattr(e, attr) for e in events if getattr(e, attr)), "")


def _last(events: list[EventIn], attr: str) -> str:
    return next((getattr(e, attr) for e in reversed(events) if getattr(e, attr)), "")


def distinct(events: Iterable[EventIn]) -> list[EventIn]:
    """One event per id, the first seen kept (the service stores the first and refuses the rest),
    in the total order the fold uses."""
    seen: dict[str, EventIn] = {}
    for event in events:
        seen.setdefault(event.event_id, event)
    return sorted(seen.values(), key=lambda e: e.sort_key)


def _status(*, answered: bool, ended: bool, voice: bool, message: bool) -> str:
    if message:
        return CallStatus.MESSAGE
    if answered:
        return CallStatus.ANSWERED if ended else CallStatus.IN_CALL
    if voice:
        return CallStatus.VOICE_MESSAGE
    return CallStatus.MISSED if ended else CallStatus.RINGING


def fold_call(events: Iterable[EventIn]) -> CallFacts:
    """The call as the events describe it. Depends only on the set of distinct events.

    - rung at: the first ringing, else the first event of any kind;
    - answered at: the first answer; ended at: the last end;
    - status: a message if the caller wrote; answered (or in conversation until it ends); a voice
      message; missed once it ended unanswered; otherwise still ringing;
    - seat and agent: of the first answer, else the seat it first rang at;
    - caller: the first event that gives a number; recording: the last one given;
    - rating: the last rating given.
    """
    ordered = distinct(events)
    if not ordered:
        raise ValueError("a call needs at least one event")
    by_kind: dict[str, list[EventIn]] = {kind: [] for kind in KIND_RANK}
    for event in ordered:
        by_kind[event.kind].append(event)
    ringing, answered, ended = by_kind[EventKind.RINGING], by_kind[EventKind.ANSWERED], by_kind[EventKind.ENDED]
    messages, ratings = by_kind[EventKind.MESSAGE], by_kind[EventKind.RATED]
    rang_at = (ringing or ordered)[0].at
    answered_at = answered[0].at if answered else None
    ended_at = ended[-1].at if ended else None
    status = _status(answered=bool(answered), ended=bool(ended), voice=bool(by_kind[EventKind.VOICE_MESSAGE]),
                     message=bool(messages))
    if status == CallStatus.MESSAGE:
        channel = messages[0].channel
    elif status == CallStatus.VOICE_MESSAGE:
        channel = CallChannel.VOICE_MESSAGE
    else:
        channel = CallChannel.CALL
    rating = ratings[-1] if ratings else None
    return CallFacts(
        status=status, channel=channel, rang_at=rang_at, answered_at=answered_at, ended_at=ended_at,
        wait_seconds=_seconds(answered_at, rang_at) if answered_at else None,
        talk_seconds=_seconds(ended_at, answered_at) if answered_at and ended_at else None,
        caller=_first(ordered, "caller"),
        seat=_first(answered, "seat") or _first(ordered, "seat"),
        agent=_first(answered, "agent"),
        recording_url=_last(ordered, "recording_url"),
        message_text="\n".join(m.text for m in messages if m.text),
        rating=rating.rating if rating else "", rated_at=rating.at if rating else None,
        rating_channel=rating.rating_channel if rating else "",
    )
