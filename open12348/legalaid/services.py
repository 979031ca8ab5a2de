"""Writes for legal aid applications: intake from every channel, review, decision, objection.

Every service runs in one transaction, changes status only as `workflow.TRANSITIONS` allows,
and writes an `ApplicationEvent` (the timeline staff see) and an audit row.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from open12348.accounts.permissions import user_can
from open12348.accounts.roles import Capability
from open12348.accounts.scope import region_paths_for
from open12348.audit.services import audit_record
from open12348.core.calendar import due_at, due_date, due_date_with_pauses
from open12348.core.calendar_store import legal_calendar
from open12348.core.crypto import blind_index
from open12348.core.errors import ApplicationError, ConflictError
from open12348.core.idnumber import parse_id_number
from open12348.network.choices import InstitutionKind, RegionLevel
from open12348.network.models import Region

from . import workflow
from .choices import (
    AidForm,
    ApplicationStatus,
    CaseCategory,
    Channel,
    Decision,
    NotifyingOrgan,
    ObjectionStatus,
    Stage,
    SupplementStatus,
)
from .documents import document_issue
from .models import (
    Application,
    ApplicationEvent,
    CentreProfile,
    NumberSequence,
    Objection,
    Person,
    SupplementRequest,
)
from .rules_store import eligibility_check

# Statutory periods (Legal Aid Law 2021). Local practice periods live on CentreProfile.
REVIEW_DAYS = 7  # Art. 43: decide within 7 days of receiving the application
ASSIGN_DAYS = 3  # Art. 43 / Art. 36: assign within 3 days of approval or of the notification
OBJECTION_DAYS = 5  # Art. 49: the justice bureau decides an objection within 5 days
FORWARDING_HOURS = 24  # Art. 39: places of detention forward applications within 24 hours
ADVANCE_AID_DAYS = 7  # Art. 44: advance aid when fewer than 7 days remain

PERSON_FIELDS = ("name", "sex", "birth_date", "ethnicity", "phone", "address", "household_registration",
                 "occupation", "employer", "education", "health", "health_details", "groups")
DETAIL_FIELDS = ("matter", "matter_subtype", "category", "aid_form", "stage", "cause", "opposing_party",
                 "handling_organ", "facts", "amount_claimed", "people_count", "retrial_ordered", "other_counsel")



# --- people --------------------------------------------------------------------------------

def _clean_person(data: dict[str, Any], *, prefix: str) -> dict[str, Any]:
    data = {k: v for k, v in data.items() if k in (*PERSON_FIELDS, "id_number")}
    name = (data.get("name") or "").strip()
    if not name:
        raise ApplicationError(_("Enter the person's name."), code="name_required", field=f"{prefix}.name")
    data["name"] = name
    id_number = (data.get("id_number") or "").strip().upper()
    if id_number:
        try:
            parsed = parse_id_number(id_number)
        except ValueError as exc:
            raise ApplicationError(_("This is not a valid 18-digit ID number: please check it digit by digit."),
                                   code="id_number_invalid", field=f"{prefix}.id_number") from exc
        if data.get("birth_date") and data["birth_date"] != parsed.birth_date:
            raise ApplicationError(_("The birth date does not match the ID number."), code="birth_date_mismatch",
                                   field=f"{prefix}.birth_date")
        if data.get("sex") and data["sex"] != parsed.sex:
            raise ApplicationError(_("The sex does not match the ID number."), code="sex_mismatch",
                                   field=f"{prefix}.sex")
        data.update(id_number=parsed.value, birth_date=parsed.birth_date, sex=parsed.sex)
        data["home_region_code"] = parsed.region_code
    phone = str(data.get("phone") or "").strip().replace(" ", "").replace("-", "")
    if phone and not (phone.isdigit() and 7 <= len(phone) <= 12):
        raise ApplicationError(_("Enter a mobile number of 11 digits or a landline with its area code."),
                               code="phone_invalid", field=f"{prefix}.phone")
    data["phone"] = phone
    data["groups"] = sorted(set(data.get("groups") or []))
    data["id_number"] = id_number and data["id_number"]
    return data


def person_upsert(*, actor, data: dict[str, Any], prefix: str = "applicant") -> Person:
    """Find the person by ID number (keyed hash) and bring their record up to date, or create them."""
    data = _clean_person(data, prefix=prefix)
    person = None
    if data["id_number"]:
        person = Person.objects.select_for_update().filter(
            id_number_hash=blind_index(data["id_number"], purpose="id_number")
        ).first()
    if person is None:
        person = Person(**data)
        person.id_number_hash = blind_index(person.id_number, purpose="id_number")
        person.phone_hash = blind_index(person.phone, purpose="phone")
        person.save()
        audit_record(actor=actor, action="legalaid.person.create", obj=person)
        return person
    # Staff bring the record up to date; the public portal (actor None) cannot prove who it is, so it
    # only fills what is still empty and never replaces a name, phone or address staff recorded.
    changed = [f for f, v in data.items() if v not in ("", None, []) and getattr(person, f) != v
               and (actor is not None or getattr(person, f) in ("", None, []))]
    for field in changed:
        setattr(person, field, data[field])
    if changed:
        person.phone_hash = blind_index(person.phone, purpose="phone")
        person.save()
        audit_record(actor=actor, action="legalaid.person.update", obj=person, extra={"fields": changed})
    return person


# --- numbering -----------------------------------------------------------------------------

def sequence_next(*, centre, year: int, kind: str) -> int:
    """The next number of a centre's `kind` of document in `year`: unique, never reused, safe under
    concurrency (the caller's transaction holds the row until it commits)."""
    try:
        with transaction.atomic():
            NumberSequence.objects.get_or_create(centre=centre, year=year, kind=kind)
    except IntegrityError:  # another request created the row first; it exists now
        pass
    sequence = NumberSequence.objects.select_for_update().get(centre=centre, year=year, kind=kind)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


def _next_number(*, centre, year: int) -> str:
    """`平法援〔2026〕第00123号`: unique per centre and year, never reused, safe under concurrency."""
    last = sequence_next(centre=centre, year=year, kind="application")
    profile = CentreProfile.objects.filter(centre=centre).first()
    prefix = profile.number_prefix if profile else _("Legal aid")
    return f"{prefix}〔{year}〕第{last:05d}号"


# --- intake --------------------------------------------------------------------------------

def centre_in_reach(*, actor, centre) -> bool:
    """Whether staff may register applications for `centre`: one inside their area, or one above it
    (a township's judicial office or a partner workstation forwards to its county's or the city's)."""
    paths = region_paths_for(actor)
    return paths is None or any(centre.region.path.startswith(p) or p.startswith(centre.region.path) for p in paths)


def _check_centre(*, actor, centre) -> None:
    if centre.kind != InstitutionKind.LEGAL_AID_CENTRE:
        raise ApplicationError(_("Applications go to a legal aid centre."), code="not_a_centre", field="centre")
    if actor is None:  # the public portal: any centre
        return
    if not centre_in_reach(actor=actor, centre=centre):
        raise ApplicationError(_("This legal aid centre is outside your area."), code="centre_out_of_scope",
                               field="centre")


def _check_residence(*, residence: Region | None, centre) -> None:
    """The applicant's township, if given, is a township-level division inside the centre's area: the
    dashboard counts the application there, and anything else would put it outside the centre's figures."""
    if residence is None:
        return
    if residence.level != RegionLevel.TOWNSHIP:
        raise ApplicationError(_("Choose the township or street the applicant lives in (not a county or a village)."),
                               code="residence_level", field="residence")
    if not residence.path.startswith(centre.region.path):
        raise ApplicationError(
            _("%(township)s is outside the area of %(centre)s: choose a township the centre serves, or leave it empty.")
            % {"township": residence.name, "centre": centre.name}, code="residence_out_of_area", field="residence")


def _clean_details(details: dict[str, Any], *, channel: str) -> dict[str, Any]:
    data = {k: v for k, v in details.items() if k in DETAIL_FIELDS}
    for field, choices, message in (
        ("aid_form", AidForm, _("Choose the form of legal aid requested.")),
        ("category", CaseCategory, _("Choose the kind of case.")),
    ):
        if data.get(field) not in choices.values:
            raise ApplicationError(message, code=f"{field}_invalid", field=field)
    if data.get("stage") and data["stage"] not in Stage.values:
        raise ApplicationError(_("Choose the procedural stage from the list."), code="stage_invalid", field="stage")
    amount = data.get("amount_claimed")
    if amount not in (None, ""):
        try:
            amount = Decimal(str(amount))
        except InvalidOperation as exc:
            raise ApplicationError(_("Enter the amount in yuan, such as 12000.50."), code="amount_invalid",
                                   field="amount_claimed") from exc
        if amount < 0:
            raise ApplicationError(_("The amount cannot be negative."), code="amount_invalid", field="amount_claimed")
        data["amount_claimed"] = amount
    else:
        data["amount_claimed"] = None
    for flag in ("retrial_ordered", "other_counsel"):
        data[flag] = data.get(flag) is True
    people = data.get("people_count") or 1
    if int(people) < 1:
        raise ApplicationError(_("At least one person is aided."), code="people_invalid", field="people_count")
    data["people_count"] = int(people)
    if channel == Channel.NOTIFICATION and data.get("category") != CaseCategory.CRIMINAL:
        raise ApplicationError(_("Notifications concern criminal and compulsory medical treatment cases."),
                               code="notification_not_criminal", field="category")
    return data


def _clean_household(household: dict[str, Any] | None) -> dict[str, Any]:
    if not household:
        return {}
    try:
        members = int(household.get("members") or 0)
    except (TypeError, ValueError):
        members = 0
    if members < 1:
        raise ApplicationError(_("A household has at least one member: the applicant."), code="members_invalid",
                               field="household.members")
    try:
        income = Decimal(str(household.get("monthly_income", "0") or "0"))
    except InvalidOperation as exc:
        raise ApplicationError(_("Enter the monthly income in yuan, such as 2500."), code="income_invalid",
                               field="household.monthly_income") from exc
    if income < 0:
        raise ApplicationError(_("Income cannot be negative."), code="income_invalid",
                               field="household.monthly_income")
    return {**household, "members": members, "monthly_income": str(income)}


def _event(application: Application, *, actor, kind: str, from_status: str = "", note: str = "",
           data: dict | None = None, at: dt.datetime | None = None) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        application=application, actor=actor if getattr(actor, "is_authenticated", False) else None,
        kind=kind, from_status=from_status, to_status=application.status, note=note, data=data or {},
        at=at or timezone.now(),
    )


