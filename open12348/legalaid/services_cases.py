"""Writes for legal aid cases: assignment, the lawyer's work, closing, archive review, subsidy, termination.

Every service runs in one transaction, locks the case (or, for the first assignment, the
application) row, changes status only as `workflow.CASE_TRANSITIONS` allows, and writes a
`CaseEvent` (the case's timeline) and an audit row. A refused transition changes nothing.

Who may act:
- the centre's staff with AID_ASSIGN assign and reassign, and may record the lawyer's steps for
  a lawyer who has no account;
- the assigned lawyer (CASE_HANDLE, the case's `lawyer_user`) signs, begins, records progress,
  closes and resubmits; another lawyer's case is "not found" to them;
- AID_ARCHIVE reviews closing files, AID_SUBSIDY pays, AID_DECIDE terminates, AID_INTAKE records
  an objection to a termination and AID_OBJECTION decides it.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
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
from open12348.core.errors import ApplicationError, ConflictError
from open12348.network.models import Practitioner

from . import workflow
from .choices import (
    ArchiveResult,
    Channel,
    DeadlineKind,
    HowEnded,
    ObjectionKind,
    ObjectionStatus,
    PartySide,
    ProgressKind,
    SubsidyStatus,
)
from .closing_checklists import checklist_category, checklist_items
from .closing_checklists import closing_checklist_for as closing_checklist_for  # the agreed API's name
from .documents import document_issue
from .eligibility.codes import Termination
from .models import (
    Application,
    ApplicationEvent,
    ArchiveReview,
    Assignment,
    Case,
    CaseEvent,
    ClosingReport,
    Objection,
    Party,
    ProgressEntry,
    Subsidy,
    SubsidyStandard,
    TerminationRecord,
)
from .selectors_cases import (
    ASSIGNABLE_KINDS,
    EXPERIENCE_MATTERS,
    EXPERIENCE_YEARS,
    conflict_check,
    deadline_days,
    suggestion_for,
)

OBJECTION_DAYS = 5  # Art. 49: the justice bureau decides an objection within 5 days
FILE_RATINGS = ("优秀", "良好", "合格", "不合格")
UNQUALIFIED = "不合格"
ARCHIVE_SUFFIX = "-档"
CENT = Decimal("0.01")
# Statuses in which materials may still be added to the case file: while it is handled, and when
# the archive review returned it for correction. Archived files are read-only.
FILE_OPEN = workflow.ACTIVE | {workflow.C.RETURNED}


# --- helpers -------------------------------------------------------------------------------

def _today() -> dt.date:
    return timezone.localdate()


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _require(actor, capability: str) -> None:
    if not user_can(actor, capability):
        raise ApplicationError(_("You are not allowed to do this."), code="forbidden", status=403)


def _in_scope(actor, region) -> bool:
    paths = region_paths_for(actor)
    return paths is None or any(region.path.startswith(p) for p in paths)


def _not_found() -> ApplicationError:
    return ApplicationError(_("This case does not exist or is not yours."), code="not_found", status=404)


def _check_staff(actor, case: Case, capability: str) -> None:
    _require(actor, capability)
    if not _in_scope(actor, case.region):
        raise _not_found()


def _check_handler(actor, case: Case) -> None:
    """The assigned lawyer, or the centre's staff who assign (recording for a lawyer without an account)."""
    if user_can(actor, Capability.CASE_HANDLE) and actor.pk == case.lawyer_user_id:
        return
    if user_can(actor, Capability.AID_ASSIGN) and _in_scope(actor, case.region):
        return
    if user_can(actor, Capability.AID_VIEW) and _in_scope(actor, case.region):
        raise ApplicationError(_("You are not allowed to do this."), code="forbidden", status=403)
    # Someone else's case, or one outside the actor's area: the same answer as a missing case.
    raise _not_found()


def _due(start: dt.date, kind: str) -> dt.date:
    return due_date(start=start, days=deadline_days(kind), calendar=legal_calendar()).due


def _stale(current: Case | Application) -> ConflictError:
    return ConflictError(
        _("Someone else changed this case while you were looking at it (it is now “%(status)s”). "
          "Reload the page and check before you continue.") % {"status": current.get_status_display()},
        code="stale_version",
    )


