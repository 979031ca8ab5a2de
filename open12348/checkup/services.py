"""Writes of enterprise legal check-ups. Each service checks the capability and the region, writes
the visit's timeline where the visit changes, and an audit row, in one transaction.

- campaign_create: a campaign of the actor's area (or a part of it);
- visit_save: plan a visit or record what it found (the enterprise by its credit code, the team,
  workers interviewed, the check-list, the legal opinion); a visit day moves it to "visited";
- worker_add / worker_remove: a worker who consents to be named (and no one else);
- report_issue: the check-up report is issued, with the day of the follow-up visit;
- follow_up_record: whether the enterprise put the problems right;
- worker_refer: a named worker's wage claim becomes a legal aid application (channel "checkup", the
  migrant workers' green channel), sent to the legal aid centre of the enterprise's county.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from open12348.accounts.permissions import user_can
from open12348.accounts.roles import Capability
from open12348.accounts.scope import region_paths_for
from open12348.audit.services import audit_record
from open12348.core.errors import ApplicationError, ConflictError
from open12348.core.idnumber import parse_id_number
from open12348.network.choices import RegionLevel
from open12348.network.models import Institution, Practitioner, Region

from . import workflow
from .choices import (
    WAGE_PROBLEMS,
    CheckupSector,
    CheckupVisitStatus,
    EnterpriseSize,
    FollowUpResult,
    ProblemKind,
)
from .credit_code import credit_code_problem, normalise
from .models import Campaign, Enterprise, Finding, NamedWorker, Visit, VisitEvent

RECORD = Capability.CHECKUP_RECORD
REPORT_PREFIX = "法治体检"
CREDIT_CODE_MESSAGES = {
    "length": gettext_lazy("A unified social credit code has 18 characters."),
    "character": gettext_lazy("A unified social credit code uses only digits and capital letters (not I, O, Z, S "
                              "or V)."),
    "division": gettext_lazy("Characters 3 to 8 of a unified social credit code are the digits of the region code."),
    "check": gettext_lazy("The last character of this credit code does not match the others: please check it "
                          "character by character."),
}
# What each timeline entry means, as the visit's page shows it.
EVENT_LABELS = {
    "planned": gettext_lazy("Visit planned"),
    "visited": gettext_lazy("Visit recorded"),
    "edited": gettext_lazy("Check-up corrected"),
    "worker_named": gettext_lazy("Worker named with consent"),
    "worker_removed": gettext_lazy("Worker's name removed"),
    "referred": gettext_lazy("Claim sent to legal aid"),
    "report_issued": gettext_lazy("Report issued"),
    "followed_up": gettext_lazy("Followed up"),
}


# --- checks --------------------------------------------------------------------------------------

def require(actor, capability: str = RECORD) -> None:
    if not user_can(actor, capability):
        raise ApplicationError(_("You are not allowed to do this."), code="forbidden", status=403)


def in_scope(actor, region: Region) -> bool:
    paths = region_paths_for(actor)
    return paths is None or any(region.path.startswith(p) for p in paths)


def _not_found() -> ApplicationError:
    return ApplicationError(_("This check-up does not exist or is not in your area."), code="not_found", status=404)


def credit_code_error(code: str) -> str | None:
    """The translated reason a credit code is refused, or None."""
    problem = credit_code_problem(code)
    return str(CREDIT_CODE_MESSAGES[problem]) if problem else None


def county_of(region: Region) -> Region | None:
    """The county-level division a region lies in (itself for a county), by its path."""
    codes = [c for c in region.path.split("/") if c]
    county_codes = [c for c in codes if len(c) == 6]
    if not county_codes:
        return None
    return Region.objects.filter(code=county_codes[0]).first()


def _event(visit: Visit, *, actor, kind: str, from_status: str = "", to_status: str = "", note: str = "",
           data: dict | None = None) -> None:
    VisitEvent.objects.create(visit=visit, actor=actor if getattr(actor, "is_authenticated", False) else None,
                              kind=kind, from_status=from_status, to_status=to_status, note=note, data=data or {})


def _locked(visit: Visit) -> Visit:
    return Visit.objects.select_for_update(of=("self",)).select_related("region", "campaign", "enterprise").get(
        pk=visit.pk)


def _move(visit: Visit, action: str) -> str:
    to = workflow.target(action, visit.status)
    if to is None:
        raise ConflictError(_("This cannot be done while the check-up is “%(status)s”.")
                            % {"status": visit.get_status_display()}, code="invalid_transition")
    return to


# --- campaigns -----------------------------------------------------------------------------------

@transaction.atomic
def campaign_create(*, actor, name: str, starts_on: dt.date, ends_on: dt.date, organiser: Institution,
                    region: Region, goal_enterprises: int = 0, description: str = "") -> Campaign:
    require(actor)
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("Give the campaign a name."), code="name_required", field="name")
    if ends_on < starts_on:
        raise ApplicationError(_("The campaign cannot end before it starts."), code="period_invalid",
                               field="ends_on")
    if goal_enterprises < 0:
        raise ApplicationError(_("The number of enterprises cannot be negative."), code="goal_invalid",
                               field="goal_enterprises")
    if not in_scope(actor, region):
        raise ApplicationError(_("This region is outside your area."), code="region_out_of_scope", field="region")
    if not in_scope(actor, organiser.region):
        raise ApplicationError(_("This organisation is outside your area."), code="organiser_out_of_scope",
                               field="organiser")
    campaign = Campaign.objects.create(name=name, starts_on=starts_on, ends_on=ends_on, organiser=organiser,
                                       region=region, goal_enterprises=goal_enterprises,
                                       description=(description or "").strip(),
                                       created_by=actor if getattr(actor, "is_authenticated", False) else None)
    audit_record(actor=actor, action="checkup.campaign.create", obj=campaign,
                 extra={"region": region.code, "organiser": organiser.pk, "goal": goal_enterprises})
    return campaign


# --- visits --------------------------------------------------------------------------------------

def _clean_enterprise(data: dict[str, Any], *, campaign: Campaign) -> dict[str, Any]:
    name = (data.get("name") or "").strip()
    if not name:
        raise ApplicationError(_("Enter the enterprise's name."), code="enterprise_name_required",
                               field="enterprise_name")
    code = normalise(data.get("credit_code") or "")
    message = credit_code_error(code)
    if message:
        raise ApplicationError(message, code="credit_code_invalid", field="credit_code")
    if data.get("sector") not in CheckupSector.values:
        raise ApplicationError(_("Choose the enterprise's sector."), code="sector_invalid", field="sector")
    if data.get("size") not in EnterpriseSize.values:
        raise ApplicationError(_("Choose the enterprise's size."), code="size_invalid", field="size")
    region = data.get("region")
    if not isinstance(region, Region) or region.level not in (RegionLevel.TOWNSHIP, RegionLevel.VILLAGE):
        raise ApplicationError(_("Choose the township or street where the enterprise is."), code="region_invalid",
                               field="region")
    if not region.path.startswith(campaign.region.path):
        raise ApplicationError(_("The enterprise is outside the campaign's area."), code="region_out_of_campaign",
                               field="region")
    phone = str(data.get("contact_phone") or "").strip().replace(" ", "").replace("-", "")
    if phone and not (phone.isdigit() and 7 <= len(phone) <= 12):
        raise ApplicationError(_("Enter a mobile number of 11 digits or a landline with its area code."),
                               code="phone_invalid", field="contact_phone")
    return {"name": name, "credit_code": code, "sector": data["sector"], "size": data["size"], "region": region,
            "address": (data.get("address") or "").strip(), "contact_name": (data.get("contact_name") or "").strip(),
            "contact_phone": phone}


def _enterprise_upsert(*, actor, data: dict[str, Any]) -> Enterprise:
    enterprise = Enterprise.objects.select_for_update().filter(credit_code=data["credit_code"]).first()
    if enterprise is None:
        enterprise = Enterprise.objects.create(**data)
        audit_record(actor=actor, action="checkup.enterprise.create", obj=enterprise,
                     extra={"credit_code": enterprise.credit_code})
        return enterprise
    changed = [f for f, v in data.items() if v not in ("", None) and getattr(enterprise, f) != v]
    for field in changed:
        setattr(enterprise, field, data[field])
    if changed:
        enterprise.save()
        audit_record(actor=actor, action="checkup.enterprise.update", obj=enterprise, extra={"fields": changed})
    return enterprise


def _clean_findings(findings: dict[str, dict[str, Any]] | None) -> dict[str, dict[str, Any]]:
    cleaned = {}
    for kind in ProblemKind.values:
        item = (findings or {}).get(kind) or {}
        try:
            affected = int(item.get("workers_affected") or 0)
        except (TypeError, ValueError):
            affected = -1
        if affected < 0:
            raise ApplicationError(_("The number of workers affected must be 0 or more."),
                                   code="affected_invalid", field=f"{kind}-workers_affected")
        found = bool(item.get("found"))
        cleaned[kind] = {"found": found, "note": (item.get("note") or "").strip(),
                         "workers_affected": affected if found else 0}
    unknown = set(findings or {}) - set(ProblemKind.values)
    if unknown:
        raise ApplicationError(_("Unknown check-list item."), code="finding_unknown")
    return cleaned


@transaction.atomic
def visit_save(*, actor, campaign: Campaign, enterprise: dict[str, Any], planned_on: dt.date | None,
               visit: Visit | None = None, visited_on: dt.date | None = None, workers_interviewed: int = 0,
               findings: dict[str, dict[str, Any]] | None = None, opinion: str = "", recommendations: str = "",
               team_users=(), team_practitioners=(), today: dt.date | None = None) -> Visit:
    """Plan a visit (no visit day) or record it. Editing is allowed until the report is issued. A visit
    recorded without being planned ahead is planned for its own day."""
    require(actor)
    today = today or timezone.localdate()
    planned_on = planned_on or visited_on
    if planned_on is None:
        raise ApplicationError(_("Enter the day the visit is planned for, or the day it took place."),
                               code="planned_on_required", field="planned_on")
    data = _clean_enterprise(enterprise, campaign=campaign)
    if not in_scope(actor, data["region"]):
        raise ApplicationError(_("This township is outside your area."), code="region_out_of_scope",
                               field="region")
    if visited_on is not None and visited_on > today:
        raise ApplicationError(_("The visit day cannot be in the future."), code="visited_future",
                               field="visited_on")
    if workers_interviewed is None or workers_interviewed < 0:
        raise ApplicationError(_("The number of workers interviewed must be 0 or more."),
                               code="workers_invalid", field="workers_interviewed")
    cleaned = _clean_findings(findings)
    opinion, recommendations = (opinion or "").strip(), (recommendations or "").strip()
    if visited_on is None and (workers_interviewed or opinion or any(f["found"] for f in cleaned.values())):
        raise ApplicationError(_("Enter the day of the visit before recording what it found."),
                               code="visited_on_required", field="visited_on")
    team_users, team_practitioners = list(team_users), list(team_practitioners)
    for practitioner in team_practitioners:
        if not isinstance(practitioner, Practitioner):
            raise ApplicationError(_("Choose the team from the directory."), code="team_invalid",
                                   field="team_practitioners")

    created = visit is None
    if created:
        if not in_scope(actor, campaign.region) and not any(
                (p or "").startswith(campaign.region.path) for p in (region_paths_for(actor) or [])):
            raise _not_found()
        ent = _enterprise_upsert(actor=actor, data=data)
        visit = Visit(campaign=campaign, enterprise=ent, region=ent.region, planned_on=planned_on,
                      created_by=actor if getattr(actor, "is_authenticated", False) else None)
        before: dict[str, Any] = {}
    else:
        visit = _locked(visit)
        if not in_scope(actor, visit.region):
            raise _not_found()
        if visit.status not in workflow.EDITABLE:
            raise ConflictError(_("The report has been issued: the check-up can no longer be changed."),
                                code="not_editable")
        before = {"planned_on": str(visit.planned_on), "visited_on": str(visit.visited_on),
                  "workers_interviewed": visit.workers_interviewed, "enterprise": visit.enterprise.credit_code,
                  "findings": sorted(visit.findings.filter(found=True).values_list("kind", flat=True))}
        ent = _enterprise_upsert(actor=actor, data=data)
        visit.enterprise, visit.region, visit.planned_on = ent, ent.region, planned_on
    from_status = visit.status
    if visited_on is not None and visit.status == CheckupVisitStatus.PLANNED:
        visit.status = _move(visit, "record")
    elif visited_on is None and visit.status == CheckupVisitStatus.VISITED:
        raise ApplicationError(_("A visit that took place keeps its day."), code="visited_on_required",
                               field="visited_on")
    visit.visited_on, visit.workers_interviewed = visited_on, workers_interviewed
    visit.opinion, visit.recommendations = opinion, recommendations
    visit.save()
    visit.team_users.set(team_users)
    visit.team_practitioners.set(team_practitioners)
    existing = {f.kind: f for f in visit.findings.all()} if not created else {}
    for kind, item in cleaned.items():
        finding = existing.get(kind) or Finding(visit=visit, kind=kind)
        if finding.pk and all(getattr(finding, k) == v for k, v in item.items()):
            continue
        for key, value in item.items():
            setattr(finding, key, value)
        finding.save()
    after = {"planned_on": str(visit.planned_on), "visited_on": str(visit.visited_on),
             "workers_interviewed": visit.workers_interviewed, "enterprise": ent.credit_code,
             "findings": sorted(k for k, v in cleaned.items() if v["found"])}
    changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    if created:
        _event(visit, actor=actor, kind="planned", to_status=CheckupVisitStatus.PLANNED,
               data={"planned_on": str(planned_on)})
    if visit.status != from_status or (created and visit.status == CheckupVisitStatus.VISITED):
        _event(visit, actor=actor, kind="visited", from_status=CheckupVisitStatus.PLANNED,
               to_status=visit.status, data={"visited_on": str(visited_on),
                                             "problems": after["findings"]})
    elif not created and changes:
        _event(visit, actor=actor, kind="edited", from_status=visit.status, to_status=visit.status,
               data={"fields": sorted(changes)})
    audit_record(actor=actor, action="checkup.visit.create" if created else "checkup.visit.update", obj=visit,
                 changes=changes, extra={"campaign": campaign.pk, "status": visit.status})
    return visit


# --- named workers -------------------------------------------------------------------------------

@transaction.atomic
def worker_add(*, actor, visit: Visit, name: str, consent_given: bool, consent_note: str = "", phone: str = "",
               id_number: str = "", problems: list[str] | tuple[str, ...] = (), claim: str = "",
               amount_owed: Any = None) -> NamedWorker:
    """Record a worker by name, only with their consent (the others are counted, never named)."""
    require(actor)
    visit = _locked(visit)
    if not in_scope(actor, visit.region):
        raise _not_found()
    if visit.status not in workflow.EDITABLE:
        raise ConflictError(_("The report has been issued: the check-up can no longer be changed."),
                            code="not_editable")
    if not consent_given:
        raise ApplicationError(_("A worker is named only with their consent: ask them first, or count them "
                                 "without a name."), code="consent_required", field="consent_given")
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("Enter the person's name."), code="name_required", field="name")
    phone = (phone or "").strip().replace(" ", "").replace("-", "")
    if phone and not (phone.isdigit() and 7 <= len(phone) <= 12):
        raise ApplicationError(_("Enter a mobile number of 11 digits or a landline with its area code."),
                               code="phone_invalid", field="phone")
    id_number = (id_number or "").strip().upper()
    if id_number:
        try:
            id_number = parse_id_number(id_number).value
        except ValueError as exc:
            raise ApplicationError(_("This is not a valid 18-digit ID number: please check it digit by digit."),
                                   code="id_number_invalid", field="id_number") from exc
    problems = sorted(set(problems))
    if any(p not in ProblemKind.values for p in problems):
        raise ApplicationError(_("Unknown check-list item."), code="finding_unknown", field="problems")
    if amount_owed in ("", None):
        amount = None
    else:
        try:
            amount = Decimal(str(amount_owed))
        except InvalidOperation as exc:
            raise ApplicationError(_("Enter the amount in yuan, such as 12000.50."), code="amount_invalid",
                                   field="amount_owed") from exc
        if amount < 0:
            raise ApplicationError(_("The amount cannot be negative."), code="amount_invalid", field="amount_owed")
    worker = NamedWorker.objects.create(
        visit=visit, name=name, phone=phone, id_number=id_number, consent_given=True,
        consent_note=(consent_note or "").strip(), consent_recorded_at=timezone.now(),
        consent_recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        problems=problems, claim=(claim or "").strip(), amount_owed=amount)
    _event(visit, actor=actor, kind="worker_named", from_status=visit.status, to_status=visit.status,
           data={"worker": worker.pk, "problems": problems})
    audit_record(actor=actor, action="checkup.worker.create", obj=worker,
                 extra={"visit": visit.pk, "consent": True, "problems": problems})
    return worker


@transaction.atomic
def worker_remove(*, actor, worker: NamedWorker) -> None:
    """Take a named worker off the record (they withdrew consent), unless their claim went to legal aid."""
    require(actor)
    visit = _locked(worker.visit)
    if not in_scope(actor, visit.region):
        raise _not_found()
    worker = NamedWorker.objects.select_for_update().get(pk=worker.pk)
    if worker.application_id:
        raise ConflictError(_("This worker's claim is already a legal aid application: the record stays."),
                            code="worker_referred")
    pk = worker.pk
    audit_record(actor=actor, action="checkup.worker.delete", obj=worker, extra={"visit": visit.pk})
    worker.delete()
    _event(visit, actor=actor, kind="worker_removed", from_status=visit.status, to_status=visit.status,
           data={"worker": pk})


# --- the report and the follow-up ----------------------------------------------------------------

@transaction.atomic
def report_issue(*, actor, visit: Visit, issued_on: dt.date, follow_up_due: dt.date) -> Visit:
    require(actor)
    visit = _locked(visit)
    if not in_scope(actor, visit.region):
        raise _not_found()
    to = _move(visit, "issue_report")
    if visit.visited_on and issued_on < visit.visited_on:
        raise ApplicationError(_("The report cannot be issued before the visit."), code="issued_before_visit",
                               field="issued_on")
    if follow_up_due <= issued_on:
        raise ApplicationError(_("The follow-up visit comes after the report."), code="follow_up_before_report",
                               field="follow_up_due")
    Campaign.objects.select_for_update().get(pk=visit.campaign_id)  # numbers are given one at a time
    issued = Visit.objects.filter(campaign_id=visit.campaign_id, report_issued_on__year=issued_on.year).exclude(
        report_number="").count()
    from_status = visit.status
    visit.status, visit.report_issued_on, visit.follow_up_due = to, issued_on, follow_up_due
    visit.report_number = f"{REPORT_PREFIX}〔{issued_on.year}〕{visit.campaign_id}-{issued + 1:03d}号"
    visit.save(update_fields=["status", "report_issued_on", "follow_up_due", "report_number", "updated_at"])
    _event(visit, actor=actor, kind="report_issued", from_status=from_status, to_status=to,
           data={"number": visit.report_number, "follow_up_due": str(follow_up_due)})
    audit_record(actor=actor, action="checkup.visit.report_issue", obj=visit,
                 changes={"status": [from_status, to]},
                 extra={"number": visit.report_number, "follow_up_due": str(follow_up_due)})
    return visit


@transaction.atomic
def follow_up_record(*, actor, visit: Visit, followed_up_on: dt.date, result: str, note: str = "") -> Visit:
    require(actor)
    visit = _locked(visit)
    if not in_scope(actor, visit.region):
        raise _not_found()
    to = _move(visit, "follow_up")
    if result not in FollowUpResult.values:
        raise ApplicationError(_("Choose what the follow-up found."), code="result_invalid", field="result")
    if visit.report_issued_on and followed_up_on < visit.report_issued_on:
        raise ApplicationError(_("The follow-up visit comes after the report."), code="follow_up_before_report",
                               field="followed_up_on")
    from_status = visit.status
    visit.status, visit.followed_up_on, visit.follow_up_result = to, followed_up_on, result
    visit.follow_up_note = (note or "").strip()
    visit.save(update_fields=["status", "followed_up_on", "follow_up_result", "follow_up_note", "updated_at"])
    _event(visit, actor=actor, kind="followed_up", from_status=from_status, to_status=to, note=visit.follow_up_note,
           data={"result": result, "on": str(followed_up_on)})
    audit_record(actor=actor, action="checkup.visit.follow_up", obj=visit, changes={"status": [from_status, to]},
                 extra={"result": result})
    return visit


# --- a worker's claim to legal aid ---------------------------------------------------------------

def referral_payload(worker: NamedWorker) -> dict[str, Any]:
    """The applicant and details of a named worker's wage claim, as legalaid.services.application_create
    takes them: a migrant worker (the group of the green channel) claiming labour pay (CV-05, wages)
    from the enterprise, before arbitration."""
    visit, enterprise = worker.visit, worker.visit.enterprise
    labels = dict(ProblemKind.choices)
    notes = {f.kind: f.note for f in visit.findings.all() if f.found}
    lines = [f"{visit.campaign.name}：{visit.visited_on or visit.planned_on:%Y-%m-%d}法治体检走访{enterprise.name}时发现。"]
    for kind in worker.problems:
        if kind in WAGE_PROBLEMS:
            lines.append(f"{labels[kind]}{('：' + notes[kind]) if notes.get(kind) else ''}")
    if worker.claim:
        lines.append(worker.claim)
    applicant: dict[str, Any] = {"name": worker.name, "phone": worker.phone, "groups": ["migrant_worker"],
                                 "employer": enterprise.name, "occupation": "农民工"}
    if worker.id_number:
        applicant["id_number"] = worker.id_number
    details = {"matter": "CV-05", "matter_subtype": "wages", "category": "civil", "aid_form": "labour_arbitration",
               "stage": "not_started", "cause": "追索劳动报酬", "opposing_party": enterprise.name,
               "facts": "\n".join(lines), "amount_claimed": worker.amount_owed, "people_count": 1}
    return {"applicant": applicant, "details": details}


def centre_for_visit(visit: Visit) -> Institution | None:
    """The legal aid centre of the enterprise's county, else the nearest one above it."""
    from open12348.legalaid.selectors_portal import centre_for_region

    county = county_of(visit.region)
    return centre_for_region(region_code=county.code if county else visit.region.code)