def application_create(
    *,
    actor,
    centre,
    channel: str,
    applicant: dict[str, Any],
    details: dict[str, Any],
    household: dict[str, Any] | None = None,
    integrity_commitment: bool = False,
    agent: dict[str, Any] | None = None,
    agent_relationship: str = "",
    channel_detail: str = "",
    notifying_organ: str = "",
    notice_number: str = "",
    facility_received_at: dt.datetime | None = None,
    received_at: dt.datetime | None = None,
    idempotency_key: str | None = None,
    residence: Region | None = None,
) -> Application:
    """Register an application (or an Art. 25/28 notification) from any channel.

    `actor` None is the public portal. A repeated request with the same idempotency key returns the
    application the first one made, also when both arrive at the same moment: the second insert
    fails on the key's unique constraint, its whole transaction (number included) rolls back, and
    the first application is returned.
    """
    arguments = locals()
    if idempotency_key:
        existing = Application.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    try:
        return _application_create(**arguments)
    except IntegrityError:
        existing = Application.objects.filter(idempotency_key=idempotency_key).first() if idempotency_key else None
        if existing is None:
            raise
        return existing


@transaction.atomic
def _application_create(*, actor, centre, channel, applicant, details, household, integrity_commitment, agent,
                        agent_relationship, channel_detail, notifying_organ, notice_number, facility_received_at,
                        received_at, idempotency_key, residence) -> Application:
    if actor is not None:
        _require(actor, Capability.AID_INTAKE)
    if channel not in Channel.values:
        raise ApplicationError(_("Choose the channel the application came through."), code="channel_invalid",
                               field="channel")
    _check_centre(actor=actor, centre=centre)
    _check_residence(residence=residence, centre=centre)
    details = _clean_details(details, channel=channel)
    household_data = _clean_household(household)
    if channel == Channel.NOTIFICATION:
        if notifying_organ not in NotifyingOrgan.values:
            raise ApplicationError(_("Say which organ sent the notification."), code="organ_required",
                                   field="notifying_organ")
        if not notice_number.strip():
            raise ApplicationError(_("Enter the notification's document number."), code="notice_number_required",
                                   field="notice_number")
    if channel == Channel.DETENTION_FORWARDING and facility_received_at is None:
        raise ApplicationError(_("Enter when the place of detention received the application."),
                               code="facility_time_required", field="facility_received_at")
    if agent and not agent_relationship.strip():
        raise ApplicationError(_("Say how the agent is related to the applicant."), code="relationship_required",
                               field="agent_relationship")

    person = person_upsert(actor=actor, data=applicant, prefix="applicant")
    agent_person = person_upsert(actor=actor, data=agent, prefix="agent") if agent else None
    received_at = received_at or timezone.now()
    received_on = timezone.localdate(received_at)

    check = eligibility_check(
        matter=details.get("matter", ""), subtype=details.get("matter_subtype", ""),
        region_code=centre.region.code, on=received_on, person=person, household=household_data or None,
        category=details.get("category"), retrial_ordered=details["retrial_ordered"],
        other_counsel=details["other_counsel"],
    )
    application = Application(
        centre=centre, region=centre.region, residence=residence, channel=channel,
        channel_detail=channel_detail.strip(),
        notifying_organ=notifying_organ, notice_number=notice_number.strip(),
        facility_received_at=facility_received_at, idempotency_key=idempotency_key or None,
        applicant=person, agent=agent_person, agent_relationship=agent_relationship.strip(),
        groups=check["groups"], household=household_data, integrity_commitment=integrity_commitment,
        eligibility=check["decision"], ruleset_version=check["decision"].get("ruleset_version", ""),
        priority=bool(check["decision"].get("priority")), received_at=received_at, created_by=_user(actor),
        **details,
    )
    calendar = legal_calendar()
    if channel == Channel.NOTIFICATION:
        application.status = ApplicationStatus.NOTIFIED
        due = due_date(start=received_on, days=ASSIGN_DAYS, calendar=calendar)
        application.assignment_due = due.due
    else:
        application.status = ApplicationStatus.RECEIVED
        due = due_date(start=received_on, days=REVIEW_DAYS, calendar=calendar)
        application.review_due = due.due
    application.calendar_complete = due.calendar_complete
    if facility_received_at is not None:
        application.forwarding_due_at = due_at(start=facility_received_at, hours=FORWARDING_HOURS)
    application.number = _next_number(centre=centre, year=received_on.year)
    application.full_clean(exclude=["household", "eligibility", "groups", "matter_subtype"])
    application.save()

    late = bool(application.forwarding_due_at and received_at > application.forwarding_due_at)
    _event(application, actor=actor, kind="received", at=received_at, data={
        "channel": channel, "eligibility": check["decision"].get("eligible"),
        "forwarded_late": late, "previous_applications": check["previous_applications"],
    })
    audit_record(actor=actor, action="legalaid.application.create", obj=application,
                 extra={"channel": channel, "matter": application.matter, "status": application.status})
    return application


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# --- transitions ---------------------------------------------------------------------------

