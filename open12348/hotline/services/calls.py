"""Staff writes on work orders: a call entered by hand, the content of the call, revealing the
caller's number, referrals (legal aid, mediation, another department), booking an expert, and
the citizen's rating through the SMS link."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from open12348.accounts.permissions import user_can
from open12348.accounts.roles import Capability
from open12348.audit.services import audit_record, changes_from
from open12348.core.calendar_store import legal_calendar
from open12348.core.errors import ApplicationError, ConflictError
from open12348.core.services import model_update
from open12348.legalaid.services import application_create
from open12348.notifications.services import notify

from ..access import hotline_ids_for
from ..choices import (
    CallbackKind,
    CallChannel,
    Category,
    EventKind,
    RatingChannel,
    Referral,
    Satisfaction,
    Topic,
)
from ..events import EventIn, normalise_phone
from ..models import CallbackTask, Hotline, Seat, WorkOrder
from .callbacks import callback_ensure, callback_url, callback_withdraw_untouched
from .common import require_hotline, text, timeline
from .ingest import REJECTED, call_events_ingest

ANSWER = Capability.HOTLINE_ANSWER
RATING_SALT = "hotline.rating"
RATING_MAX_AGE = 7 * 24 * 3600  # the SMS link works for a week
CONTENT_FIELDS = ("caller_name", "category", "topic", "question", "answer", "resolved", "follow_up_needed")


# --- a call entered by hand, when the telephony system is down -----------------------------------

def _moment(value: Any, *, field: str, required: bool = False) -> dt.datetime | None:
    if value in (None, ""):
        if required:
            raise ApplicationError(_("Enter the time."), code="required", field=field)
        return None
    if not isinstance(value, dt.datetime):
        raise ApplicationError(_("Enter a date and time."), code="time_invalid", field=field)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value > timezone.now() + dt.timedelta(minutes=5):
        raise ApplicationError(_("The time cannot be in the future."), code="time_future", field=field)
    return value


def manual_events(*, call_id: str, data: dict[str, Any]) -> list[EventIn]:
    """The events the telephony system would have sent for the call the form describes."""
    channel = data.get("channel") or CallChannel.CALL
    if channel not in CallChannel.values:
        raise ApplicationError(_("Choose how the caller reached the hotline."), code="channel_invalid",
                               field="channel")
    caller = normalise_phone(data.get("caller_phone"))
    if not caller.isdigit() or not 5 <= len(caller) <= 20:
        raise ApplicationError(_("Enter the caller's number: digits only, with the area code for a landline."),
                               code="phone_invalid", field="caller_phone")
    rang_at = _moment(data.get("rang_at"), field="rang_at", required=True)
    answered_at = _moment(data.get("answered_at"), field="answered_at")
    ended_at = _moment(data.get("ended_at"), field="ended_at")
    if answered_at and answered_at < rang_at:
        raise ApplicationError(_("A call is answered after it rings."), code="order_invalid", field="answered_at")
    if ended_at and ended_at < (answered_at or rang_at):
        raise ApplicationError(_("A call ends after it rings and is answered."), code="order_invalid",
                               field="ended_at")
    seat = data.get("seat")
    agent = data.get("answered_by")
    if channel == CallChannel.CALL and answered_at and agent is None:
        raise ApplicationError(_("Say who answered the call."), code="agent_required", field="answered_by")
    common = {"call_id": call_id, "caller": caller, "seat": seat.code if seat else ""}
    events = [EventIn(event_id="manual-ringing", kind=EventKind.RINGING, at=rang_at, **common)]
    if channel == CallChannel.CALL and answered_at:
        events.append(EventIn(event_id="manual-answered", kind=EventKind.ANSWERED, at=answered_at,
                              agent=agent.username, **common))
    if channel in (CallChannel.CALL, CallChannel.VOICE_MESSAGE) and ended_at:
        events.append(EventIn(event_id="manual-ended", kind=EventKind.ENDED, at=ended_at, **common))
    if channel == CallChannel.VOICE_MESSAGE:
        events.append(EventIn(event_id="manual-voice", kind=EventKind.VOICE_MESSAGE, at=ended_at or rang_at,
                              recording_url=(data.get("recording_url") or "").strip(), **common))
    if channel in (CallChannel.SMS, CallChannel.WEB):
        message = text(data.get("message_text"), field="message_text", message=_("Copy the caller's message."),
                       limit=2000)
        events.append(EventIn(event_id="manual-message", kind=EventKind.MESSAGE, at=rang_at, channel=channel,
                              text=message, **common))
    return events


def call_record_manually(*, actor, hotline: Hotline, data: dict[str, Any], token: str) -> WorkOrder:
    """Enter a call by hand: the same events, folded the same way, as if the telephony system had
    sent them. `token` (from the form) makes a repeated submission return the same work order."""
    require_hotline(actor, ANSWER, hotline.pk)
    token = text(token, field="token", message=_("The form has expired: open it again."), limit=60)
    seat = data.get("seat")
    if seat is not None and (not isinstance(seat, Seat) or seat.hotline_id != hotline.pk):
        raise ApplicationError(_("Choose a seat of this hotline."), code="seat_invalid", field="seat")
    agent = data.get("answered_by")
    if agent is not None and hotline.pk not in hotline_ids_for(agent):
        raise ApplicationError(_("This person does not work on this hotline."), code="agent_invalid",
                               field="answered_by")
    call_id = f"manual-{token}"
    outcomes = call_events_ingest(hotline=hotline, events=manual_events(call_id=call_id, data=data), actor=actor,
                                  entered_by=actor)
    if any(o.result == REJECTED for o in outcomes):
        raise ApplicationError(_("This form was already used for another hotline's call."), code="token_reused")
    order = WorkOrder.objects.get(call_id=call_id)
    if data.get("caller_name"):
        work_order_record(actor=actor, order=order, data={"caller_name": data["caller_name"]})
        order.refresh_from_db()
    return order


# --- the content of the call ---------------------------------------------------------------------

def _clean_content(data: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for name, choices, message in (("category", Category, _("Choose consultation, complaint or suggestion.")),
                                   ("topic", Topic, _("Choose the legal topic."))):
        if name in data:
            value = data[name] or ""
            if value and value not in choices.values:
                raise ApplicationError(message, code=f"{name}_invalid", field=name)
            clean[name] = value
    for name, limit in (("question", 5000), ("answer", 10000), ("caller_name", 50)):
        if name in data:
            value = str(data[name] or "").strip()
            if len(value) > limit:
                raise ApplicationError(_("Keep this under %(limit)d characters.") % {"limit": limit},
                                       code="too_long", field=name)
            clean[name] = value
    if "resolved" in data:
        if data["resolved"] not in (True, False, None):
            raise ApplicationError(_("Say whether the question was resolved."), code="resolved_invalid",
                                   field="resolved")
        clean["resolved"] = data["resolved"]
    if "follow_up_needed" in data:
        clean["follow_up_needed"] = bool(data["follow_up_needed"])
    return clean


def _locked(order: WorkOrder, expected_version: int | None) -> WorkOrder:
    order = WorkOrder.objects.select_for_update().select_related("hotline").get(pk=order.pk)
    if expected_version is not None and order.version != expected_version:
        raise ConflictError(_("Someone else changed this work order meanwhile. Reload it and try again."),
                            code="version_conflict")
    return order


@transaction.atomic
def work_order_record(*, actor, order: WorkOrder, data: dict[str, Any],
                      expected_version: int | None = None) -> WorkOrder:
    """Record what the call was about and what the caller was told (fields in CONTENT_FIELDS).

    Needs a category, a topic and the question once any of them is given. Ticking "follow-up
    needed" opens a follow-up callback (Shandong: feedback within 5 working days); clearing it
    withdraws the callback if nobody has tried it yet.
    """
    require_hotline(actor, ANSWER, order.hotline_id)
    order = _locked(order, expected_version)
    clean = _clean_content(data)
    merged = {name: clean.get(name, getattr(order, name)) for name in CONTENT_FIELDS}
    if any(merged[name] for name in ("category", "topic", "question", "answer")):
        for name, message in (("category", _("Choose consultation, complaint or suggestion.")),
                              ("topic", _("Choose the legal topic.")),
                              ("question", _("Write down the caller's question."))):
            if not merged[name]:
                raise ApplicationError(message, code="required", field=name)
    order, updated, diff = model_update(instance=order, fields=list(CONTENT_FIELDS), data=clean)
    if not updated:
        return order
    order.version += 1
    order.save(update_fields=["version"])
    audit_record(actor=actor, action="hotline.work_order.record", obj=order,
                 changes=changes_from(diff, protected=("question", "answer", "caller_name")))
    timeline(order, actor=actor, kind="recorded", data={"fields": sorted(diff)})
    if "follow_up_needed" in diff:
        if order.follow_up_needed:
            callback_ensure(order=order, kind=CallbackKind.FOLLOW_UP, actor=actor, calendar=legal_calendar(),
                            from_day=timezone.localdate(), assigned_to=actor)
        else:
            callback_withdraw_untouched(order=order, kind=CallbackKind.FOLLOW_UP, actor=actor,
                                        reason=_("A follow-up is no longer needed."))
    return order


def work_order_reveal_phone(*, actor, order: WorkOrder) -> str:
    """The caller's full number, for the person calling back. Audited every time (never the value)."""
    require_hotline(actor, ANSWER, order.hotline_id)
    audit_record(actor=actor, action="hotline.work_order.reveal_phone", obj=order, extra={"field": "caller_phone"})
    return order.caller_phone