@transaction.atomic
def worker_refer(*, actor, worker: NamedWorker):
    """Send a consenting worker's wage claim to legal aid, once (the worker row is locked and the
    worker's id is the idempotency key). Returns the application."""
    from open12348.legalaid.choices import Channel
    from open12348.legalaid.services import application_create

    require(actor)
    visit = _locked(worker.visit)
    if not in_scope(actor, visit.region):
        raise _not_found()
    worker = NamedWorker.objects.select_for_update().get(pk=worker.pk)
    worker.visit = visit
    if worker.application_id:
        return worker.application
    require(actor, Capability.AID_INTAKE)
    if visit.status not in workflow.REFERRABLE:
        raise ConflictError(_("Record the visit before sending a claim to legal aid."), code="not_visited")
    if not worker.consent_given:
        raise ApplicationError(_("A worker is named only with their consent: ask them first, or count them "
                                 "without a name."), code="consent_required")
    if not WAGE_PROBLEMS.intersection(worker.problems):
        raise ApplicationError(_("Only a worker's own claim for pay goes to legal aid from a check-up: mark the "
                                 "wage problem that concerns them."), code="not_a_wage_claim", field="problems")
    centre = centre_for_visit(visit)
    if centre is None:
        raise ApplicationError(_("There is no legal aid centre for this county or district yet."), code="no_centre")
    payload = referral_payload(worker)
    application = application_create(actor=actor, centre=centre, channel=Channel.CHECKUP,
                                     channel_detail=f"{visit.campaign.name} · {visit.enterprise.name}"[:200],
                                     idempotency_key=f"checkup-worker-{worker.pk}", **payload)
    worker.application = application
    worker.save(update_fields=["application", "updated_at"])
    _event(visit, actor=actor, kind="referred", from_status=visit.status, to_status=visit.status,
           data={"worker": worker.pk, "application": application.pk, "number": application.number})
    audit_record(actor=actor, action="checkup.worker.refer", obj=worker,
                 extra={"visit": visit.pk, "application": application.pk, "centre": centre.pk})
    return application