def _locked(application: Application, *, action: str, expected_version: int | None) -> tuple[Application, str]:
    """Lock the row, check the caller saw the latest version and that the table allows `action`."""
    current = Application.objects.select_for_update().get(pk=application.pk)
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(
            _("Someone else changed this application while you were looking at it (it is now “%(status)s”). "
              "Reload the page and check before you continue.") % {"status": current.get_status_display()},
            code="stale_version",
        )
    to = workflow.target(action, current.status)
    if to is None:
        raise ConflictError(
            _("This cannot be done while the application is “%(status)s”.") % {"status": current.get_status_display()},
            code="invalid_transition",
        )
    return current, to


def _move(application: Application, *, to: str, actor, kind: str, note: str = "", data: dict | None = None,
          fields: tuple[str, ...] = ()) -> Application:
    before = application.status
    application.status = to
    application.version += 1
    application.save(update_fields=["status", "version", "updated_at", *fields])
    _event(application, actor=actor, kind=kind, from_status=before, note=note, data=data)
    audit_record(actor=actor, action=f"legalaid.application.{kind}", obj=application,
                 changes={"before": {"status": before}, "after": {"status": to}}, extra=data or {})
    return application


def _require(actor, capability: str) -> None:
    if not user_can(actor, capability):
        raise ApplicationError(_("You are not allowed to do this."), code="forbidden", status=403)


