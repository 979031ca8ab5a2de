"""Writes of people's mediation.

Who may act: MEDIATION_HANDLE (mediators, judicial office staff) on cases whose committee lies in
their region. Every service locks the case, checks the workflow table, writes one audit row and a
timeline event in the same transaction.

The rules the services keep (People's Mediation Law, RULES.md §10):
- nothing happens in mediation — no session, no agreement — until every party has consented, and one
  party's refusal ends the case (Art. 17);
- the agreement takes effect when every party and the mediator have signed and the committee has
  sealed it (Art. 29); the joint application for judicial confirmation is due within 30 days of that
  (Art. 33), the last day moved past rest days (RULES §0);
- mediation should be completed within one month (2002 rules Art. 33): `guideline_due`.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from open12348.accounts.permissions import user_can
from open12348.accounts.roles import Capability
from open12348.accounts.scope import region_paths_for
from open12348.audit.services import audit_record
from open12348.core.calendar import due_date
from open12348.core.calendar_store import legal_calendar
from open12348.core.crypto import blind_index
from open12348.core.errors import ApplicationError, ConflictError
from open12348.core.idnumber import parse_id_number
from open12348.network.choices import InstitutionKind, PractitionerKind

from . import workflow
from .choices import (
    ConfirmationResult,
    DisputeSource,
    DisputeStatus,
    DisputeType,
    FailureReferral,
    PartyConsent,
    PartySide,
    PerformanceStatus,
)
from .models import Agreement, DisputeCase, DisputeEvent, Party, Session

CONFIRMATION_DAYS = 30  # People's Mediation Law Art. 33
FACTS_MAX = 4000


# --- helpers ---------------------------------------------------------------------------------

def _forbidden() -> ApplicationError:
    return ApplicationError(_("You are not allowed to do this."), code="forbidden", status=403)


def _not_found() -> ApplicationError:
    return ApplicationError(_("This dispute case does not exist or is not in your area."), code="not_found",
                            status=404)


def _in_scope(actor, region) -> bool:
    paths = region_paths_for(actor)
    return paths is None or any(region.path.startswith(p) for p in paths)


def _require(actor, region) -> None:
    if not user_can(actor, Capability.MEDIATION_HANDLE):
        raise _forbidden()
    if not _in_scope(actor, region):
        raise _not_found()


def add_one_month(day: dt.date) -> dt.date:
    """The same day of the next month, or that month's last day (31 January → 28/29 February)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return day.replace(year=year, month=month, day=min(day.day, pycalendar.monthrange(year, month)[1]))


def confirmation_window(effective_on: dt.date):
    """The last day to apply jointly for judicial confirmation: 30 days, ending on a legal working day."""
    return due_date(start=effective_on, days=CONFIRMATION_DAYS, calendar=legal_calendar())


def _event(case: DisputeCase, *, actor, action: str, before: str = "", note: str = "") -> None:
    DisputeEvent.objects.create(case=case, actor=actor if getattr(actor, "is_authenticated", False) else None,
                                action=action, from_status=before, to_status=case.status, note=note[:200])


def _locked(case: DisputeCase, *, actor, expected_version: int | None = None) -> DisputeCase:
    current = DisputeCase.objects.select_for_update(of=("self",)).select_related("region").get(pk=case.pk)
    _require(actor, current.region)
    if expected_version is not None and current.version != expected_version:
        raise ConflictError(_("Someone else changed this case a moment ago. Reload it to see what changed."))
    return current


def _move(case: DisputeCase, action: str) -> str:
    to = workflow.target(action, case.status)
    if to is None:
        raise ConflictError(_("This cannot be done now: the case is “%(status)s”.")
                            % {"status": case.get_status_display()}, code="wrong_status")
    before = case.status
    case.status = to
    return before


def _save(case: DisputeCase, fields: Iterable[str]) -> None:
    case.version += 1
    case.save(update_fields=[*fields, "version", "updated_at"])


