"""Review panels (评审会) and exemplary cases (精品案件): a panel sits, cases are proposed, members
vote, a majority of the members names a case exemplary, and its anonymised summary is published in
the public library. Atomic, audited, keyword-only, like every service."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from open12348.accounts.permissions import user_can
from open12348.audit.services import audit_record
from open12348.core.errors import ApplicationError
from open12348.legalaid.models import Case
from open12348.network.models import Region

from .choices import NominationOutcome, PanelStatus, Vote
from .models import CaseGrade, ExemplaryCase, Nomination, PanelSession, PanelVote
from .services import EVALUATOR, REVIEWABLE, check_case, in_scope, require, required_text, user_or_none

# A case may be proposed only with a grade at least this good.
NOMINABLE_GRADES = ("优秀", "良好")


def _check_session(actor, session: PanelSession) -> None:
    require(actor, EVALUATOR)
    if not in_scope(actor, session.region):
        raise ApplicationError(_("This panel does not exist or is not yours."), code="not_found", status=404)


def _open(session: PanelSession) -> None:
    if session.status != PanelStatus.OPEN:
        raise ApplicationError(_("The panel has closed."), code="panel_closed", status=409)


@transaction.atomic
def panel_create(*, actor, title: str, region: Region, held_on: dt.date, members: Iterable) -> PanelSession:
    require(actor, EVALUATOR)
    if not in_scope(actor, region):
        raise ApplicationError(_("Choose a region you work in."), code="region_invalid", field="region")
    title = required_text(title, field="title", message=_("Give the panel session a title."))
    members = list(dict.fromkeys(members))
    if len(members) < 3:
        raise ApplicationError(_("A review panel needs at least three members."), code="members_too_few",
                               field="members")
    session = PanelSession.objects.create(title=title, region=region, held_on=held_on, created_by=user_or_none(actor))
    session.members.set(members)
    audit_record(actor=actor, action="quality.panel_create", obj=session,
                 extra={"members": sorted(m.pk for m in members), "held_on": held_on})
    return session


@transaction.atomic
def nomination_propose(*, actor, session: PanelSession, case: Case, reason: str) -> Nomination:
    """Propose a graded case (优秀 or 良好) of the panel's region, whose closing file was submitted."""
    session = PanelSession.objects.select_for_update(of=("self",)).select_related("region").get(pk=session.pk)
    _check_session(actor, session)
    _open(session)
    case = Case.objects.select_related("region").get(pk=case.pk)
    check_case(actor, case)
    if not case.region.path.startswith(session.region.path):
        raise ApplicationError(_("The case is not of this panel's region."), code="case_region", field="case")
    grade = CaseGrade.objects.filter(case=case).values_list("grade", flat=True).first()
    if case.status not in REVIEWABLE or grade not in NOMINABLE_GRADES:
        raise ApplicationError(_("Only a closed case graded 优秀 or 良好 can be proposed."),
                               code="case_not_nominable", field="case")
    if ExemplaryCase.objects.filter(case=case).exists():
        raise ApplicationError(_("This case was named exemplary already."), code="already_exemplary", field="case")
    if Nomination.objects.filter(session=session, case=case).exists():
        raise ApplicationError(_("This case is proposed already."), code="already_proposed", field="case")
    reason = required_text(reason, field="reason", message=_("Say why the case is proposed."))
    nomination = Nomination.objects.create(session=session, case=case, proposed_by=user_or_none(actor), reason=reason)
    audit_record(actor=actor, action="quality.nomination_propose", obj=nomination,
                 extra={"session": session.pk, "case": case.pk, "grade": grade})
    return nomination


@transaction.atomic
def panel_vote(*, actor, nomination: Nomination, vote: str) -> PanelVote:
    """A member's vote on a proposed case; voting again changes the vote while the panel is open."""
    nomination = Nomination.objects.select_related("session").get(pk=nomination.pk)
    session = PanelSession.objects.select_for_update().get(pk=nomination.session_id)
    _open(session)
    if user_or_none(actor) is None or not session.members.filter(pk=actor.pk).exists():
        raise ApplicationError(_("Only the panel's members vote."), code="not_member", status=403)
    if vote not in Vote.values:
        raise ApplicationError(_("Vote for, against or abstain."), code="vote_invalid", field="vote")
    before = PanelVote.objects.filter(nomination=nomination, member=actor).values_list("vote", flat=True).first()
    record, _created = PanelVote.objects.update_or_create(nomination=nomination, member=actor,
                                                          defaults={"vote": vote, "voted_at": timezone.now()})
    audit_record(actor=actor, action="quality.panel_vote", obj=record,
                 changes={"before": {"vote": before}, "after": {"vote": vote}})
    return record