def _today() -> dt.date:
    return timezone.localdate()


def _review_due(application: Application) -> tuple[dt.date | None, bool]:
    pauses = [
        (r.requested_on, r.closed_on)
        for r in application.supplement_requests.order_by("requested_on", "id")
    ]
    due = due_date_with_pauses(start=timezone.localdate(application.received_at), days=REVIEW_DAYS,
                               pauses=pauses, calendar=legal_calendar())
    return (due.due, due.calendar_complete) if due else (None, True)


@transaction.atomic
def application_review_start(*, actor, application: Application, expected_version: int | None = None) -> Application:
    _require(actor, Capability.AID_REVIEW)
    application, to = _locked(application, action="review_start", expected_version=expected_version)
    return _move(application, to=to, actor=actor, kind="review_started")


@transaction.atomic
def supplement_request(*, actor, application: Application, items: list[str], note: str = "",
                       expected_version: int | None = None) -> SupplementRequest:
    """一次性告知: list everything missing at once; the review clock stops until it arrives."""
    _require(actor, Capability.AID_REVIEW)
    items = [i.strip() for i in items if i and i.strip()]
    if not items:
        raise ApplicationError(_("List every missing material, one per line."), code="items_required", field="items")
    application, to = _locked(application, action="supplement_request", expected_version=expected_version)
    today = _today()
    days = getattr(CentreProfile.objects.filter(centre_id=application.centre_id).first(), "supplement_days", 15)
    request = SupplementRequest.objects.create(
        application=application, items=items, note=note.strip(), requested_at=timezone.now(), requested_on=today,
        due=due_date(start=today, days=days, calendar=legal_calendar()).due, requested_by=_user(actor),
    )
    application.supplement_due = request.due
    application.review_due = None  # the clock is stopped
    _move(application, to=to, actor=actor, kind="supplement_requested", note=note.strip(),
          data={"items": items, "due": request.due.isoformat()}, fields=("supplement_due", "review_due"))
    document_issue(actor=actor, application=application, kind="supplement_notice")
    return request


