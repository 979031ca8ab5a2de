"""Writes for case quality: publish a scheme version, record an evaluation, grade a case, draw a
sample, open and close supervision tickets, and reduce the subsidy of an unqualified case.

Every service is atomic and writes an audit row. Who may act, for now (see docs/quality.md):
publishing a scheme needs QUALITY_SCHEMES; evaluating, grading and sampling need QUALITY_EVALUATE (the
evaluator's capability) and the case in the actor's region; a ticket is closed by its owner or
by an evaluator of the region.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import secrets
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from open12348.accounts.permissions import user_can
from open12348.accounts.roles import Capability
from open12348.accounts.scope import region_paths_for, restrict_to_regions
from open12348.audit.services import audit_record
from open12348.core.calendar import due_date
from open12348.core.calendar_store import legal_calendar
from open12348.core.errors import ApplicationError
from open12348.legalaid.choices import CaseStatus, ProgressKind, SubsidyStatus
from open12348.legalaid.models import Case, ProgressEntry, Subsidy, SubsidyStandard
from open12348.legalaid.services_cases import case_mark_evaluated
from open12348.notifications.services import notify

from .choices import GRADE_ORDER, ContactMode, Grade, Method, Organ, TicketReason, TicketStatus
from .models import CaseGrade, Evaluation, ObservationPlan, Sample, SampleCase, Scheme, SchemeItem, Ticket
from .schemes import DEFAULT_BANDS

EVALUATOR = Capability.QUALITY_EVALUATE
# Statuses from which a grade completes the case (legalaid workflow: "evaluate").
CASE_EVALUABLE = frozenset({CaseStatus.ARCHIVED, CaseStatus.SUBSIDY_PAID})
SCHEME_ADMIN = Capability.QUALITY_SCHEMES
# A file can be reviewed once the lawyer has submitted the closing file.
REVIEWABLE = frozenset({CaseStatus.CLOSED, CaseStatus.ARCHIVED, CaseStatus.SUBSIDY_PAID, CaseStatus.EVALUATED})
SAMPLED = REVIEWABLE
# How much each method counts in the case's score (docs/quality.md, "The grade rule").
METHOD_WEIGHTS = {Method.FILE_REVIEW: Decimal(5), Method.HEARING: Decimal(3), Method.OPINION: Decimal(1),
                  Method.FOLLOW_UP: Decimal(1)}
TICKET_DAYS = 15  # legal days to correct an unqualified case
UNQUALIFIED_REASON = TicketReason.UNQUALIFIED
CENT = Decimal("0.01")


# --- helpers -------------------------------------------------------------------------------

def user_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _forbidden() -> ApplicationError:
    return ApplicationError(_("You are not allowed to do this."), code="forbidden", status=403)


def require(actor, capability: str) -> None:
    if not user_can(actor, capability):
        raise _forbidden()


def in_scope(actor, region) -> bool:
    paths = region_paths_for(actor)
    return paths is None or any(region.path.startswith(p) for p in paths)


def _not_found() -> ApplicationError:
    return ApplicationError(_("This case does not exist or is not yours."), code="not_found", status=404)


def check_case(actor, case: Case) -> None:
    require(actor, EVALUATOR)
    if not in_scope(actor, case.region):
        raise _not_found()


def _check_evaluator_of(actor, case: Case, sample: Sample | None) -> None:
    """Who may record a check: in a peer-review sample only the reviewer assigned to the case (who
    comes from another county, so may be outside the case's region); otherwise an evaluator of the
    case's region."""
    if sample is None or not sample.peer_review:
        check_case(actor, case)
        return
    require(actor, EVALUATOR)
    entry = SampleCase.objects.filter(sample=sample, case=case).first()
    if entry is None:
        raise ApplicationError(_("This case is not in the sample."), code="not_in_sample", field="sample")
    if entry.reviewer_id is None or user_or_none(actor) is None or entry.reviewer_id != actor.pk:
        if not in_scope(actor, case.region):
            raise _not_found()
        raise ApplicationError(_("In a peer review only the reviewer assigned to the case records its checks."),
                               code="not_assigned_reviewer", status=403)


def required_text(value: str | None, *, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ApplicationError(message, code="required", field=field)
    return value


def _quantize(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# --- schemes --------------------------------------------------------------------------------

def _check_bands(bands: Any) -> list[dict]:
    message = _("Give a lowest score from 0 to 100 for each of the grades 优秀, 良好, 合格 and 不合格, "
                "best grade highest.")
    if not isinstance(bands, list) or [b.get("grade") if isinstance(b, dict) else None for b in bands] != \
            [str(g) for g in GRADE_ORDER]:
        raise ApplicationError(message, code="bands_invalid", field="bands")
    mins = []
    for band in bands:
        value = band.get("min")
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 100:
            raise ApplicationError(message, code="bands_invalid", field="bands")
        mins.append(value)
    if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins) or mins[-1] != 0:
        raise ApplicationError(message, code="bands_invalid", field="bands")
    return [{"grade": b["grade"], "min": b["min"]} for b in bands]


def _check_items(items: Any) -> list[dict]:
    if not isinstance(items, list) or not items:
        raise ApplicationError(_("A scheme needs at least one item."), code="items_required", field="items")
    clean, seen = [], set()
    for item in items:
        code = str(item.get("code", "")).strip()
        title = str(item.get("title", "")).strip()
        weight = item.get("weight")
        methods = item.get("methods") or []
        if not code or not title:
            raise ApplicationError(_("Every item needs a code and a title."), code="item_invalid", field="items")
        if code in seen:
            raise ApplicationError(_("The item %(code)s appears twice.") % {"code": code},
                                   code="item_duplicate", field="items")
        if isinstance(weight, bool) or not isinstance(weight, int) or weight <= 0:
            raise ApplicationError(_("The weight of item %(code)s must be a whole number above 0.") % {"code": code},
                                   code="item_weight_invalid", field="items")
        if not methods or any(m not in Method.values for m in methods):
            raise ApplicationError(
                _("Say which checks score item %(code)s: file review, hearing observation, follow-up or "
                  "opinion.") % {"code": code}, code="item_methods_invalid", field="items")
        seen.add(code)
        clean.append({"code": code, "title": title, "weight": weight, "levels": item.get("levels") or {},
                      "methods": list(dict.fromkeys(methods))})
    total = sum(i["weight"] for i in clean)
    if total != 100:
        raise ApplicationError(_("The item weights add up to %(total)s; they must add up to 100.") % {"total": total},
                               code="weights_not_100", field="items")
    return clean


@transaction.atomic
def scheme_publish(*, actor, data: dict) -> Scheme:
    """Publish a new version of the scheme `data["code"]` (and stage). Older versions stay as they
    were, so evaluations recorded against them keep their meaning."""
    require(actor, SCHEME_ADMIN)
    code = required_text(data.get("code"), field="code", message=_("Say which scheme this is."))
    category = required_text(data.get("category"), field="category", message=_("Choose the case category."))
    title = required_text(data.get("title"), field="title", message=_("Give the scheme a title."))
    stage = (data.get("stage") or "").strip()
    bands = _check_bands(data.get("bands") or [dict(b) for b in DEFAULT_BANDS])
    items = _check_items(data.get("items"))
    effective_from = data.get("effective_from") or timezone.localdate()
    if isinstance(effective_from, str):
        try:
            effective_from = dt.date.fromisoformat(effective_from)
        except ValueError:
            raise ApplicationError(_("Enter the date the scheme takes effect as YYYY-MM-DD."),
                                   code="date_invalid", field="effective_from") from None
    previous = list(Scheme.objects.select_for_update().filter(code=code, stage=stage))
    version = max((s.version for s in previous), default=0) + 1
    Scheme.objects.filter(code=code, stage=stage, is_current=True).update(is_current=False)
    scheme = Scheme.objects.create(code=code, category=category, stage=stage, version=version, is_current=True,
                                   title=title, bands=bands, effective_from=effective_from,
                                   published_by=user_or_none(actor))
    SchemeItem.objects.bulk_create([
        SchemeItem(scheme=scheme, position=n, **item) for n, item in enumerate(items)
    ])
    audit_record(actor=actor, action="quality.scheme_publish", obj=scheme,
                 changes={"after": {"version": version, "bands": bands, "items": items}})
    return scheme


def scheme_code_for(case: Case) -> str:
    """Which scheme family applies: by the form of aid for criminal cases, else by category."""
    aid_form = case.application.aid_form
    if aid_form == "duty_lawyer":
        return "duty_lawyer"
    if aid_form == "criminal_representation":
        return "victim_representation"
    if case.category == "criminal":
        return "criminal_defence"
    return case.category


def scheme_current_for(case: Case) -> Scheme:
    code = scheme_code_for(case)
    schemes = {s.stage: s for s in Scheme.objects.filter(code=code, is_current=True, stage__in=[case.stage, ""])}
    scheme = schemes.get(case.stage) or schemes.get("")
    if scheme is None:
        raise ApplicationError(_("No evaluation scheme is in force for this kind of case. Ask the administrator "
                                 "to publish one."), code="no_scheme")
    return scheme


# --- evaluation records ------------------------------------------------------------------------

def _scores(scheme: Scheme, method: str, scores: dict | None) -> tuple[dict[str, int], Decimal | None]:
    """Check the item scores against the scheme version; return them and their weighted mean."""
    items = [i for i in scheme.items.all() if method in i.methods]
    scores = dict(scores or {})
    unknown = sorted(set(scores) - {i.code for i in items})
    if unknown:
        raise ApplicationError(
            _("These items are not scored by this check in this scheme version: %(items)s.")
            % {"items": ", ".join(unknown)}, code="item_unknown", field="scores")
    missing = [i.title for i in items if i.code not in scores]
    if missing:
        raise ApplicationError(_("Score every item: %(items)s.") % {"items": "、".join(missing)},
                               code="item_missing", field="scores")
    clean = {}
    for item in items:
        value = scores[item.code]
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            raise ApplicationError(_("The score of %(item)s must be a whole number from 0 to 100.")
                                   % {"item": item.title}, code="score_invalid", field="scores")
        clean[item.code] = value
    if not items:
        return clean, None
    total_weight = sum(i.weight for i in items)
    weighted = sum(Decimal(clean[i.code]) * i.weight for i in items)
    return clean, _quantize(weighted / total_weight)


def _check_method_details(*, case: Case, method: str, hearing, contact_mode: str, satisfaction,
                          organ: str, organ_reply: str) -> None:
    if method == Method.FILE_REVIEW and case.status not in REVIEWABLE:
        raise ApplicationError(_("A file can be reviewed only after the closing file was submitted."),
                               code="file_not_closed", field="method", status=409)
    if method == Method.HEARING and (hearing is None or hearing.case_id != case.pk
                                     or hearing.kind != ProgressKind.HEARING):
        raise ApplicationError(_("Choose the hearing of this case that was observed."),
                               code="hearing_required", field="hearing")
    if method == Method.FOLLOW_UP:
        if contact_mode not in ContactMode.values:
            raise ApplicationError(_("Say whether the aided person was telephoned or visited."),
                                   code="contact_mode_required", field="contact_mode")
        if isinstance(satisfaction, bool) or not isinstance(satisfaction, int) or not 1 <= satisfaction <= 5:
            raise ApplicationError(_("Record the aided person's satisfaction from 1 to 5."),
                                   code="satisfaction_invalid", field="satisfaction")
    if method == Method.OPINION:
        if organ not in Organ.values:
            raise ApplicationError(_("Choose the court, procuratorate or police that was asked."),
                                   code="organ_required", field="organ")
        required_text(organ_reply, field="organ_reply", message=_("Record the reply that was received."))


@transaction.atomic
def evaluation_record(*, actor, case: Case, method: str, scheme_version: Scheme | None = None,
                      scores: dict | None = None, evaluated_on: dt.date | None = None, comments: str = "",
                      evidence: str = "", sample: Sample | None = None, hearing: ProgressEntry | None = None,
                      contact_mode: str = "", satisfaction: int | None = None, lawyer_met_client: bool | None = None,
                      risks_explained: bool | None = None, money_asked: bool | None = None, organ: str = "",
                      organ_reply: str = "") -> Evaluation:
    """Record one check of a case (Art. 59) against a scheme version (default: the current one)."""
    _check_evaluator_of(actor, case, sample)
    if method not in Method.values:
        raise ApplicationError(_("Choose how the case was checked."), code="method_invalid", field="method")
    case = Case.objects.select_related("application", "region").get(pk=case.pk)
    scheme = scheme_version or scheme_current_for(case)
    if scheme.code != scheme_code_for(case):
        raise ApplicationError(_("This scheme is not for this kind of case."), code="scheme_mismatch",
                               field="scheme_version")
    today = timezone.localdate()
    evaluated_on = evaluated_on or today
    if evaluated_on > today:
        raise ApplicationError(_("The date of the check cannot be in the future."), code="date_future",
                               field="evaluated_on")
    _check_method_details(case=case, method=method, hearing=hearing, contact_mode=contact_mode,
                          satisfaction=satisfaction, organ=organ, organ_reply=organ_reply)
    clean, score = _scores(scheme, method, scores)
    follow_up = method == Method.FOLLOW_UP
    evaluation = Evaluation.objects.create(
        case=case, scheme=scheme, method=method, evaluator=user_or_none(actor), evaluated_on=evaluated_on,
        item_scores=clean, score=score, comments=(comments or "").strip(), evidence=(evidence or "").strip(),
        sample=sample, hearing=hearing if method == Method.HEARING else None,
        contact_mode=contact_mode if follow_up else "", satisfaction=satisfaction if follow_up else None,
        lawyer_met_client=lawyer_met_client if follow_up else None,
        risks_explained=risks_explained if follow_up else None, money_asked=money_asked if follow_up else None,
        organ=organ if method == Method.OPINION else "",
        organ_reply=(organ_reply or "").strip() if method == Method.OPINION else "",
    )
    if hearing is not None and method == Method.HEARING and user_or_none(actor) is not None:
        ObservationPlan.objects.filter(hearing=hearing, observer=actor, evaluation__isnull=True).update(
            evaluation=evaluation)
    audit_record(actor=actor, action="quality.evaluation_record", obj=evaluation,
                 extra={"case": case.pk, "method": method, "scheme": scheme.pk, "score": score,
                        "money_asked": bool(evaluation.money_asked)})
    return evaluation


# --- the grade --------------------------------------------------------------------------------

def grade_for(*, score: Decimal, bands: list[dict]) -> str:
    for band in bands:
        if score >= Decimal(str(band["min"])):
            return band["grade"]
    return Grade.UNQUALIFIED


def grade_combine(evaluations: list[Evaluation]) -> tuple[Decimal, str, dict]:
    """The grade rule (docs/quality.md): average each method's scores, take the weighted mean of the
    methods present (file review 5, hearing 3, opinion 1, follow-up 1), grade it by the bands of the
    latest scored record's scheme version, then cap at 合格 if a follow-up found the lawyer asked for
    money (Art. 20) and at 不合格 if the aided person said the lawyer never met them."""
    scored = [e for e in evaluations if e.score is not None]
    if not scored:
        raise ApplicationError(_("The case has no scored check yet: review the file or observe a hearing first."),
                               code="no_scores")
    by_method: dict[str, list[Decimal]] = {}
    for evaluation in scored:
        by_method.setdefault(evaluation.method, []).append(evaluation.score)
    means = {m: sum(v) / len(v) for m, v in by_method.items()}
    weight = sum(METHOD_WEIGHTS[m] for m in means)
    score = _quantize(sum(means[m] * METHOD_WEIGHTS[m] for m in means) / weight)
    latest = max(scored, key=lambda e: (e.evaluated_on, e.pk))
    grade = from_bands = grade_for(score=score, bands=latest.scheme.bands)
    caps = []
    if any(e.money_asked for e in evaluations):
        caps.append(("money_asked", Grade.QUALIFIED))
    if any(e.lawyer_met_client is False for e in evaluations):
        caps.append(("never_met", Grade.UNQUALIFIED))
    for _reason, cap in caps:
        if GRADE_ORDER.index(cap) > GRADE_ORDER.index(grade):
            grade = cap
    detail = {"methods": {m: str(_quantize(v)) for m, v in means.items()},
              "weights": {m: str(METHOD_WEIGHTS[m]) for m in means}, "bands_of": latest.scheme_id,
              "from_bands": str(from_bands), "caps": [r for r, _c in caps],
              "evaluations": sorted(e.pk for e in evaluations)}
    return score, str(grade), detail


@transaction.atomic
def case_grade(*, actor, case: Case) -> CaseGrade:
    """Combine the case's evaluation records into its grade. An unqualified grade opens a supervision
    ticket for the lawyer and reduces a subsidy not yet paid."""
    check_case(actor, case)
    case = Case.objects.select_for_update(of=("self",)).select_related("region").get(pk=case.pk)
    evaluations = list(Evaluation.objects.filter(case=case).select_related("scheme"))
    score, grade, detail = grade_combine(evaluations)
    before = CaseGrade.objects.filter(case=case).values("score", "grade").first()
    record, _created = CaseGrade.objects.update_or_create(case=case, defaults={
        "score": score, "grade": grade, "detail": detail, "graded_at": timezone.now(), "graded_by": user_or_none(actor)})
    audit_record(actor=actor, action="quality.case_grade", obj=record,
                 changes={"before": before or {}, "after": {"score": score, "grade": grade}}, extra=detail)
    if grade == Grade.UNQUALIFIED:
        low = sorted({code for e in evaluations for code, v in e.item_scores.items() if v < 60})
        correction = _("Correct the shortcomings found by the quality check")
        if low:
            correction += _(" (items scored below 60: %(items)s)") % {"items": ", ".join(low)}
        if "money_asked" in detail["caps"]:
            correction += _("; return any money taken from the aided person")
        if not Ticket.objects.filter(case=case, reason=UNQUALIFIED_REASON, status=TicketStatus.OPEN).exists():
            ticket_open(actor=actor, case=case, reason=UNQUALIFIED_REASON, owner=case.lawyer_user,
                        correction=correction + ".")
        subsidy_reduce_for_quality(actor=actor, case=case, grade=record)
    if case.status in CASE_EVALUABLE:  # an archived case ends its life here; an open one is graded again later
        case_mark_evaluated(actor=actor, case=case, grade=grade)
    return record


# --- supervision tickets ---------------------------------------------------------------------

@transaction.atomic
def ticket_open(*, actor, case: Case, reason: str, owner, correction: str,
                deadline: dt.date | None = None, complaint: str = "") -> Ticket:
    check_case(actor, case)
    if reason not in TicketReason.values:
        raise ApplicationError(_("Say why the ticket is opened."), code="reason_invalid", field="reason")
    correction = required_text(correction, field="correction", message=_("Say what must be corrected."))
    if reason == TicketReason.COMPLAINT:
        complaint = required_text(complaint, field="complaint", message=_("Write down the complaint."))
    if Ticket.objects.filter(case=case, reason=reason, status=TicketStatus.OPEN).exists():
        raise ApplicationError(_("A ticket for the same reason is already open on this case."),
                               code="ticket_open", status=409)
    today = timezone.localdate()
    deadline = deadline or due_date(start=today, days=TICKET_DAYS, calendar=legal_calendar()).due
    if deadline < today:
        raise ApplicationError(_("The deadline cannot be in the past."), code="date_past", field="deadline")
    ticket = Ticket.objects.create(case=case, reason=reason, owner=owner, correction=correction, deadline=deadline,
                                   opened_by=user_or_none(actor), complaint=(complaint or "").strip(),
                                   opened_at=timezone.now())
    audit_record(actor=actor, action="quality.ticket_open", obj=ticket,
                 extra={"case": case.pk, "owner": getattr(owner, "pk", None), "deadline": deadline})
    if owner is not None:
        notify(recipient=owner, kind="quality.ticket_open", actor=actor, obj=ticket,
               title=_("Quality supervision: correct case %(case)s by %(day)s")
               % {"case": case.number, "day": deadline.isoformat()},
               body=correction, url=reverse("quality:ticket", args=[ticket.pk]),
               dedupe_key=f"quality.ticket:{ticket.pk}:opened")
    return ticket


@transaction.atomic
def ticket_close(*, actor, ticket: Ticket, evidence: str) -> Ticket:
    """Close a ticket: only its owner or an evaluator of the case's region, and only with evidence."""
    ticket = Ticket.objects.select_for_update(of=("self",)).select_related("case__region").get(pk=ticket.pk)
    is_owner = user_or_none(actor) is not None and ticket.owner_id == actor.pk
    if not is_owner:
        check_case(actor, ticket.case)
    if ticket.status != TicketStatus.OPEN:
        raise ApplicationError(_("This ticket is already closed."), code="ticket_closed", status=409)
    ticket.evidence = required_text(evidence, field="evidence",
                            message=_("Describe the evidence that the problem was corrected."))
    ticket.status, ticket.closed_at, ticket.closed_by = TicketStatus.CLOSED, timezone.now(), user_or_none(actor)
    ticket.save(update_fields=["evidence", "status", "closed_at", "closed_by"])
    audit_record(actor=actor, action="quality.ticket_close", obj=ticket,
                 changes={"before": {"status": TicketStatus.OPEN}, "after": {"status": TicketStatus.CLOSED}},
                 extra={"evidence": ticket.evidence})
    return ticket


# --- the subsidy ---------------------------------------------------------------------------------

def subsidy_reduce_for_quality(*, actor, case: Case, grade: CaseGrade) -> Subsidy | None:
    """An unqualified grade pays only the standard's `unqualified_factor` share of a subsidy not yet
    paid (0: withheld). Once per subsidy: a file already rated 不合格 at archiving was reduced then."""
    subsidy = Subsidy.objects.select_for_update().filter(case=case).first()
    if subsidy is None or subsidy.status == SubsidyStatus.PAID or grade.grade != Grade.UNQUALIFIED:
        return None
    computation = dict(subsidy.computation)
    if computation.get("quality") or Decimal(computation.get("factor", "1")) != 1:
        return None
    standard = SubsidyStandard.objects.filter(pk=computation.get("standard")).first()
    if standard is None:
        return None
    factor = standard.unqualified_factor
    before = {"amount": str(subsidy.amount), "status": subsidy.status}
    subsidy.amount = _quantize(subsidy.amount * factor)
    subsidy.status = SubsidyStatus.WITHHELD if factor == 0 else subsidy.status
    computation["quality"] = {"grade": grade.grade, "score": str(grade.score), "factor": str(factor),
                              "amount_before": before["amount"], "at": timezone.now().isoformat()}
    subsidy.computation = computation
    subsidy.save(update_fields=["amount", "status", "computation"])
    audit_record(actor=actor, action="quality.subsidy_reduce", obj=subsidy,
                 changes={"before": before, "after": {"amount": str(subsidy.amount), "status": subsidy.status}},
                 extra={"case": case.pk, "factor": str(factor)})
    return subsidy


# --- sampling ------------------------------------------------------------------------------------

def _rate(rate) -> Decimal:
    try:
        value = Decimal(str(rate))
    except InvalidOperation:
        value = Decimal(-1)
    if not Decimal(0) < value <= Decimal(1):
        raise ApplicationError(_("The sampling rate must be above 0 and at most 1 (for example 0.1 for 10%)."),
                               code="rate_invalid", field="rate")
    return value


def sample_pick(*, cases: list[tuple[int, str, int | None]], rate: Decimal, min_per_lawyer: int,
                seed: int) -> list[tuple[int, str, bool]]:
    """Pure draw: `cases` are (case id, category, lawyer id). Per category, ceil(rate × n) cases at
    random; then each lawyer with fewer than `min_per_lawyer` picked gets more of their own cases.
    The same arguments always give the same answer."""
    rng = random.Random(seed)
    picked: dict[int, tuple[str, bool]] = {}
    strata: dict[str, list[int]] = {}
    for case_id, category, _lawyer in sorted(cases):
        strata.setdefault(category, []).append(case_id)
    for category in sorted(strata):
        ids = strata[category]
        for case_id in rng.sample(ids, min(len(ids), math.ceil(rate * len(ids)))):
            picked[case_id] = (category, False)
    by_lawyer: dict[int, list[tuple[int, str]]] = {}
    for case_id, category, lawyer in sorted(cases):
        if lawyer is not None:
            by_lawyer.setdefault(lawyer, []).append((case_id, category))
    for lawyer in sorted(by_lawyer):
        own = by_lawyer[lawyer]
        short = min_per_lawyer - sum(1 for case_id, _c in own if case_id in picked)
        rest = [entry for entry in own if entry[0] not in picked]
        for case_id, category in rng.sample(rest, max(0, min(short, len(rest)))):
            picked[case_id] = (category, True)
    return sorted((case_id, category, extra) for case_id, (category, extra) in picked.items())


@transaction.atomic
def sample_draw(*, actor, centre_ids: list[int], period_start: dt.date, period_end: dt.date, rate,
                min_per_lawyer: int = 1, seed: int | None = None, peer_review: bool = False) -> Sample:
    """Draw closed cases of the centres whose closing file was submitted in the period, stratified by
    category, with at least `min_per_lawyer` per lawyer who has cases. The seed is recorded so the
    draw can be repeated and checked; without one a random seed is chosen."""
    require(actor, EVALUATOR)
    rate = _rate(rate)
    if not centre_ids:
        raise ApplicationError(_("Choose at least one legal aid centre."), code="centres_required",
                               field="centre_ids")
    if period_end < period_start:
        raise ApplicationError(_("The end of the period is before its start."), code="period_invalid",
                               field="period_end")
    if isinstance(min_per_lawyer, bool) or not isinstance(min_per_lawyer, int) or min_per_lawyer < 0:
        raise ApplicationError(_("The minimum per lawyer must be 0 or more."), code="min_invalid",
                               field="min_per_lawyer")
    seed = seed if seed is not None else secrets.randbelow(2**62)
    pool = list(restrict_to_regions(Case.objects.filter(
        centre_id__in=centre_ids, status__in=SAMPLED,
        closed_at__date__gte=period_start, closed_at__date__lte=period_end), user=actor)
        .values_list("pk", "category", "lawyer_id"))
    picks = sample_pick(cases=pool, rate=rate,
                        min_per_lawyer=min_per_lawyer, seed=seed)
    sample = Sample.objects.create(centre_ids=sorted(centre_ids), period_start=period_start, period_end=period_end,
                                   rate=rate, min_per_lawyer=min_per_lawyer, seed=seed, drawn_by=user_or_none(actor),
                                   peer_review=bool(peer_review))
    SampleCase.objects.bulk_create([SampleCase(sample=sample, case_id=case_id, stratum=category,
                                               for_lawyer_minimum=extra) for case_id, category, extra in picks])
    audit_record(actor=actor, action="quality.sample_draw", obj=sample,
                 extra={"seed": seed, "rate": str(rate), "pool": len(pool), "cases": [p[0] for p in picks],
                        "peer_review": bool(peer_review)})
    return sample