def _require_mediating(case: DisputeCase) -> None:
    """Art. 17: nothing is mediated before every party consented, nor after the case ended."""
    if case.status == DisputeStatus.AWAITING_CONSENT:
        raise ApplicationError(_("Mediation cannot go ahead until every party has agreed to it."),
                               code="consent_missing")
    if case.status != DisputeStatus.MEDIATING:
        raise ConflictError(_("This cannot be done now: the case is “%(status)s”.")
                            % {"status": case.get_status_display()}, code="wrong_status")


def _clean_text(value: str, *, field: str, maximum: int = FACTS_MAX) -> str:
    value = (value or "").strip()
    if not value:
        raise ApplicationError(_("Please write something here."), code="required", field=field)
    if len(value) > maximum:
        raise ApplicationError(_("Please keep it under %(max)d characters.") % {"max": maximum},
                               code="too_long", field=field)
    return value


def _clean_party(data: dict[str, Any], *, index: int) -> dict[str, Any]:
    prefix = f"parties.{index}"
    name = (data.get("name") or "").strip()
    if not name:
        raise ApplicationError(_("Enter the party's name."), code="name_required", field=f"{prefix}.name")
    side = data.get("side") or ""
    if side not in PartySide.values:
        raise ApplicationError(_("Say whether the party is an applicant or a respondent."), code="side_invalid",
                               field=f"{prefix}.side")
    id_number = (data.get("id_number") or "").strip().upper()
    sex = data.get("sex") or ""
    if id_number:
        try:
            parsed = parse_id_number(id_number)
        except ValueError as exc:
            raise ApplicationError(_("This is not a valid 18-digit ID number: please check it digit by digit."),
                                   code="id_number_invalid", field=f"{prefix}.id_number") from exc
        id_number, sex = parsed.value, parsed.sex
    phone = str(data.get("phone") or "").strip().replace(" ", "").replace("-", "")
    if phone and not (phone.isdigit() and 7 <= len(phone) <= 12):
        raise ApplicationError(_("Enter a mobile number of 11 digits or a landline with its area code."),
                               code="phone_invalid", field=f"{prefix}.phone")
    return {"name": name[:50], "side": side, "id_number": id_number, "sex": sex, "phone": phone,
            "address": (data.get("address") or "").strip()[:200]}


def _next_number(*, committee, year: int) -> str:
    from open12348.legalaid.services import sequence_next

    last = sequence_next(centre=committee, year=year, kind="mediation")
    return f"〔{year}〕调字第{last:04d}号"


# --- registering -------------------------------------------------------------------------------