@transaction.atomic
def supplement_receive(*, actor, application: Application, note: str = "",
                       expected_version: int | None = None) -> Application:
    _require(actor, Capability.AID_INTAKE)
    application, to = _locked(application, action="supplement_receive", expected_version=expected_version)
    request = application.supplement_requests.select_for_update().get(status=SupplementStatus.OPEN)
    request.status, request.closed_at, request.closed_on = SupplementStatus.FULFILLED, timezone.now(), _today()
    request.save(update_fields=["status", "closed_at", "closed_on"])
    application.supplement_due = None
    application.review_due, application.calendar_complete = _review_due(application)
    return _move(application, to=to, actor=actor, kind="supplement_received", note=note.strip(),
                 fields=("supplement_due", "review_due", "calendar_complete"))


@transaction.atomic
def supplement_expire(*, application_id: int, today: dt.date | None = None) -> bool:
    """Art. 43: materials not supplied in time → the application is deemed withdrawn. Idempotent."""
    today = today or _today()
    application = Application.objects.select_for_update().get(pk=application_id)
    if application.status != ApplicationStatus.SUPPLEMENT_REQUESTED:
        return False
    request = application.supplement_requests.select_for_update().get(status=SupplementStatus.OPEN)
    if request.due >= today:
        return False
    request.status, request.closed_at, request.closed_on = SupplementStatus.EXPIRED, timezone.now(), today
    request.save(update_fields=["status", "closed_at", "closed_on"])
    _move(application, to=ApplicationStatus.WITHDRAWN_DEEMED, actor=None, kind="deemed_withdrawn",
          data={"materials_due": request.due.isoformat()})
    return True