def _invalid(case: Case) -> ConflictError:
    return ConflictError(
        _("This cannot be done while the case is “%(status)s”.") % {"status": case.get_status_display()},
        code="invalid_transition",
    )


def _locked(case: Case, *, action: str | None, expected_version: int | None, check) -> tuple[Case, str | None]:
    """The case row, locked; who may act is checked on it, then the version, then the transition."""
    current = Case.objects.select_for_update().get(pk=case.pk)
    check(current)
    if expected_version is not None and current.version != expected_version:
        raise _stale(current)
    if action is None:
        return current, None
    to = workflow.case_target(action, current.status)
    if to is None:
        raise _invalid(current)
    return current, to


def _event(case: Case, *, actor, kind: str, from_status: str = "", note: str = "",
           data: dict | None = None) -> CaseEvent:
    return CaseEvent.objects.create(case=case, actor=_user(actor), kind=kind, from_status=from_status,
                                    to_status=case.status, note=note, data=data or {})


def _move(case: Case, *, to: str, actor, kind: str, note: str = "", data: dict | None = None,
          fields: tuple[str, ...] = ()) -> Case:
    before = case.status
    case.status = to
    case.version += 1
    case.next_due = workflow.case_next_due(case)
    case.save(update_fields=["status", "version", "next_due", "updated_at", *fields])
    _event(case, actor=actor, kind=kind, from_status=before, note=note, data=data)
    audit_record(actor=actor, action=f"legalaid.case.{kind}", obj=case,
                 changes={"before": {"status": before}, "after": {"status": to}}, extra=data or {})
    return case


def _text(value: str | None, *, field: str, message: str, code: str = "reasons_required") -> str:
    value = (value or "").strip()
    if not value:
        raise ApplicationError(message, code=code, field=field)
    return value


def _past_date(value: dt.date | None, *, field: str, message: str, not_before: dt.date | None = None) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ApplicationError(message, code="date_required", field=field)
    if value > _today():
        raise ApplicationError(_("This date is in the future."), code="date_in_future", field=field)
    if not_before is not None and value < not_before:
        raise ApplicationError(_("This date is before the case was assigned (%(day)s).") % {"day": not_before},
                               code="date_before_assignment", field=field)
    return value