@transaction.atomic
def dispute_register(*, actor, committee, dispute_type: str, source: str, facts: str,
                     parties: list[dict[str, Any]], mediators: Iterable = (), source_detail: str = "",
                     received_on: dt.date | None = None) -> DisputeCase:
    """Register a dispute with its parties (at least one on each side) at a mediation committee."""
    if not user_can(actor, Capability.MEDIATION_HANDLE) and not user_can(actor, Capability.FRONTDESK):
        raise _forbidden()
    if committee is None or committee.kind != InstitutionKind.MEDIATION_COMMITTEE:
        raise ApplicationError(_("Choose a people's mediation committee."), code="committee_invalid",
                               field="committee")
    if not _in_scope(actor, committee.region):
        raise ApplicationError(_("This mediation committee is outside your area."), code="committee_out_of_scope",
                               field="committee")
    if dispute_type not in DisputeType.values:
        raise ApplicationError(_("Choose the type of dispute."), code="type_invalid", field="dispute_type")
    if source not in DisputeSource.values:
        raise ApplicationError(_("Say how the dispute came to the committee."), code="source_invalid",
                               field="source")
    facts = _clean_text(facts, field="facts")
    cleaned = [_clean_party(p, index=i) for i, p in enumerate(parties)]
    sides = {p["side"] for p in cleaned}
    if sides != {PartySide.APPLICANT, PartySide.RESPONDENT}:
        raise ApplicationError(_("A dispute has at least one party on each side."), code="parties_required",
                               field="parties")
    mediators = list(mediators)
    for mediator in mediators:
        if mediator.kind != PractitionerKind.MEDIATOR:
            raise ApplicationError(_("Only people's mediators can mediate."), code="mediator_invalid",
                                   field="mediators")
    received_on = received_on or timezone.localdate()
    case = DisputeCase.objects.create(
        number=_next_number(committee=committee, year=received_on.year), committee=committee,
        region=committee.region, dispute_type=dispute_type, source=source, source_detail=source_detail[:100],
        facts=facts, received_on=received_on, guideline_due=add_one_month(received_on),
        registered_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    positions = {PartySide.APPLICANT: 0, PartySide.RESPONDENT: 0}
    for data in cleaned:
        positions[data["side"]] += 1
        Party.objects.create(case=case, position=positions[data["side"]],
                             id_number_hash=blind_index(data["id_number"], purpose="id_number"), **data)
    if mediators:
        case.mediators.set(mediators)
    _event(case, actor=actor, action="register")
    audit_record(actor=actor, action="mediation.case.register", obj=case,
                 extra={"committee": committee.pk, "type": dispute_type, "source": source,
                        "parties": len(cleaned), "mediators": [m.pk for m in mediators]})
    return case


@transaction.atomic
def mediators_set(*, actor, case: DisputeCase, mediators: Iterable) -> DisputeCase:
    case = _locked(case, actor=actor)
    if case.status in workflow.CLOSED:
        raise ConflictError(_("This cannot be done now: the case is “%(status)s”.")
                            % {"status": case.get_status_display()}, code="wrong_status")
    mediators = list(mediators)
    if any(m.kind != PractitionerKind.MEDIATOR for m in mediators):
        raise ApplicationError(_("Only people's mediators can mediate."), code="mediator_invalid", field="mediators")
    case.mediators.set(mediators)
    _save(case, [])
    _event(case, actor=actor, action="mediators", note=", ".join(m.name for m in mediators))
    audit_record(actor=actor, action="mediation.case.mediators", obj=case, extra={"mediators": [m.pk for m in mediators]})
    return case


# --- consent (Art. 17) ----------------------------------------------------------------------------

@transaction.atomic
def party_consent_record(*, actor, party: Party, consents: bool, at: dt.datetime | None = None) -> DisputeCase:
    """Record whether a party agrees to mediation. The last consent opens mediation; a refusal ends it."""
    case = _locked(party.case, actor=actor)
    if case.status != DisputeStatus.AWAITING_CONSENT:
        raise ConflictError(_("This cannot be done now: the case is “%(status)s”.")
                            % {"status": case.get_status_display()}, code="wrong_status")
    party = Party.objects.select_for_update().get(pk=party.pk, case=case)
    party.consent = PartyConsent.GIVEN if consents else PartyConsent.REFUSED
    party.consent_at = at or timezone.now()
    party.consent_recorded_by = actor
    party.save(update_fields=["consent", "consent_at", "consent_recorded_by"])
    audit_record(actor=actor, action="mediation.party.consent", obj=case,
                 extra={"party": party.pk, "consent": party.consent})
    _event(case, actor=actor, action="consent" if consents else "refusal", before=case.status, note=party.name)
    if not consents:
        before = _move(case, "refuse")
        case.closed_on = party.consent_at.date() if isinstance(party.consent_at, dt.datetime) else timezone.localdate()
        _save(case, ["status", "closed_on"])
        _event(case, actor=actor, action="refuse", before=before, note=party.name)
    elif not case.parties.exclude(consent=PartyConsent.GIVEN).exists():
        before = _move(case, "consent")
        _save(case, ["status"])
        _event(case, actor=actor, action="mediation_opened", before=before)
    return case


# --- sessions and result ----------------------------------------------------------------------------

@transaction.atomic
def session_record(*, actor, case: DisputeCase, held_on: dt.date, notes: str, place: str = "") -> Session:
    case = _locked(case, actor=actor)
    _require_mediating(case)
    notes = _clean_text(notes, field="notes")
    if held_on < case.received_on:
        raise ApplicationError(_("A session cannot be held before the dispute was received."),
                               code="date_invalid", field="held_on")
    session = Session.objects.create(case=case, held_on=held_on, place=place.strip()[:100], notes=notes,
                                     recorded_by=actor)
    _save(case, [])
    _event(case, actor=actor, action="session", before=case.status, note=held_on.isoformat())
    audit_record(actor=actor, action="mediation.session.record", obj=case, extra={"session": session.pk})
    return session


@transaction.atomic
def agreement_make(*, actor, case: DisputeCase, made_on: dt.date, issues: str, content: str,
                   performance_manner: str, performance_due: dt.date) -> Agreement:
    """The parties reached an agreement: its Art. 28–29 contents. It is not in force until signed."""
    case = _locked(case, actor=actor)
    _require_mediating(case)
    issues = _clean_text(issues, field="issues")
    content = _clean_text(content, field="content")
    performance_manner = _clean_text(performance_manner, field="performance_manner", maximum=200)
    if made_on < case.received_on:
        raise ApplicationError(_("The agreement cannot be made before the dispute was received."),
                               code="date_invalid", field="made_on")
    if performance_due < made_on:
        raise ApplicationError(_("The time for performance cannot be before the agreement."),
                               code="date_invalid", field="performance_due")
    before = _move(case, "agree")
    case.closed_on = made_on
    _save(case, ["status", "closed_on"])
    agreement = Agreement.objects.create(case=case, made_on=made_on, issues=issues, content=content,
                                         performance_manner=performance_manner, performance_due=performance_due)
    _event(case, actor=actor, action="agree", before=before)
    audit_record(actor=actor, action="mediation.agreement.make", obj=case, extra={"made_on": made_on.isoformat()})
    return agreement


def _locked_agreement(agreement: Agreement, *, actor) -> tuple[Agreement, DisputeCase]:
    case = _locked(agreement.case, actor=actor)
    return Agreement.objects.select_for_update().get(pk=agreement.pk), case


@transaction.atomic
def agreement_sign(*, actor, agreement: Agreement, signed_on: dt.date, all_parties_signed: bool,
                   mediator_signed: bool, sealed: bool) -> Agreement:
    """Record the signing: the agreement takes effect only with every signature and the seal (Art. 29)."""
    agreement, case = _locked_agreement(agreement, actor=actor)
    if agreement.effective_on is not None:
        raise ConflictError(_("The agreement has already been signed."), code="already_signed")
    if not (all_parties_signed and mediator_signed and sealed):
        raise ApplicationError(_("The agreement takes effect only when every party and the mediator have signed "
                                 "it and the committee has sealed it."), code="signing_incomplete")
    if signed_on < agreement.made_on:
        raise ApplicationError(_("It cannot be signed before it was agreed."), code="date_invalid", field="signed_on")
    window = confirmation_window(signed_on)
    agreement.signed_on = agreement.effective_on = signed_on
    agreement.confirmation_due = window.due
    agreement.confirmation_calendar_complete = window.calendar_complete
    agreement.save(update_fields=["signed_on", "effective_on", "confirmation_due", "confirmation_calendar_complete"])
    _save(case, [])
    _event(case, actor=actor, action="sign", before=case.status, note=signed_on.isoformat())
    audit_record(actor=actor, action="mediation.agreement.sign", obj=case,
                 extra={"effective_on": signed_on.isoformat(), "confirmation_due": window.due.isoformat()})
    return agreement


@transaction.atomic
def confirmation_apply(*, actor, agreement: Agreement, applied_on: dt.date, court: str) -> Agreement:
    """The parties applied jointly to the court for judicial confirmation (Art. 33)."""
    agreement, case = _locked_agreement(agreement, actor=actor)
    if agreement.effective_on is None:
        raise ApplicationError(_("Only an agreement in force can be confirmed by a court."), code="not_effective")
    if agreement.confirmation_applied_on is not None:
        raise ConflictError(_("The application for confirmation is already recorded."), code="already_applied")
    if applied_on < agreement.effective_on:
        raise ApplicationError(_("The application cannot be before the agreement took effect."),
                               code="date_invalid", field="applied_on")
    if applied_on > agreement.confirmation_due:
        raise ApplicationError(_("The 30 days for applying for judicial confirmation ended on %(due)s.")
                               % {"due": agreement.confirmation_due.isoformat()}, code="window_passed",
                               field="applied_on")
    agreement.confirmation_applied_on = applied_on
    agreement.confirmation_court = _clean_text(court, field="court", maximum=100)
    agreement.save(update_fields=["confirmation_applied_on", "confirmation_court"])
    _save(case, [])
    _event(case, actor=actor, action="confirmation_applied", before=case.status, note=agreement.confirmation_court)
    audit_record(actor=actor, action="mediation.agreement.confirmation_apply", obj=case,
                 extra={"applied_on": applied_on.isoformat()})
    return agreement


@transaction.atomic
def confirmation_result_record(*, actor, agreement: Agreement, result: str, decided_on: dt.date) -> Agreement:
    agreement, case = _locked_agreement(agreement, actor=actor)
    if agreement.confirmation_applied_on is None:
        raise ApplicationError(_("Record the application for confirmation first."), code="not_applied")
    if result not in (ConfirmationResult.CONFIRMED, ConfirmationResult.REJECTED):
        raise ApplicationError(_("Choose the court's decision."), code="result_invalid", field="result")
    if decided_on < agreement.confirmation_applied_on:
        raise ApplicationError(_("The court cannot decide before the application."), code="date_invalid",
                               field="decided_on")
    agreement.confirmation_result = result
    agreement.confirmation_decided_on = decided_on
    agreement.save(update_fields=["confirmation_result", "confirmation_decided_on"])
    _save(case, [])
    _event(case, actor=actor, action=f"confirmation_{result}", before=case.status)
    audit_record(actor=actor, action="mediation.agreement.confirmation_result", obj=case, extra={"result": result})
    return agreement


@transaction.atomic
def performance_record(*, actor, agreement: Agreement, performance: str, checked_on: dt.date,
                       note: str = "") -> Agreement:
    agreement, case = _locked_agreement(agreement, actor=actor)
    if agreement.effective_on is None:
        raise ApplicationError(_("Only an agreement in force can be followed up."), code="not_effective")
    if performance not in (PerformanceStatus.PERFORMED, PerformanceStatus.PARTLY, PerformanceStatus.NOT_PERFORMED):
        raise ApplicationError(_("Say whether the agreement was performed."), code="performance_invalid",
                               field="performance")
    agreement.performance = performance
    agreement.performance_checked_on = checked_on
    agreement.performance_note = note.strip()[:200]
    agreement.save(update_fields=["performance", "performance_checked_on", "performance_note"])
    _save(case, [])
    _event(case, actor=actor, action="performance", before=case.status, note=agreement.get_performance_display())
    audit_record(actor=actor, action="mediation.agreement.performance", obj=case, extra={"performance": performance})
    return agreement


@transaction.atomic
def dispute_fail(*, actor, case: DisputeCase, closed_on: dt.date, note: str, referral: str = "",
                 referral_note: str = "") -> DisputeCase:
    """Mediation failed; the record may say it was referred to arbitration or litigation."""
    case = _locked(case, actor=actor)
    _require_mediating(case)
    note = _clean_text(note, field="note")
    if referral not in ("", FailureReferral.ARBITRATION, FailureReferral.LITIGATION):
        raise ApplicationError(_("Choose where the dispute was referred."), code="referral_invalid", field="referral")
    before = _move(case, "fail")
    case.closed_on, case.outcome_note = closed_on, note
    case.referral, case.referral_note = referral, referral_note.strip()[:200]
    _save(case, ["status", "closed_on", "outcome_note", "referral", "referral_note"])
    _event(case, actor=actor, action="fail", before=before, note=case.get_referral_display() if referral else "")
    audit_record(actor=actor, action="mediation.case.fail", obj=case, extra={"referral": referral})
    return case


@transaction.atomic
def dispute_withdraw(*, actor, case: DisputeCase, closed_on: dt.date, note: str = "") -> DisputeCase:
    case = _locked(case, actor=actor)
    before = _move(case, "withdraw")
    case.closed_on, case.outcome_note = closed_on, note.strip()
    _save(case, ["status", "closed_on", "outcome_note"])
    _event(case, actor=actor, action="withdraw", before=before)
    audit_record(actor=actor, action="mediation.case.withdraw", obj=case)
    return case


# --- referral of a failed mediation to legal aid --------------------------------------------------------

AID_GUESS = {
    DisputeType.LABOUR: ("CV-05", "civil", "labour_arbitration", "追索劳动报酬"),
    DisputeType.TRAFFIC: ("CV-07", "civil", "civil_litigation", "机动车交通事故责任纠纷"),
    DisputeType.MEDICAL: ("CV-07", "civil", "civil_litigation", "医疗损害责任纠纷"),
    DisputeType.FAMILY: ("CV-04", "civil", "civil_litigation", "赡养费纠纷"),
}


def legal_aid_prefill(*, case: DisputeCase, party: Party) -> dict[str, Any]:
    """What the failed mediation already tells a legal aid application (staff check it in the form)."""
    matter, category, aid_form, cause = AID_GUESS.get(case.dispute_type,
                                                      ("CV-OTHER", "civil", "civil_litigation", ""))
    others = [p.name for p in case.parties.all() if p.side != party.side]
    return {
        "applicant": {"name": party.name, "id_number": party.id_number, "phone": party.phone,
                      "address": party.address},
        "details": {"matter": matter, "category": category, "aid_form": aid_form, "stage": "mediation",
                    "cause": cause, "opposing_party": "、".join(others)[:100], "facts": case.facts},
    }


@transaction.atomic
def dispute_refer_legal_aid(*, actor, case: DisputeCase, party: Party, centre,
                            details: dict[str, Any] | None = None):
    """Refer a party of a failed mediation to legal aid: an application on the MEDIATION channel."""
    from open12348.legalaid.eligibility.codes import Channel
    from open12348.legalaid.services import application_create

    case = _locked(case, actor=actor)
    if case.status != DisputeStatus.FAILED:
        raise ConflictError(_("Only a failed mediation can be referred to legal aid."), code="wrong_status")
    if case.legal_aid_application_id:
        raise ConflictError(_("This case has already been referred to legal aid."), code="already_referred")
    if party.case_id != case.pk:
        raise ApplicationError(_("Choose a party of this case."), code="party_invalid", field="party")
    prefill = legal_aid_prefill(case=case, party=party)
    application = application_create(
        actor=actor, centre=centre, channel=Channel.MEDIATION, applicant=prefill["applicant"],
        details={**prefill["details"], **(details or {})}, channel_detail=f"{case.committee.name} {case.number}"[:100],
        idempotency_key=f"mediation:{case.pk}:legal_aid",
    )
    case.legal_aid_application = application
    case.referral = FailureReferral.LEGAL_AID
    case.referral_note = application.number
    _save(case, ["legal_aid_application", "referral", "referral_note"])
    _event(case, actor=actor, action="referred_legal_aid", before=case.status, note=application.number)
    audit_record(actor=actor, action="mediation.case.refer_legal_aid", obj=case, extra={"application": application.pk})
    return application