@transaction.atomic
def application_decide(*, actor, application: Application, decision: str, reasons: str,
                       override_reason: str = "", expected_version: int | None = None) -> Application:
    """Grant or refuse (Art. 43). Differing from the eligibility check needs a recorded reason."""
    _require(actor, Capability.AID_DECIDE)
    if decision not in Decision.values:
        raise ApplicationError(_("Choose to grant or to refuse legal aid."), code="decision_invalid", field="decision")
    reasons = (reasons or "").strip()
    if decision == Decision.REFUSE and not reasons:
        raise ApplicationError(_("A refusal must give its reasons in writing."), code="reasons_required",
                               field="reasons")
    application, to = _locked(application, action="grant" if decision == Decision.GRANT else "refuse",
                              expected_version=expected_version)
    suggested = application.eligibility.get("eligible")
    override = suggested is not None and suggested != (decision == Decision.GRANT)
    if override and not override_reason.strip():
        raise ApplicationError(
            _("The eligibility check suggested the other decision. Record why you decide differently."),
            code="override_reason_required", field="override_reason",
        )
    now = timezone.now()
    application.decision, application.decision_reasons = decision, reasons
    application.decision_override, application.override_reason = override, override_reason.strip()
    application.decided_at, application.decided_by = now, _user(actor)
    fields = ["decision", "decision_reasons", "decision_override", "override_reason", "decided_at", "decided_by"]
    if decision == Decision.GRANT:
        due = due_date(start=timezone.localdate(now), days=ASSIGN_DAYS, calendar=legal_calendar())
        application.assignment_due, application.review_due = due.due, None
        fields += ["assignment_due", "review_due"]
    else:
        application.review_due = None
        fields.append("review_due")
    application = _move(application, to=to, actor=actor,
                        kind="granted" if decision == Decision.GRANT else "refused",
                        note=reasons, data={"override": override, "suggested": suggested}, fields=tuple(fields))
    document_issue(actor=actor, application=application,
                   kind="decision_grant" if decision == Decision.GRANT else "decision_refuse")
    return application


@transaction.atomic
def advance_aid_grant(*, actor, application: Application, reason: str, limitation_deadline: dt.date | None,
                      urgent_measure: bool = False, expected_version: int | None = None) -> Application:
    """Art. 44: aid at once when a limitation period or deadline is under 7 days away, or an urgent measure
    (preservation, advance execution) is needed; the paperwork is completed later."""
    _require(actor, Capability.AID_DECIDE)
    today = _today()
    if not urgent_measure:
        if limitation_deadline is None:
            raise ApplicationError(_("Enter the limitation period or deadline that is close."),
                                   code="deadline_required", field="limitation_deadline")
        if (limitation_deadline - today).days >= ADVANCE_AID_DAYS:
            raise ApplicationError(
                _("Advance aid is for deadlines less than 7 days away; this one is %(days)d days away.")
                % {"days": (limitation_deadline - today).days},
                code="deadline_not_close", field="limitation_deadline",
            )
    if not (reason or "").strip():
        raise ApplicationError(_("Say why the aid cannot wait."), code="reason_required", field="reason")
    application, to = _locked(application, action="advance_aid", expected_version=expected_version)
    application.advance_aid_reason, application.limitation_deadline = reason.strip(), limitation_deadline
    application.assignment_due = due_date(start=today, days=ASSIGN_DAYS, calendar=legal_calendar()).due
    application.review_due = None
    open_request = application.supplement_requests.filter(status=SupplementStatus.OPEN).first()
    if open_request:
        open_request.status, open_request.closed_at, open_request.closed_on = (
            SupplementStatus.FULFILLED, timezone.now(), today)
        open_request.save(update_fields=["status", "closed_at", "closed_on"])
    return _move(application, to=to, actor=actor, kind="advance_aid", note=reason.strip(),
                 data={"limitation_deadline": limitation_deadline and limitation_deadline.isoformat(),
                       "urgent_measure": urgent_measure},
                 fields=("advance_aid_reason", "limitation_deadline", "assignment_due", "review_due"))