# --- referrals --------------------------------------------------------------------------------------

@transaction.atomic
def work_order_refer(*, actor, order: WorkOrder, referral: str, referral_to: str) -> WorkOrder:
    """Refer the caller to people's mediation or another department (legal aid: the next service)."""
    require_hotline(actor, ANSWER, order.hotline_id)
    if referral not in (Referral.MEDIATION, Referral.OTHER_DEPARTMENT):
        raise ApplicationError(_("Choose mediation or another department."), code="referral_invalid",
                               field="referral")
    referral_to = text(referral_to, field="referral_to", message=_("Name the organisation the caller was sent to."),
                       limit=100)
    order = _locked(order, None)
    if order.referral == Referral.LEGAL_AID:
        raise ConflictError(_("This call was already referred to legal aid."), code="already_referred")
    before = {"referral": order.referral, "referral_to": order.referral_to}
    order.referral, order.referral_to, order.referred_at = referral, referral_to, timezone.now()
    order.version += 1
    order.save(update_fields=["referral", "referral_to", "referred_at", "version", "updated_at"])
    audit_record(actor=actor, action="hotline.work_order.refer", obj=order,
                 changes={"before": before, "after": {"referral": referral, "referral_to": referral_to}})
    timeline(order, actor=actor, kind="referred", note=referral_to, data={"referral": referral})
    return order


