"""Writes for the checks around a case: peer reviewers for a sample, hearing observation plans,
letters asking the judicial organs for their opinion, complaints, and escalation of overdue
supervision tickets. Same rules as services.py: atomic, audited, keyword-only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from open12348.accounts.models import Membership
from open12348.accounts.permissions import user_can
from open12348.accounts.roles import Role
from open12348.audit.services import audit_record
from open12348.core.calendar import due_date
from open12348.core.calendar_store import legal_calendar
from open12348.core.errors import ApplicationError
from open12348.legalaid.choices import ProgressKind
from open12348.legalaid.models import Case, CentreProfile, ProgressEntry
from open12348.legalaid.services import sequence_next
from open12348.notifications.services import notify

from .choices import Organ, TicketReason, TicketStatus
from .models import Evaluation, ObservationPlan, OpinionLetter, Sample, SampleCase, Ticket
from .services import (
    EVALUATOR,
    check_case,
    evaluation_record,
    require,
    required_text,
    ticket_open,
    user_or_none,
)

LETTER_REPLY_DAYS = 15  # legal days the organ is asked to reply within


# --- peer review ---------------------------------------------------------------------------------

def _home_paths(user) -> list[str]:
    return sorted(set(Membership.objects.filter(user=user, is_active=True)
                      .values_list("institution__region__path", flat=True)))


def peer_assign(*, cases: Sequence[tuple[int, str]], reviewers: Sequence[tuple[int, Sequence[str]]]) -> dict[int, int]:
    """Pure assignment: `cases` are (case id, the case's region path), `reviewers` are (user id, the
    region paths the reviewer works in). A reviewer never gets a case of their own region (their
    region inside the case's one: the same county, or a township of it); among the others, the one
    with the fewest cases so far takes it (ties: the lowest id), so the work is shared evenly and
    the same input always gives the same answer. Cases nobody may review are left out."""
    load = {reviewer: 0 for reviewer, _paths in reviewers}
    assignment: dict[int, int] = {}
    for case_id, case_path in sorted(cases):
        eligible = [reviewer for reviewer, paths in sorted(reviewers)
                    if paths and not any(path.startswith(case_path) for path in paths)]
        if not eligible:
            continue
        chosen = min(eligible, key=lambda reviewer: (load[reviewer], reviewer))
        assignment[case_id] = chosen
        load[chosen] += 1
    return assignment


@transaction.atomic
def sample_assign_peers(*, actor, sample: Sample, reviewers: Iterable) -> Sample:
    """Give each case of a peer-review sample to an evaluator from another county (SF/T 0085), so that
    nobody reviews their own county's work. Every case must find a reviewer; otherwise nothing is
    assigned and the message says which cases lack one."""
    require(actor, EVALUATOR)
    sample = Sample.objects.select_for_update().get(pk=sample.pk)
    if not sample.peer_review:
        raise ApplicationError(_("This sample was not drawn for peer review."), code="not_peer_review",
                               field="sample", status=409)
    reviewers = list(dict.fromkeys(reviewers))
    if not reviewers:
        raise ApplicationError(_("Choose the evaluators who will review."), code="reviewers_required",
                               field="reviewers")
    for reviewer in reviewers:
        if not user_can(reviewer, EVALUATOR):
            raise ApplicationError(_("%(name)s is not a quality evaluator.") % {"name": reviewer.get_full_name()
                                                                              or reviewer.username},
                                   code="reviewer_not_evaluator", field="reviewers")
    entries = list(SampleCase.objects.filter(sample=sample).select_related("case__region"))
    cases = [(entry.case_id, entry.case.region.path) for entry in entries]
    assignment = peer_assign(cases=cases, reviewers=[(r.pk, _home_paths(r)) for r in reviewers])
    missing = [entry.case.number for entry in entries if entry.case_id not in assignment]
    if missing:
        raise ApplicationError(
            _("No chosen evaluator is from outside the county of these cases: %(cases)s. Add an evaluator "
              "from another county.") % {"cases": "、".join(missing)}, code="no_peer", field="reviewers")
    for entry in entries:
        entry.reviewer_id = assignment[entry.case_id]
    SampleCase.objects.bulk_update(entries, ["reviewer"])
    audit_record(actor=actor, action="quality.sample_assign_peers", obj=sample,
                 extra={"assignment": {str(k): v for k, v in sorted(assignment.items())}})
    by_reviewer: dict[int, int] = {}
    for reviewer_id in assignment.values():
        by_reviewer[reviewer_id] = by_reviewer.get(reviewer_id, 0) + 1
    for reviewer in reviewers:
        if reviewer.pk in by_reviewer:
            notify(recipient=reviewer, kind="quality.peer_review", actor=actor, obj=sample,
                   title=_("You have %(count)d cases to peer review") % {"count": by_reviewer[reviewer.pk]},
                   dedupe_key=f"quality.sample:{sample.pk}:peer:{reviewer.pk}")
    return sample


# --- hearing observation -------------------------------------------------------------------------

@transaction.atomic
def observation_plan(*, actor, hearing: ProgressEntry, observer=None) -> ObservationPlan:
    """Plan to attend a hearing a lawyer recorded (庭审旁听). The observer defaults to the actor."""
    hearing = ProgressEntry.objects.select_related("case__region").get(pk=hearing.pk)
    check_case(actor, hearing.case)
    if hearing.kind != ProgressKind.HEARING or hearing.hearing_at is None:
        raise ApplicationError(_("Choose a hearing with its date and time."), code="hearing_required",
                               field="hearing")
    observer = observer or actor
    if not user_can(observer, EVALUATOR):
        raise ApplicationError(_("The observer must be a quality evaluator."), code="observer_not_evaluator",
                               field="observer")
    plan, created = ObservationPlan.objects.get_or_create(hearing=hearing, observer=observer,
                                                          defaults={"planned_by": user_or_none(actor)})
    if created:
        audit_record(actor=actor, action="quality.observation_plan", obj=plan,
                     extra={"case": hearing.case_id, "hearing_at": hearing.hearing_at, "observer": observer.pk})
        if observer.pk != getattr(actor, "pk", None):
            notify(recipient=observer, kind="quality.observation", actor=actor, obj=plan,
                   title=_("Hearing to observe on %(when)s") % {
                       "when": timezone.localtime(hearing.hearing_at).strftime("%Y-%m-%d %H:%M")},
                   dedupe_key=f"quality.observation:{plan.pk}")
    return plan


@transaction.atomic
def observation_cancel(*, actor, plan: ObservationPlan) -> None:
    plan = ObservationPlan.objects.select_for_update(of=("self",)).select_related("hearing__case__region").get(pk=plan.pk)
    check_case(actor, plan.hearing.case)
    if plan.evaluation_id is not None:
        raise ApplicationError(_("The hearing was observed already; the record stays."), code="observed",
                               status=409)
    audit_record(actor=actor, action="quality.observation_cancel", obj=plan, extra={"hearing": plan.hearing_id})
    plan.delete()


# --- letters asking for an opinion ---------------------------------------------------------------

@transaction.atomic
def opinion_letter_send(*, actor, case: Case, organ: str, organ_name: str, reply_days: int = LETTER_REPLY_DAYS,
                        sent_on: dt.date | None = None) -> OpinionLetter:
    """Number and date a letter asking the court, procuratorate or police about the lawyer's work."""
    case = Case.objects.select_related("region", "centre").get(pk=case.pk)
    check_case(actor, case)
    if organ not in Organ.values:
        raise ApplicationError(_("Choose the court, procuratorate or police to ask."), code="organ_required",
                               field="organ")
    organ_name = required_text(organ_name, field="organ_name", message=_("Give the name of the organ, as on its seal."))
    if isinstance(reply_days, bool) or not isinstance(reply_days, int) or not 1 <= reply_days <= 60:
        raise ApplicationError(_("Ask for a reply within 1 to 60 working days."), code="reply_days_invalid",
                               field="reply_days")
    sent_on = sent_on or timezone.localdate()
    reply_due = due_date(start=sent_on, days=reply_days, calendar=legal_calendar()).due
    serial = sequence_next(centre=case.centre, year=sent_on.year, kind="quality_letter")
    profile = CentreProfile.objects.filter(centre=case.centre).first()
    prefix = profile.number_prefix if profile else _("Legal aid")
    letter = OpinionLetter.objects.create(
        case=case, number=f"{prefix}质询〔{sent_on.year}〕第{serial:03d}号",
        organ=organ, organ_name=organ_name, sent_on=sent_on, reply_due=reply_due, created_by=user_or_none(actor))
    audit_record(actor=actor, action="quality.letter_send", obj=letter,
                 extra={"case": case.pk, "organ": organ, "reply_due": reply_due})
    return letter


@transaction.atomic
def opinion_letter_reply(*, actor, letter: OpinionLetter, organ_reply: str, scores: dict | None = None,
                         evaluated_on: dt.date | None = None, comments: str = "") -> Evaluation:
    """Record the organ's reply as the case's opinion check, linked to the letter."""
    letter = OpinionLetter.objects.select_for_update(of=("self",)).select_related("case").get(pk=letter.pk)
    if letter.reply_id is not None:
        raise ApplicationError(_("The reply to this letter was recorded already."), code="replied", status=409)
    evaluation = evaluation_record(actor=actor, case=letter.case, method="opinion", organ=letter.organ,
                                   organ_reply=organ_reply, scores=scores, evaluated_on=evaluated_on,
                                   comments=comments, evidence=letter.number)
    letter.reply = evaluation
    letter.save(update_fields=["reply"])
    return evaluation


# --- complaints ------------------------------------------------------------------------------------

def complaint_record(*, actor, case: Case, complaint: str, correction: str,
                     deadline: dt.date | None = None) -> Ticket:
    """A complaint about the lawyer's work opens a supervision ticket like an unqualified grade does."""
    return ticket_open(actor=actor, case=case, reason=TicketReason.COMPLAINT, owner=case.lawyer_user,
                       correction=correction, deadline=deadline, complaint=complaint)


# --- escalation ------------------------------------------------------------------------------------

def _supervisors(case: Case) -> list:
    """Who hears of an overdue ticket: the centre's directors and the evaluators whose region covers
    the case."""
    memberships = Membership.objects.filter(is_active=True, user__is_active=True).select_related(
        "user", "institution__region")
    people = {m.user for m in memberships.filter(role=Role.DIRECTOR, institution=case.centre_id)}
    for membership in memberships.filter(role=Role.EVALUATOR):
        if case.region.path.startswith(membership.institution.region.path):
            people.add(membership.user)
    return sorted(people, key=lambda user: user.pk)


@transaction.atomic
def tickets_escalate(*, today: dt.date | None = None) -> int:
    """Open tickets past their deadline go up once: to the centre's directors and the region's
    evaluators. Safe to run as often as wanted: an escalated ticket is not escalated again."""
    today = today or timezone.localdate()
    overdue = list(Ticket.objects.select_for_update(skip_locked=True, of=("self",)).filter(
        status=TicketStatus.OPEN, deadline__lt=today, escalated_at__isnull=True).select_related(
        "case__region", "owner"))
    now = timezone.now()
    for ticket in overdue:
        ticket.escalated_at = now
        ticket.save(update_fields=["escalated_at"])
        audit_record(actor=None, action="quality.ticket_escalate", obj=ticket,
                     extra={"case": ticket.case_id, "deadline": ticket.deadline})
        for person in _supervisors(ticket.case):
            if person.pk == ticket.owner_id:
                continue
            notify(recipient=person, kind="quality.ticket_overdue", obj=ticket,
                   title=_("Supervision ticket overdue: case %(case)s") % {"case": ticket.case.number},
                   body=_("The correction was due on %(day)s.") % {"day": ticket.deadline.isoformat()},
                   url=reverse("quality:ticket", args=[ticket.pk]),
                   dedupe_key=f"quality.ticket:{ticket.pk}:escalated")
    return len(overdue)
