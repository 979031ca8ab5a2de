"""Writes of the front desk: queue numbers, registering a visitor with their requests in one
transaction, keeping each ticket in step with its back office, recording referral results, and
telling the person when a result comes back.

Who may act: FRONTDESK (window staff, judicial office staff) at a desk — an organisation they belong
to. A legal aid request also needs AID_INTAKE (application_create checks it), a mediation request
goes through mediation.services.dispute_register.

Feedback deadlines are legal days (core.calendar): per kind of request, from
settings.FRONTDESK_FEEDBACK_DAYS over DEFAULT_FEEDBACK_DAYS.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from open12348.accounts.permissions import user_can
from open12348.accounts.roles import Capability
from open12348.accounts.scope import region_paths_for
from open12348.audit.services import audit_record
from open12348.core.calendar import due_date
from open12348.core.calendar_store import legal_calendar
from open12348.core.errors import ApplicationError, ConflictError
from open12348.notifications.services import message_queue

from .adapters import adapter_for
from .choices import REFERRAL_KINDS, ConsultationChannel, QueueStatus, TicketKind, TicketStatus
from .models import ConsultationRecord, QueueNumber, Ticket, TicketEvent, Visit

QUEUE_LETTER = "A"
# Legal days in which the back office should report back: legal aid decides within 7 days (Legal Aid
# Law Art. 43), mediation should end within a month, a referral's receiving body is asked for 15.
DEFAULT_FEEDBACK_DAYS = {TicketKind.LEGAL_AID: 7, TicketKind.MEDIATION: 30, **dict.fromkeys(REFERRAL_KINDS, 15)}
TEXT_MAX = 4000


def feedback_days(kind: str) -> int:
    return int({**DEFAULT_FEEDBACK_DAYS, **getattr(settings, "FRONTDESK_FEEDBACK_DAYS", {})}.get(kind, 15))


def _forbidden() -> ApplicationError:
    return ApplicationError(_("You are not allowed to do this."), code="forbidden", status=403)


def _not_found() -> ApplicationError:
    return ApplicationError(_("This ticket does not exist or is not in your area."), code="not_found", status=404)


def _in_scope(actor, region) -> bool:
    paths = region_paths_for(actor)
    return paths is None or any(region.path.startswith(p) for p in paths)


def _require_desk(actor, desk) -> None:
    if not user_can(actor, Capability.FRONTDESK):
        raise _forbidden()
    if actor.is_superuser:
        return
    if not actor.memberships.filter(institution=desk, is_active=True).exists():
        raise ApplicationError(_("You do not work at this service point."), code="desk_not_yours", status=403)


def desks_of(user):
    """The service points (organisations) where the user may work the front desk."""
    from open12348.network.models import Institution

    if user.is_superuser:
        return Institution.objects.select_related("region").order_by("name")
    return Institution.objects.filter(memberships__user=user, memberships__is_active=True).select_related(
        "region").distinct().order_by("name")


def _text(value: str, *, field: str, required: bool = True, maximum: int = TEXT_MAX) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ApplicationError(_("Please write something here."), code="required", field=field)
    if len(value) > maximum:
        raise ApplicationError(_("Please keep it under %(max)d characters.") % {"max": maximum}, code="too_long",
                               field=field)
    return value


# --- queue ----------------------------------------------------------------------------------------------

@transaction.atomic
def queue_take(*, actor, desk, now: dt.datetime | None = None) -> QueueNumber:
    """The next number of the day at this desk (A001, A002 …), safe under concurrency."""
    from open12348.legalaid.services import sequence_next

    _require_desk(actor, desk)
    now = now or timezone.now()
    day = timezone.localdate(now)
    sequence = sequence_next(centre=desk, year=day.year, kind=f"q{day:%m%d}")
    number = QueueNumber.objects.create(desk=desk, day=day, sequence=sequence, label=f"{QUEUE_LETTER}{sequence:03d}",
                                        taken_at=now)
    audit_record(actor=actor, action="frontdesk.queue.take", obj=number)
    return number


@transaction.atomic
def queue_call(*, actor, number: QueueNumber, now: dt.datetime | None = None) -> QueueNumber:
    number = QueueNumber.objects.select_for_update().select_related("desk").get(pk=number.pk)
    _require_desk(actor, number.desk)
    if number.status != QueueStatus.WAITING:
        raise ConflictError(_("This number has already been called."), code="already_called")
    number.status, number.called_at, number.called_by = QueueStatus.CALLED, now or timezone.now(), actor
    number.save(update_fields=["status", "called_at", "called_by"])
    audit_record(actor=actor, action="frontdesk.queue.call", obj=number)
    return number


def queue_call_next(*, actor, desk, now: dt.datetime | None = None) -> QueueNumber | None:
    day = timezone.localdate(now or timezone.now())
    waiting = QueueNumber.objects.filter(desk=desk, day=day, status=QueueStatus.WAITING).order_by("sequence").first()
    return queue_call(actor=actor, number=waiting, now=now) if waiting else None


# --- registering a visit ---------------------------------------------------------------------------------

def _event(ticket: Ticket, *, actor, action: str, note: str = "") -> None:
    TicketEvent.objects.create(ticket=ticket, actor=actor if getattr(actor, "is_authenticated", False) else None,
                               action=action, note=note[:200])


def _new_ticket(*, actor, visit: Visit, kind: str, owner, owner_name: str, summary: str, day: dt.date) -> Ticket:
    from open12348.legalaid.services import sequence_next

    if kind == TicketKind.CONSULTATION:
        due, complete = day, True
    else:
        result = due_date(start=day, days=feedback_days(kind), calendar=legal_calendar())
        due, complete = result.due, result.calendar_complete
    sequence = sequence_next(centre=visit.desk, year=day.year, kind="frontdesk")
    ticket = Ticket.objects.create(
        number=f"FD{day.year}{visit.desk_id:05d}{sequence:06d}", visit=visit, region=visit.region, kind=kind,
        owner=owner, owner_name=(owner_name or (owner.name if owner else ""))[:100], summary=summary,
        feedback_due=due, calendar_complete=complete)
    _event(ticket, actor=actor, action="register", note=ticket.owner_name)
    return ticket


def _consultation(*, actor, visit, request: dict, now, index: int) -> Ticket:
    topic = _text(request.get("topic"), field=f"requests.{index}.topic", maximum=60)
    question = _text(request.get("question"), field=f"requests.{index}.question")
    answer = _text(request.get("answer"), field=f"requests.{index}.answer")
    ticket = _new_ticket(actor=actor, visit=visit, kind=TicketKind.CONSULTATION, owner=visit.desk, owner_name="",
                         summary=question, day=timezone.localdate(now))
    ticket.status, ticket.result, ticket.resolved_at = TicketStatus.RESOLVED, answer, now
    ticket.person_told_at = now  # answered face to face
    ticket.save(update_fields=["status", "result", "resolved_at", "person_told_at"])
    ConsultationRecord.objects.create(desk=visit.desk, region=visit.region, channel=ConsultationChannel.VISIT,
                                      ticket=ticket, consulted_at=now, name=visit.person.name, phone=visit.person.phone,
                                      topic=topic, question=question, answer=answer, answered_by=actor)
    _event(ticket, actor=actor, action="answered")
    return ticket


def _legal_aid(*, actor, visit, request: dict, person_data: dict, now, index: int) -> Ticket:
    from open12348.legalaid.eligibility.codes import Channel
    from open12348.legalaid.services import application_create

    centre = request.get("centre")
    if centre is None:
        raise ApplicationError(_("Choose the legal aid centre."), code="centre_required",
                               field=f"requests.{index}.centre")
    application = application_create(actor=actor, centre=centre, channel=Channel.WINDOW, applicant=person_data,
                                     details=request.get("details") or {}, household=request.get("household"),
                                     integrity_commitment=bool(request.get("integrity_commitment")),
                                     channel_detail=visit.desk.name[:200], received_at=now,
                                     residence=request.get("residence"))
    ticket = _new_ticket(actor=actor, visit=visit, kind=TicketKind.LEGAL_AID, owner=centre, owner_name="",
                         summary=str((request.get("details") or {}).get("facts") or ""), day=timezone.localdate(now))
    ticket.application = application
    ticket.back_office_status = str(application.get_status_display())
    ticket.save(update_fields=["application", "back_office_status"])
    return ticket


def _mediation(*, actor, visit, request: dict, person_data: dict, now, index: int) -> Ticket:
    from open12348.mediation.choices import DisputeSource
    from open12348.mediation.services import dispute_register

    committee = request.get("committee")
    facts = _text(request.get("facts"), field=f"requests.{index}.facts")
    ticket = _new_ticket(actor=actor, visit=visit, kind=TicketKind.MEDIATION, owner=committee,
                         owner_name=getattr(committee, "name", ""), summary=facts, day=timezone.localdate(now))
    applicant = {"side": "applicant", **{k: person_data.get(k, "") for k in ("name", "id_number", "phone", "address")}}
    respondents = [{"side": "respondent", **r} for r in request.get("respondents") or [] if (r.get("name") or "").strip()]
    dispute = dispute_register(actor=actor, committee=committee, dispute_type=request.get("dispute_type") or "",
                               source=DisputeSource.FRONT_DESK, source_detail=ticket.number, facts=facts,
                               parties=[applicant, *respondents], received_on=timezone.localdate(now))
    ticket.dispute = dispute
    ticket.back_office_status = str(dispute.get_status_display())
    ticket.save(update_fields=["dispute", "back_office_status"])
    return ticket


def _referral(*, actor, visit, request: dict, now, index: int) -> Ticket:
    owner = request.get("owner")
    owner_name = (request.get("owner_name") or "").strip()
    if owner is None and not owner_name:
        raise ApplicationError(_("Say which body the person is referred to."), code="owner_required",
                               field=f"requests.{index}.owner")
    summary = _text(request.get("summary"), field=f"requests.{index}.summary")
    return _new_ticket(actor=actor, visit=visit, kind=request["kind"], owner=owner, owner_name=owner_name,
                       summary=summary, day=timezone.localdate(now))


@transaction.atomic
def visit_register(*, actor, desk, person: dict[str, Any], requests: list[dict[str, Any]],
                   queue_number: QueueNumber | None = None, now: dt.datetime | None = None) -> Visit:
    """Register a visitor once and each of their requests as a ticket, all or nothing."""
    from open12348.legalaid.services import person_upsert

    _require_desk(actor, desk)
    if not requests:
        raise ApplicationError(_("Add at least one request."), code="requests_required", field="requests")
    for index, request in enumerate(requests):
        if request.get("kind") not in TicketKind.values:
            raise ApplicationError(_("Choose what the person asks for."), code="kind_invalid",
                                   field=f"requests.{index}.kind")
    now = now or timezone.now()
    visitor = person_upsert(actor=actor, data=person, prefix="person")
    person_data = {"name": visitor.name, "id_number": visitor.id_number, "phone": visitor.phone,
                   "address": visitor.address}
    visit = Visit.objects.create(desk=desk, region=desk.region, person=visitor, registered_by=actor,
                                 registered_at=now)
    if queue_number is not None:
        number = QueueNumber.objects.select_for_update().get(pk=queue_number.pk, desk=desk)
        if hasattr(number, "visit"):
            raise ConflictError(_("This queue number has already been served."), code="number_used")
        number.status, number.served_at = QueueStatus.SERVED, now
        number.called_at = number.called_at or now
        number.save(update_fields=["status", "served_at", "called_at"])
        visit.queue_number = number
        visit.save(update_fields=["queue_number"])
    tickets = []
    for index, request in enumerate(requests):
        kind = request["kind"]
        if kind == TicketKind.CONSULTATION:
            tickets.append(_consultation(actor=actor, visit=visit, request=request, now=now, index=index))
        elif kind == TicketKind.LEGAL_AID:
            tickets.append(_legal_aid(actor=actor, visit=visit, request=request, person_data=person_data, now=now,
                                      index=index))
        elif kind == TicketKind.MEDIATION:
            tickets.append(_mediation(actor=actor, visit=visit, request=request, person_data=person_data, now=now,
                                      index=index))
        else:
            tickets.append(_referral(actor=actor, visit=visit, request=request, now=now, index=index))
    audit_record(actor=actor, action="frontdesk.visit.register", obj=visit,
                 extra={"desk": desk.pk, "tickets": [t.number for t in tickets], "kinds": [t.kind for t in tickets]})
    return visit


# --- results coming back --------------------------------------------------------------------------------

def _tell_person(ticket: Ticket, *, now: dt.datetime) -> bool:
    """An SMS that the result is back, after commit. Never the result itself: SMS passes through third parties."""
    phone = ticket.visit.person.phone
    if not phone:
        _event(ticket, actor=None, action="not_told", note=_("No phone number: tell the person when they call."))
        return False
    body = _("Open12348: the result of your request %(number)s (%(kind)s) at %(desk)s is ready. Please call or "
             "visit the service point.") % {"number": ticket.number, "kind": ticket.get_kind_display(),
                                            "desk": ticket.visit.desk.name}
    message_queue(channel="sms", to=phone, body=body, dedupe_key=f"frontdesk.ticket:{ticket.pk}:result")
    ticket.person_told_at = now
    _event(ticket, actor=None, action="told", note="SMS")
    return True


def _resolve(ticket: Ticket, *, result: str, now: dt.datetime) -> None:
    ticket.status, ticket.result, ticket.resolved_at = TicketStatus.RESOLVED, result, now
    _tell_person(ticket, now=now)
    ticket.version += 1
    ticket.save(update_fields=["status", "result", "resolved_at", "person_told_at", "back_office_status", "version",
                               "updated_at"])


@transaction.atomic
def ticket_sync(*, ticket: Ticket, actor=None, now: dt.datetime | None = None) -> bool:
    """Bring a ticket in step with its back office; when the result arrives, record it and tell the person.

    Returns whether anything changed. Running it again changes nothing and sends nothing twice.
    """
    now = now or timezone.now()
    ticket = (Ticket.objects.select_for_update(of=("self",))
              .select_related("visit__person", "visit__desk", "application", "dispute").get(pk=ticket.pk))
    if ticket.status == TicketStatus.RESOLVED or ticket.kind not in (TicketKind.LEGAL_AID, TicketKind.MEDIATION):
        return False
    state = adapter_for(ticket.kind).read(ticket)
    changed = state.label != ticket.back_office_status
    ticket.back_office_status = state.label
    if state.done:
        _resolve(ticket, result=state.result, now=now)
        _event(ticket, actor=actor, action="result", note=state.label)
        audit_record(actor=actor, action="frontdesk.ticket.result", obj=ticket, extra={"back_office": state.label})
        return True
    if state.started and ticket.status == TicketStatus.OPEN:
        ticket.status = TicketStatus.IN_PROGRESS
        changed = True
    if changed:
        ticket.version += 1
        ticket.save(update_fields=["status", "back_office_status", "version", "updated_at"])
        _event(ticket, actor=actor, action="status", note=state.label)
    return changed


def tickets_sync_open(*, actor=None, now: dt.datetime | None = None, queryset=None) -> int:
    """Sync every open legal aid and mediation ticket (the periodic job; also the desk's refresh button)."""
    qs = queryset if queryset is not None else Ticket.objects.all()
    ids = list(qs.filter(status__in=[TicketStatus.OPEN, TicketStatus.IN_PROGRESS],
                         kind__in=[TicketKind.LEGAL_AID, TicketKind.MEDIATION]).values_list("id", flat=True))
    return sum(ticket_sync(ticket=Ticket(pk=pk), actor=actor, now=now) for pk in ids)


@transaction.atomic
def ticket_result_record(*, actor, ticket: Ticket, result: str, now: dt.datetime | None = None) -> Ticket:
    """Staff record what the receiving body of a referral reported; the person is told."""
    now = now or timezone.now()
    if not user_can(actor, Capability.FRONTDESK):
        raise _forbidden()
    ticket = (Ticket.objects.select_for_update(of=("self",)).select_related("visit__person", "visit__desk", "region")
              .get(pk=ticket.pk))
    if not _in_scope(actor, ticket.region):
        raise _not_found()
    if ticket.kind not in REFERRAL_KINDS:
        raise ApplicationError(_("The result of this request comes from its back office."), code="not_a_referral")
    if ticket.status == TicketStatus.RESOLVED:
        raise ConflictError(_("The result has already been recorded."), code="already_resolved")
    result = _text(result, field="result")
    ticket.back_office_status = ""
    _resolve(ticket, result=result, now=now)
    _event(ticket, actor=actor, action="result")
    audit_record(actor=actor, action="frontdesk.ticket.result", obj=ticket)
    return ticket


@transaction.atomic
def consultation_record(*, actor, desk, channel: str, topic: str, question: str, answer: str, name: str = "",
                        phone: str = "", now: dt.datetime | None = None) -> ConsultationRecord:
    """A line of the consultation register for a phone call, a letter or an online question."""
    _require_desk(actor, desk)
    if channel not in ConsultationChannel.values:
        raise ApplicationError(_("Choose the channel."), code="channel_invalid", field="channel")
    record = ConsultationRecord.objects.create(
        desk=desk, region=desk.region, channel=channel, consulted_at=now or timezone.now(), name=name.strip()[:50],
        phone=phone.strip(), topic=_text(topic, field="topic", maximum=60), question=_text(question, field="question"),
        answer=_text(answer, field="answer"), answered_by=actor)
    audit_record(actor=actor, action="frontdesk.consultation.record", obj=record, extra={"channel": channel})
    return record