@transaction.atomic
def work_order_refer_to_legal_aid(*, actor, order: WorkOrder, centre, applicant: dict[str, Any],
                                  details: dict[str, Any], household: dict[str, Any] | None = None):
    """Register a legal aid application from the call (channel "hotline"), as the operator confirmed
    it in the form pre-filled from the work order (referrals.legal_aid_prefill), and link the two.
    Submitting twice gives the one application (the work order is its idempotency key)."""
    require_hotline(actor, ANSWER, order.hotline_id)
    order = _locked(order, None)
    if order.application_id:
        raise ConflictError(_("This call was already referred to legal aid."), code="already_referred")
    application = application_create(
        actor=actor, centre=centre, channel="hotline", applicant=applicant, details=details, household=household,
        channel_detail=_("12348 hotline work order %(number)s") % {"number": order.number},
        idempotency_key=f"hotline.work_order:{order.pk}")
    before = {"referral": order.referral, "application": None}
    order.application, order.referral = application, Referral.LEGAL_AID
    order.referral_to, order.referred_at = centre.name[:100], timezone.now()
    order.version += 1
    order.save(update_fields=["application", "referral", "referral_to", "referred_at", "version", "updated_at"])
    audit_record(actor=actor, action="hotline.work_order.refer_legal_aid", obj=order,
                 changes={"before": before, "after": {"referral": Referral.LEGAL_AID, "application": application.pk}})
    timeline(order, actor=actor, kind="referred_legal_aid", note=application.number,
             data={"application": application.pk})
    return application


# --- difficult questions ------------------------------------------------------------------------------

@transaction.atomic
def expert_book(*, actor, order: WorkOrder, expert, question: str) -> CallbackTask:
    """Book a difficult question for an expert's answer (条例 Art. 25): the expert calls the caller
    back with the answer by the hotline's deadline (Puyang: 3 days)."""
    require_hotline(actor, ANSWER, order.hotline_id)
    question = text(question, field="question", message=_("Write down the question for the expert."), limit=5000)
    if expert is None or not user_can(expert, ANSWER) or order.hotline_id not in hotline_ids_for(expert):
        raise ApplicationError(_("Choose a duty lawyer or staff member of this hotline."), code="expert_invalid",
                               field="expert")
    order = _locked(order, None)
    if CallbackTask.objects.filter(work_order=order, kind=CallbackKind.EXPERT).exclude(status="withdrawn").exists():
        raise ConflictError(_("This question is already booked for an expert."), code="already_booked")
    task, _created = callback_ensure(order=order, kind=CallbackKind.EXPERT, actor=actor, calendar=legal_calendar(),
                                     from_day=timezone.localdate(), assigned_to=expert, question=question)
    if task.assigned_to_id != expert.pk or task.question != question:
        task.assigned_to, task.question = expert, question
        task.save(update_fields=["assigned_to", "question", "updated_at"])
    notify(recipient=expert, kind="hotline.expert_booked",
           title=_("A question booked for your answer by %(due)s") % {"due": task.due_on.isoformat()},
           url=callback_url(task), obj=task, dedupe_key=f"hotline.callback:{task.pk}:booked", actor=actor)
    return task


# --- the caller's rating by SMS link --------------------------------------------------------------------

def rating_token(order: WorkOrder) -> str:
    return signing.dumps(order.pk, salt=RATING_SALT)


def rating_url(order: WorkOrder) -> str:
    return reverse("hotline:rate", args=[rating_token(order)])


def order_for_rating_token(token: str) -> WorkOrder | None:
    try:
        pk = signing.loads(token, salt=RATING_SALT, max_age=RATING_MAX_AGE)
    except signing.BadSignature:
        return None
    return WorkOrder.objects.select_related("hotline").filter(pk=pk).first()


def call_rate_by_sms(*, order: WorkOrder, rating: str) -> bool:
    """The caller's rating from the SMS link: one per call (a second one is ignored), folded like an
    IVR rating, so a dissatisfied one opens a supervisor's callback."""
    if rating not in Satisfaction.values:
        raise ApplicationError(_("Choose one of the answers."), code="rating_invalid", field="rating")
    event = EventIn(call_id=order.call_id, event_id="sms-rating", kind=EventKind.RATED, at=timezone.now(),
                    rating=rating, rating_channel=RatingChannel.SMS)
    outcome = call_events_ingest(hotline=order.hotline, events=[event], actor=None)[0]
    return outcome.result == "created"