def tally(*, members: int, votes: Iterable[str]) -> str:
    """Exemplary when more than half of all members (not of those voting) voted for it."""
    return NominationOutcome.EXEMPLARY if sum(1 for v in votes if v == Vote.YES) * 2 > members \
        else NominationOutcome.NOT_SELECTED


_ID_NUMBER = re.compile(r"\d{17}[\dXx]|\d{15}")
_PHONE = re.compile(r"1[3-9]\d{9}|0\d{2,3}-?\d{7,8}")


def anonymise(text: str, *, names: Iterable[str]) -> str:
    """Remove the parties' names (kept as surname + 某), ID numbers and phone numbers."""
    for name in sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True):
        text = text.replace(name, name[0] + "某" if len(name) <= 4 else "某单位")
    text = _ID_NUMBER.sub("[身份证号已隐去]", text)
    return _PHONE.sub("[电话已隐去]", text)


def _party_names(case: Case) -> list[str]:
    application = case.application
    names = [application.applicant.name, application.opposing_party, *(p.name for p in application.parties.all())]
    if application.agent_id:
        names.append(application.agent.name)
    return names


def _draft_summary(case: Case) -> str:
    """A first draft for the editor: the facts and the outcome, with the parties' details removed."""
    application = case.application
    closing = getattr(case, "closing", None)
    parts = [application.facts, closing.outcome if closing is not None else ""]
    return anonymise("\n".join(p for p in parts if p), names=_party_names(case))


@transaction.atomic
def panel_close(*, actor, session: PanelSession) -> list[ExemplaryCase]:
    """Count the votes: each case with a majority of the members is named exemplary and gets an
    unpublished library entry, its summary drafted with the parties' details removed."""
    session = PanelSession.objects.select_for_update(of=("self",)).select_related("region").get(pk=session.pk)
    _check_session(actor, session)
    _open(session)
    members = session.members.count()
    named = []
    nominations = list(session.nominations.select_related(
        "case__application__applicant", "case__application__agent", "case__closing").prefetch_related(
        "votes", "case__application__parties"))
    for nomination in nominations:
        nomination.outcome = tally(members=members, votes=[v.vote for v in nomination.votes.all()])
        nomination.save(update_fields=["outcome"])
        if nomination.outcome == NominationOutcome.EXEMPLARY:
            case = nomination.case
            named.append(ExemplaryCase.objects.create(
                case=case, nomination=nomination, region=case.region, category=case.category,
                title=anonymise(f"{case.application.cause or case.number}", names=_party_names(case)),
                summary=_draft_summary(case), significance=anonymise(nomination.reason, names=_party_names(case))))
    session.status, session.closed_at = PanelStatus.CLOSED, timezone.now()
    session.save(update_fields=["status", "closed_at"])
    audit_record(actor=actor, action="quality.panel_close", obj=session,
                 extra={"outcomes": {str(n.case_id): n.outcome for n in nominations}})
    return named


@transaction.atomic
def exemplary_publish(*, actor, exemplary: ExemplaryCase, title: str, summary: str, significance: str = "",
                      publish: bool = True) -> ExemplaryCase:
    """Edit the anonymised text and publish it (or withdraw it). The parties' names, ID numbers and
    phone numbers are removed again on the way in, whatever the editor typed."""
    exemplary = ExemplaryCase.objects.select_for_update(of=("self",)).select_related(
        "case__region", "case__application__applicant", "case__application__agent").get(pk=exemplary.pk)
    check_case(actor, exemplary.case)
    names = _party_names(exemplary.case)
    before = {"title": exemplary.title, "published": exemplary.published_at is not None}
    exemplary.title = anonymise(required_text(title, field="title", message=_("Give the case a title.")), names=names)
    exemplary.summary = anonymise(required_text(summary, field="summary", message=_("Write the summary.")), names=names)
    exemplary.significance = anonymise((significance or "").strip(), names=names)
    if publish and exemplary.published_at is None:
        exemplary.published_at, exemplary.published_by = timezone.now(), user_or_none(actor)
    elif not publish:
        exemplary.published_at, exemplary.published_by = None, None
    exemplary.save()
    audit_record(actor=actor, action="quality.exemplary_publish", obj=exemplary,
                 changes={"before": before, "after": {"title": exemplary.title, "published": publish}})
    return exemplary


def can_vote(user, session: PanelSession) -> bool:
    return user_can(user, EVALUATOR) and session.members.filter(pk=user.pk).exists()