def _amount(value: Any, *, field: str) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else 0))
    except InvalidOperation as exc:
        raise ApplicationError(_("Enter the amount in yuan, such as 12000.50."), code="amount_invalid",
                               field=field) from exc
    if amount < 0 or not amount.is_finite():
        raise ApplicationError(_("The amount cannot be negative."), code="amount_invalid", field=field)
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _whole(value: Any, *, field: str, minimum: int, message: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = minimum - 1
    if number < minimum or isinstance(value, bool):
        raise ApplicationError(message, code=f"{field}_invalid", field=field)
    return number


def case_accepts_materials(case: Case) -> bool:
    """Whether files may still be added to the case file (read-only once closed, unless returned)."""
    return case.status in FILE_OPEN


# --- assignment ----------------------------------------------------------------------------

def _check_lawyer(*, application: Application, lawyer: Practitioner, institution, conflict_override: str):
    """The person can take this case: a lawyer or legal aid staff, experienced enough, without a
    conflict of interest (or with the reason for going ahead recorded). Returns the conflicts."""
    if lawyer.kind not in ASSIGNABLE_KINDS:
        raise ApplicationError(_("Only a lawyer or a legal aid staff member can be assigned to a case."),
                               code="not_a_lawyer", field="lawyer")
    if institution is None:
        raise ApplicationError(_("Choose the institution the lawyer works for."), code="institution_required",
                               field="institution")
    if application.matter in EXPERIENCE_MATTERS:
        years = lawyer.years_of_practice(today=_today())
        if years is None or years < EXPERIENCE_YEARS:
            raise ApplicationError(
                _("A defendant who may face life imprisonment or death needs a lawyer with at least 3 years of "
                  "practice (Legal Aid Law Art. 26); %(name)s does not have them.") % {"name": lawyer.name},
                code="experience_required", field="lawyer",
            )
    conflicts = conflict_check(application=application, lawyer=lawyer, institution=institution)
    if conflicts and not conflict_override:
        cases = "、".join(sorted({c.other_case_number for c in conflicts}))
        raise ApplicationError(
            _("%(name)s or their institution acts against this applicant's side in case %(cases)s. Choose another "
              "lawyer, or record why the assignment may go ahead.") % {"name": lawyer.name, "cases": cases},
            code="conflict_of_interest", field="lawyer", extra={"conflicts": [c.as_dict() for c in conflicts]},
        )
    return conflicts


def _ensure_parties(application: Application) -> None:
    """The parties of the matter, recorded once, for later conflict checks against this case."""
    existing = {(p.side, p.name) for p in application.parties.all()}
    applicant = application.applicant
    if (PartySide.CLIENT, applicant.name) not in existing:
        Party.objects.create(application=application, side=PartySide.CLIENT, name=applicant.name,
                             id_number_hash=applicant.id_number_hash)
    opposing = application.opposing_party.strip()
    if opposing and (PartySide.OPPOSING, opposing) not in existing:
        Party.objects.create(application=application, side=PartySide.OPPOSING, name=opposing)


def _assignment_reasons(*, application: Application, lawyer: Practitioner, conflicts, override: str) -> dict:
    suggestion = suggestion_for(application=application, lawyer=lawyer)
    reasons: dict[str, Any] = {"suggested": suggestion is not None}
    if suggestion is not None:
        reasons.update(score=suggestion.score, reasons=suggestion.reasons)
    if conflicts:
        reasons.update(conflicts=[c.as_dict() for c in conflicts], override=override)
    return reasons


def _issue_assignment_documents(*, actor, application: Application) -> None:
    document_issue(actor=actor, application=application, kind="assignment_notice")
    if application.channel == Channel.NOTIFICATION:
        document_issue(actor=actor, application=application, kind="organ_letter")


@transaction.atomic
def case_assign(*, actor, application: Application, lawyer: Practitioner, institution=None,
                conflict_override: str = "", expected_version: int | None = None) -> Case:
    """Assign a lawyer to a granted or notified application (Art. 43, 36): the case begins.

    The application row is locked, so of two dispatchers assigning at once exactly one wins; the
    other is told someone was quicker. `expected_version` is the application's version.
    """
    _require(actor, Capability.AID_ASSIGN)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not _in_scope(actor, application.region):
        raise ApplicationError(_("This application is outside your area."), code="out_of_scope", status=404)
    if expected_version is not None and application.version != expected_version:
        raise _stale(application)
    if Case.objects.filter(application=application).exists():
        raise ConflictError(_("A lawyer has already been assigned to this application. Reload the page."),
                            code="already_assigned")
    if application.status not in workflow.AWAITING_ASSIGNMENT:
        raise ConflictError(
            _("A lawyer can be assigned only once legal aid is granted or notified; the application is "
              "“%(status)s”.") % {"status": application.get_status_display()},
            code="invalid_transition",
        )
    institution = institution or lawyer.institution
    override = (conflict_override or "").strip()
    conflicts = _check_lawyer(application=application, lawyer=lawyer, institution=institution,
                              conflict_override=override)
    reasons = _assignment_reasons(application=application, lawyer=lawyer, conflicts=conflicts, override=override)

    now = timezone.now()
    case = Case.objects.create(
        application=application, number=application.number, centre=application.centre, region=application.region,
        status=workflow.C.ASSIGNED, matter=application.matter, category=application.category,
        stage=application.stage, priority=application.priority, institution=institution, lawyer=lawyer,
        lawyer_user=lawyer.user, assigned_at=now, agreement_due=_due(timezone.localdate(now), DeadlineKind.AGREEMENT),
    )
    case.next_due = workflow.case_next_due(case)
    case.save(update_fields=["next_due"])
    _ensure_parties(application)
    Assignment.objects.create(case=case, institution=institution, lawyer=lawyer, assigned_at=now,
                              assigned_by=_user(actor), reasons=reasons, conflict_override=override if conflicts else "")
    data = {"lawyer": lawyer.pk, "institution": institution.pk, "agreement_due": case.agreement_due.isoformat(),
            "conflicts": len(conflicts)}
    _event(case, actor=actor, kind="assigned", note=override if conflicts else "", data=data)
    audit_record(actor=actor, action="legalaid.case.assign", obj=case,
                 changes={"after": {"status": case.status, "lawyer": lawyer.pk, "institution": institution.pk}},
                 extra={**data, "override": override if conflicts else ""})
    application.version += 1
    application.save(update_fields=["version", "updated_at"])
    ApplicationEvent.objects.create(application=application, actor=_user(actor), kind="lawyer_assigned",
                                    from_status=application.status, to_status=application.status,
                                    note=f"{institution.name} {lawyer.name}", data={"case": case.pk, **data})
    _issue_assignment_documents(actor=actor, application=application)
    return case


@transaction.atomic
def case_reassign(*, actor, case: Case, lawyer: Practitioner, reason: str, institution=None,
                  conflict_override: str = "", expected_version: int | None = None) -> Case:
    """Art. 55: the aided person asks for another lawyer (or the centre replaces one). The current
    assignment ends with the reason, a new one begins, and the agreement clock starts again."""
    _require(actor, Capability.AID_ASSIGN)
    reason = _text(reason, field="reason", message=_("Say why the case goes to another lawyer."))
    case, to = _locked(case, action="reassign", expected_version=expected_version,
                       check=lambda c: _check_staff(actor, c, Capability.AID_ASSIGN))
    if lawyer.pk == case.lawyer_id:
        raise ApplicationError(_("This lawyer already handles the case. Choose another one."), code="same_lawyer",
                               field="lawyer")
    application = case.application
    institution = institution or lawyer.institution
    override = (conflict_override or "").strip()
    conflicts = _check_lawyer(application=application, lawyer=lawyer, institution=institution,
                              conflict_override=override)
    reasons = _assignment_reasons(application=application, lawyer=lawyer, conflicts=conflicts, override=override)
    now = timezone.now()
    previous = {"lawyer": case.lawyer_id, "institution": case.institution_id}
    Assignment.objects.filter(case=case, ended_at__isnull=True).update(ended_at=now, end_reason=reason)
    Assignment.objects.create(case=case, institution=institution, lawyer=lawyer, assigned_at=now,
                              assigned_by=_user(actor), reasons=reasons, conflict_override=override if conflicts else "")
    case.lawyer, case.institution, case.lawyer_user, case.assigned_at = lawyer, institution, lawyer.user, now
    case.agreement_due = _due(timezone.localdate(now), DeadlineKind.AGREEMENT)
    case.agreement_signed_on = None
    _move(case, to=to, actor=actor, kind="reassigned", note=reason,
          data={"from": previous, "lawyer": lawyer.pk, "institution": institution.pk,
                "agreement_due": case.agreement_due.isoformat(), "conflicts": len(conflicts),
                "override": override if conflicts else ""},
          fields=("lawyer", "institution", "lawyer_user", "assigned_at", "agreement_due", "agreement_signed_on"))
    _issue_assignment_documents(actor=actor, application=application)
    return case


# --- the lawyer's work -----------------------------------------------------------------------

@transaction.atomic
def case_sign_agreement(*, actor, case: Case, signed_on: dt.date, expected_version: int | None = None) -> Case:
    """The agreement and power of attorney are signed (due within 5 legal days of assignment)."""
    case, to = _locked(case, action="sign_agreement", expected_version=expected_version,
                       check=lambda c: _check_handler(actor, c))
    signed_on = _past_date(signed_on, field="signed_on", message=_("Enter the day the agreement was signed."),
                           not_before=timezone.localdate(case.assigned_at))
    case.agreement_signed_on = signed_on
    late = bool(case.agreement_due and signed_on > case.agreement_due)
    return _move(case, to=to, actor=actor, kind="agreement_signed",
                 data={"signed_on": signed_on.isoformat(), "late": late}, fields=("agreement_signed_on",))


@transaction.atomic
def case_begin(*, actor, case: Case, expected_version: int | None = None) -> Case:
    case, to = _locked(case, action="begin", expected_version=expected_version,
                       check=lambda c: _check_handler(actor, c))
    return _move(case, to=to, actor=actor, kind="begun")


@transaction.atomic
def progress_add(*, actor, case: Case, kind: str, occurred_on: dt.date, note: str = "",
                 hearing_at: dt.datetime | None = None, court: str = "", courtroom: str = "") -> ProgressEntry:
    """即时录入: one piece of the lawyer's work, timestamped as entered (Art. 46).

    Only while the case is being handled; a closed or archived file is read-only.
    """
    case, _to = _locked(case, action=None, expected_version=None, check=lambda c: _check_handler(actor, c))
    if case.status not in workflow.WORKING:
        raise ConflictError(
            _("Work can be recorded only while the case is being handled; it is “%(status)s”.")
            % {"status": case.get_status_display()},
            code="invalid_transition",
        )
    if kind not in ProgressKind.values:
        raise ApplicationError(_("Choose what kind of work was done."), code="kind_invalid", field="kind")
    occurred_on = _past_date(occurred_on, field="occurred_on", message=_("Enter the day the work was done."))
    court, courtroom = (court or "").strip(), (courtroom or "").strip()
    if kind == ProgressKind.HEARING:
        if hearing_at is None:
            raise ApplicationError(_("Enter the date and time of the hearing."), code="hearing_at_required",
                                   field="hearing_at")
        if not court:
            raise ApplicationError(_("Enter the court or tribunal that holds the hearing."), code="court_required",
                                   field="court")
    else:
        hearing_at, courtroom = None, ""
    now = timezone.now()
    entry = ProgressEntry.objects.create(case=case, kind=kind, occurred_on=occurred_on, entered_at=now,
                                         entered_by=_user(actor), note=(note or "").strip(), hearing_at=hearing_at,
                                         court=court, courtroom=courtroom)
    case.last_progress_at = now
    case.save(update_fields=["last_progress_at", "updated_at"])
    # The note may hold confidential facts: it stays in the encrypted entry, not in the timeline.
    data = {"entry": entry.pk, "kind": kind, "occurred_on": occurred_on.isoformat()}
    if hearing_at is not None:
        data.update(hearing_at=hearing_at.isoformat(), court=court, courtroom=courtroom)
    _event(case, actor=actor, kind="progress", data=data)
    audit_record(actor=actor, action="legalaid.case.progress", obj=case, extra=data)
    return entry


def case_checklist(case: Case) -> list[tuple[str, str]]:
    """The closing checklist that applies to `case` (its form of aid, category and stage)."""
    category = checklist_category(category=case.category, aid_form=case.application.aid_form)
    return closing_checklist_for(category=category, stage=case.stage)


def _clean_checklist(case: Case, checklist: dict | list | None) -> dict[str, bool]:
    """Every item of the case's list, ticked or not; anything not on the list is an error."""
    codes = [item.code for item in checklist_items(
        category=checklist_category(category=case.category, aid_form=case.application.aid_form), stage=case.stage)]
    if checklist is None:
        ticked: dict[str, bool] = {}
    elif isinstance(checklist, dict):
        ticked = {str(k): bool(v) for k, v in checklist.items()}
    else:
        ticked = {str(k): True for k in checklist}
    unknown = sorted(set(ticked) - set(codes))
    if unknown:
        raise ApplicationError(_("These are not items of this case's closing checklist: %(items)s.")
                               % {"items": ", ".join(unknown)}, code="checklist_invalid", field="checklist")
    return {code: ticked.get(code, False) for code in codes}


@transaction.atomic
def case_close(*, actor, case: Case, how_ended: str, ended_on: dt.date, outcome: str, amount_recovered=0,
               amount_awarded=0, people_aided: int = 1, hearings: int = 0, checklist: dict | list | None = None,
               expected_version: int | None = None) -> Case:
    """Art. 50: the lawyer reports how the matter ended and submits the closing file."""
    case, to = _locked(case, action="close", expected_version=expected_version,
                       check=lambda c: _check_handler(actor, c))
    if how_ended not in HowEnded.values:
        raise ApplicationError(_("Choose how the matter ended."), code="how_ended_invalid", field="how_ended")
    ended_on = _past_date(ended_on, field="ended_on", message=_("Enter the day the matter ended."),
                          not_before=timezone.localdate(case.assigned_at))
    outcome = _text(outcome, field="outcome", message=_("Describe the outcome for the aided person."),
                    code="outcome_required")
    recovered = _amount(amount_recovered, field="amount_recovered")
    awarded = _amount(amount_awarded, field="amount_awarded")
    people = _whole(people_aided, field="people_aided", minimum=1, message=_("At least one person was aided."))
    hearing_count = _whole(hearings, field="hearings", minimum=0,
                           message=_("Enter the number of hearings attended (0 or more)."))
    items = _clean_checklist(case, checklist)
    now = timezone.now()
    ClosingReport.objects.update_or_create(case=case, defaults={
        "how_ended": how_ended, "ended_on": ended_on, "outcome": outcome, "amount_recovered": recovered,
        "amount_awarded": awarded, "people_aided": people, "hearings": hearing_count, "checklist": items,
        "submitted_at": now, "submitted_by": _user(actor),
    })
    case.ended_on, case.closed_at = ended_on, now
    case.closing_due = _due(ended_on, DeadlineKind.CLOSING)
    # The centre reviews the file and pays the subsidy within the period from receiving it.
    case.subsidy_due = _due(timezone.localdate(now), DeadlineKind.SUBSIDY)
    missing = [code for code, done in items.items() if not done]
    return _move(case, to=to, actor=actor, kind="closed",
                 data={"how_ended": how_ended, "ended_on": ended_on.isoformat(),
                       "closing_due": case.closing_due.isoformat(), "late": timezone.localdate(now) > case.closing_due,
                       "amount_recovered": str(recovered), "people_aided": people, "missing": missing},
                 fields=("ended_on", "closed_at", "closing_due", "subsidy_due"))


@transaction.atomic
def case_resubmit(*, actor, case: Case, note: str = "", checklist: dict | list | None = None,
                  expected_version: int | None = None) -> Case:
    """The corrected closing file goes back to the archive review. `checklist`, when given,
    replaces the ticks of the closing report."""
    case, to = _locked(case, action="resubmit", expected_version=expected_version,
                       check=lambda c: _check_handler(actor, c))
    report = ClosingReport.objects.select_for_update().get(case=case)
    if checklist is not None:
        report.checklist = _clean_checklist(case, checklist)
    report.submitted_at, report.submitted_by = timezone.now(), _user(actor)
    report.save(update_fields=["checklist", "submitted_at", "submitted_by"])
    case.closed_at = report.submitted_at
    case.subsidy_due = _due(timezone.localdate(report.submitted_at), DeadlineKind.SUBSIDY)
    missing = [code for code, done in report.checklist.items() if not done]
    return _move(case, to=to, actor=actor, kind="resubmitted", note=(note or "").strip(),
                 data={"missing": missing}, fields=("closed_at", "subsidy_due"))


# --- archive review and subsidy --------------------------------------------------------------

def subsidy_standard_for(*, case: Case, on: dt.date) -> SubsidyStandard | None:
    """The standard in force on `on` for the case: the most specific region, then the case's own
    stage before one for every stage, then the latest."""
    code = case.region.code
    prefixes = [code[:n] for n in range(2, len(code) + 1, 2)] + [code]
    candidates = [
        s for s in SubsidyStandard.objects.filter(
            category=case.category, stage__in=[case.stage, ""], region_code__in=set(prefixes),
            effective_from__lte=on)
        if s.effective_to is None or s.effective_to >= on
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda s: (len(s.region_code), s.stage == case.stage and bool(s.stage),
                                          s.effective_from, s.pk))


def subsidy_compute(*, case: Case, hearings: int, file_rating: str, on: dt.date) -> tuple[Decimal, dict, str]:
    """Base + per hearing after the first; a file rated 不合格 gets the standard's share (0: withheld)."""
    standard = subsidy_standard_for(case=case, on=on)
    if standard is None:
        raise ApplicationError(
            _("No subsidy standard is in force for this kind of case in this region. Ask the administrator to "
              "enter one, then archive the case."),
            code="no_subsidy_standard",
        )
    extra = max(hearings - 1, 0)
    amount = standard.base_amount + standard.per_extra_hearing * extra
    factor = Decimal(1)
    if file_rating == UNQUALIFIED:
        factor = standard.unqualified_factor
        amount *= factor
    amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    status = SubsidyStatus.WITHHELD if factor == 0 else SubsidyStatus.CALCULATED
    computation = {
        "standard": standard.pk, "source": standard.source, "region_code": standard.region_code,
        "stage": standard.stage, "base_amount": str(standard.base_amount),
        "per_extra_hearing": str(standard.per_extra_hearing), "hearings": hearings, "extra_hearings": extra,
        "file_rating": file_rating, "factor": str(factor), "amount": str(amount), "on": on.isoformat(),
    }
    return amount, computation, status


@transaction.atomic
def archive_review(*, actor, case: Case, passed: bool, reasons: str = "", file_rating: str = "",
                   archive_number: str = "", expected_version: int | None = None) -> Case:
    """The centre reviews the closing file: pass (archive number, subsidy computed) or return with reasons.

    Passing needs every item of the closing checklist; the archived file is read-only.
    """
    _require(actor, Capability.AID_ARCHIVE)
    case, to = _locked(case, action="archive_pass" if passed else "archive_return",
                       expected_version=expected_version,
                       check=lambda c: _check_staff(actor, c, Capability.AID_ARCHIVE))
    file_rating = (file_rating or "").strip()
    if file_rating and file_rating not in FILE_RATINGS:
        raise ApplicationError(_("Rate the file 优秀, 良好, 合格 or 不合格."), code="file_rating_invalid",
                               field="file_rating")
    reasons = (reasons or "").strip()
    now, today = timezone.now(), _today()
    if not passed:
        reasons = _text(reasons, field="reasons", message=_("Say what must be corrected in the closing file."))
        ArchiveReview.objects.create(case=case, result=ArchiveResult.RETURNED, reasons=reasons,
                                     file_rating=file_rating, reviewed_at=now, reviewed_by=_user(actor))
        case.closing_due = _due(today, DeadlineKind.CLOSING)
        case.subsidy_due = None
        return _move(case, to=to, actor=actor, kind="archive_returned", note=reasons,
                     data={"closing_due": case.closing_due.isoformat(), "file_rating": file_rating},
                     fields=("closing_due", "subsidy_due"))

    report = ClosingReport.objects.get(case=case)
    labels = dict(case_checklist(case))
    missing = [code for code in labels if not report.checklist.get(code)]
    if missing:
        raise ApplicationError(
            _("The closing file is incomplete. Missing: %(items)s.") % {"items": "、".join(labels[c] for c in missing)},
            code="checklist_incomplete", field="checklist", extra={"missing": missing},
        )
    amount, computation, subsidy_status = subsidy_compute(case=case, hearings=report.hearings,
                                                          file_rating=file_rating, on=today)
    ArchiveReview.objects.create(case=case, result=ArchiveResult.PASSED, reasons=reasons, file_rating=file_rating,
                                 reviewed_at=now, reviewed_by=_user(actor))
    Subsidy.objects.update_or_create(case=case, defaults={
        "lawyer_id": case.lawyer_id, "amount": amount, "computation": computation, "status": subsidy_status,
    })
    case.archive_number = (archive_number or "").strip() or f"{case.number}{ARCHIVE_SUFFIX}"
    case.archived_at = now
    case.subsidy_due = case.subsidy_due or _due(today, DeadlineKind.SUBSIDY)
    return _move(case, to=to, actor=actor, kind="archived", note=reasons,
                 data={"archive_number": case.archive_number, "file_rating": file_rating,
                       "subsidy": str(amount), "subsidy_status": subsidy_status},
                 fields=("archive_number", "archived_at", "subsidy_due"))


@transaction.atomic
@transaction.atomic
def case_mark_evaluated(*, actor, case: Case, grade: str) -> Case:
    """The quality check graded the case (Art. 57–59): the last step of its life. Idempotent."""
    _require(actor, Capability.QUALITY_EVALUATE)
    current = Case.objects.select_for_update().get(pk=case.pk)
    if current.status == workflow.C.EVALUATED:
        return current
    current, to = _locked(current, action="evaluate", expected_version=None,
                          check=lambda c: _check_staff(actor, c, Capability.QUALITY_EVALUATE))
    return _move(current, to=to, actor=actor, kind="evaluated", data={"grade": grade})


def subsidy_pay(*, actor, case: Case, paid_on: dt.date, expected_version: int | None = None) -> Subsidy:
    """Art. 52: the lawyer's subsidy is paid; it goes on the payment list of `paid_on`'s month."""
    _require(actor, Capability.AID_SUBSIDY)
    case, to = _locked(case, action="pay_subsidy", expected_version=expected_version,
                       check=lambda c: _check_staff(actor, c, Capability.AID_SUBSIDY))
    paid_on = _past_date(paid_on, field="paid_on", message=_("Enter the day the subsidy was paid."))
    subsidy = Subsidy.objects.select_for_update().filter(case=case).first()
    if subsidy is None or subsidy.status != SubsidyStatus.CALCULATED:
        raise ApplicationError(_("There is no subsidy to pay for this case: it was withheld or not computed."),
                               code="no_subsidy_to_pay", status=409)
    subsidy.status, subsidy.paid_on, subsidy.paid_by = SubsidyStatus.PAID, paid_on, _user(actor)
    subsidy.month = f"{paid_on:%Y-%m}"
    subsidy.save(update_fields=["status", "paid_on", "paid_by", "month"])
    case.subsidy_due = None
    _move(case, to=to, actor=actor, kind="subsidy_paid",
          data={"amount": str(subsidy.amount), "paid_on": paid_on.isoformat(), "month": subsidy.month},
          fields=("subsidy_due",))
    return subsidy


# --- termination and objection -------------------------------------------------------------

@transaction.atomic
def case_terminate(*, actor, case: Case, ground: str, report: str, expected_version: int | None = None) -> Case:
    """Art. 48: the centre ends legal aid on one of the grounds T1–T8, on the lawyer's report."""
    _require(actor, Capability.AID_DECIDE)
    if ground not in Termination.values:
        raise ApplicationError(_("Choose the ground for ending legal aid."), code="ground_invalid", field="ground")
    report = _text(report, field="report", message=_("Enter the lawyer's report and the reasons for ending aid."))
    case, to = _locked(case, action="terminate", expected_version=expected_version,
                       check=lambda c: _check_staff(actor, c, Capability.AID_DECIDE))
    record = TerminationRecord.objects.create(case=case, ground=ground, report=report, decided_at=timezone.now(),
                                              decided_by=_user(actor))
    return _move(case, to=to, actor=actor, kind="terminated", note=report,
                 data={"ground": ground, "termination": record.pk})


@transaction.atomic
def termination_objection_file(*, actor, case: Case, reasons: str,
                               expected_version: int | None = None) -> Objection:
    """Art. 49: the aided person objects to the termination; the justice bureau decides within 5 days."""
    _require(actor, Capability.AID_INTAKE)
    reasons = _text(reasons, field="reasons", message=_("Write down what the aided person objects to."))
    case, to = _locked(case, action="object_termination", expected_version=expected_version,
                       check=lambda c: _check_staff(actor, c, Capability.AID_INTAKE))
    now = timezone.now()
    objection = Objection.objects.create(
        application=case.application, kind=ObjectionKind.TERMINATION, filed_at=now, reasons=reasons,
        recorded_by=_user(actor),
        due=due_date(start=timezone.localdate(now), days=OBJECTION_DAYS, calendar=legal_calendar()).due,
    )
    _move(case, to=to, actor=actor, kind="termination_objection_filed", note=reasons,
          data={"objection": objection.pk, "due": objection.due.isoformat()})
    return objection


@transaction.atomic
def termination_objection_decide(*, actor, objection: Objection, correct: bool, reasons: str,
                                 expected_version: int | None = None) -> Case:
    """Uphold the termination, or order it corrected (the case is handled again).

    `expected_version` is the case's version the decider saw.
    """
    _require(actor, Capability.AID_OBJECTION)
    reasons = _text(reasons, field="reasons", message=_("Give the reasons for the decision on the objection."))
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.kind != ObjectionKind.TERMINATION:
        raise ApplicationError(_("This objection is not about a termination."), code="objection_kind_invalid")
    if objection.status != ObjectionStatus.PENDING:
        raise ConflictError(_("This objection has already been decided."), code="objection_decided")
    case = Case.objects.get(application_id=objection.application_id)
    case, to = _locked(case, action="termination_corrected" if correct else "termination_upheld",
                       expected_version=expected_version,
                       check=lambda c: _check_staff(actor, c, Capability.AID_OBJECTION))
    objection.status = ObjectionStatus.CORRECTED if correct else ObjectionStatus.UPHELD
    objection.decided_at, objection.decided_by, objection.decision_reasons = timezone.now(), _user(actor), reasons
    objection.save(update_fields=["status", "decided_at", "decided_by", "decision_reasons"])
    return _move(case, to=to, actor=actor,
                 kind="termination_corrected" if correct else "termination_upheld", note=reasons,
                 data={"objection": objection.pk})