@transaction.atomic
def advance_aid_regularise(*, actor, application: Application, reasons: str = "",
                           expected_version: int | None = None) -> Application:
    """The review after advance aid confirms it: the application becomes an ordinary grant."""
    _require(actor, Capability.AID_DECIDE)
    application, to = _locked(application, action="regularise", expected_version=expected_version)
    now = timezone.now()
    application.decision, application.decision_reasons = Decision.GRANT, reasons.strip()
    application.decided_at, application.decided_by, application.regularised_at = now, _user(actor), now
    application = _move(application, to=to, actor=actor, kind="regularised", note=reasons.strip(),
                        fields=("decision", "decision_reasons", "decided_at", "decided_by", "regularised_at"))
    document_issue(actor=actor, application=application, kind="decision_grant")
    return application


@transaction.atomic
def objection_file(*, actor, application: Application, reasons: str, filed_at: dt.datetime | None = None,
                   expected_version: int | None = None) -> Objection:
    """Art. 49: the applicant objects to a refusal; the justice bureau decides within 5 days."""
    _require(actor, Capability.AID_INTAKE)
    if not (reasons or "").strip():
        raise ApplicationError(_("Write down what the applicant objects to."), code="reasons_required",
                               field="reasons")
    application, to = _locked(application, action="object", expected_version=expected_version)
    filed_at = filed_at or timezone.now()
    objection = Objection.objects.create(
        application=application, filed_at=filed_at, reasons=reasons.strip(), recorded_by=_user(actor),
        due=due_date(start=timezone.localdate(filed_at), days=OBJECTION_DAYS, calendar=legal_calendar()).due,
    )
    _move(application, to=to, actor=actor, kind="objection_filed", note=reasons.strip(),
          data={"objection": objection.pk, "due": objection.due.isoformat()})
    return objection


@transaction.atomic
def objection_decide(*, actor, objection: Objection, correct: bool, reasons: str,
                     expected_version: int | None = None) -> Objection:
    """Uphold the refusal, or order it corrected (the application is then granted).

    `expected_version` is the application's version the decider saw.
    """
    _require(actor, Capability.AID_OBJECTION)
    if not (reasons or "").strip():
        raise ApplicationError(_("Give the reasons for the decision on the objection."), code="reasons_required",
                               field="reasons")
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.status != ObjectionStatus.PENDING:
        raise ConflictError(_("This objection has already been decided."), code="objection_decided")
    application, to = _locked(objection.application, action="objection_correct" if correct else "objection_uphold",
                              expected_version=expected_version)
    now = timezone.now()
    objection.status = ObjectionStatus.CORRECTED if correct else ObjectionStatus.UPHELD
    objection.decided_at, objection.decided_by, objection.decision_reasons = now, _user(actor), reasons.strip()
    objection.save(update_fields=["status", "decided_at", "decided_by", "decision_reasons"])
    fields: tuple[str, ...] = ()
    if correct:
        application.decision, application.decided_at, application.decided_by = Decision.GRANT, now, _user(actor)
        application.decision_reasons = reasons.strip()
        application.assignment_due = due_date(start=timezone.localdate(now), days=ASSIGN_DAYS,
                                              calendar=legal_calendar()).due
        fields = ("decision", "decided_at", "decided_by", "decision_reasons", "assignment_due")
    _move(application, to=to, actor=actor, kind="objection_corrected" if correct else "objection_upheld",
          note=reasons.strip(), data={"objection": objection.pk}, fields=fields)
    if correct:
        document_issue(actor=actor, application=application, kind="decision_grant")
    return objection


@transaction.atomic
def application_withdraw(*, actor, application: Application, note: str = "",
                         expected_version: int | None = None) -> Application:
    _require(actor, Capability.AID_INTAKE)
    application, to = _locked(application, action="withdraw", expected_version=expected_version)
    application.review_due = None
    return _move(application, to=to, actor=actor, kind="withdrawn", note=note.strip(), fields=("review_due",))
