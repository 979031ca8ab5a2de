"""Reads for case quality, restricted to the user's region."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models import Case as SqlCase
from django.http import Http404
from django.utils import timezone

from open12348.accounts.models import Membership
from open12348.accounts.permissions import user_can
from open12348.accounts.roles import Role
from open12348.accounts.scope import restrict_to_regions
from open12348.legalaid.models import ProgressEntry
from open12348.legalaid.selectors_cases import hearing_calendar

from .choices import PanelStatus, TicketStatus, Vote
from .models import (
    CaseGrade,
    Evaluation,
    ExemplaryCase,
    Nomination,
    ObservationPlan,
    OpinionLetter,
    PanelSession,
    PanelVote,
    Sample,
    SampleCase,
    Scheme,
    Ticket,
)
from .services import EVALUATOR, in_scope


def scheme_versions(*, code: str, stage: str = "") -> QuerySet[Scheme]:
    return Scheme.objects.filter(code=code, stage=stage).prefetch_related("items").order_by("-version")


def case_evaluations(*, case) -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(case=case).select_related("scheme", "evaluator", "hearing")


def tickets_overdue(*, user, today: dt.date | None = None) -> QuerySet[Ticket]:
    """Open tickets past their deadline in the user's region, the oldest deadline first."""
    if not user_can(user, EVALUATOR):
        return Ticket.objects.none()
    today = today or timezone.localdate()
    tickets = Ticket.objects.filter(status=TicketStatus.OPEN, deadline__lt=today)
    tickets = restrict_to_regions(tickets, user=user, region_field="case__region")
    return tickets.select_related("case", "owner").order_by("deadline", "id")


# --- the screens' reads -------------------------------------------------------------------------
# Every list below is one query whatever its length (the joins and counts are in the SQL).

def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def peer_assignments_pending(*, user) -> QuerySet[SampleCase]:
    """Cases given to the user to peer review that they have not checked yet in that sample."""
    if not _signed_in(user):
        return SampleCase.objects.none()
    done = Evaluation.objects.filter(case=OuterRef("case"), sample=OuterRef("sample"), evaluator=user)
    return (SampleCase.objects.filter(reviewer=user, sample__peer_review=True).filter(~Exists(done))
            .select_related("case__lawyer", "case__region", "sample").order_by("sample__drawn_at", "case_id"))


def observation_plans_of(*, user, today: dt.date) -> QuerySet[ObservationPlan]:
    """The user's planned hearing observations not yet recorded: upcoming hearings first (soonest
    first), then hearings already held whose observation still has to be written down."""
    if not _signed_in(user):
        return ObservationPlan.objects.none()
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    return (ObservationPlan.objects.filter(observer=user, evaluation__isnull=True)
            .annotate(held=SqlCase(When(hearing__hearing_at__lt=start, then=Value(True)), default=Value(False),
                                   output_field=BooleanField()))
            .select_related("hearing__case__lawyer")
            .order_by("held", "hearing__hearing_at", "id"))


def hearings_unplanned(*, user, start: dt.date, end: dt.date) -> QuerySet[ProgressEntry]:
    """Hearings of the user's region between `start` and `end` that no evaluator plans to observe."""
    planned = ObservationPlan.objects.filter(hearing=OuterRef("pk"))
    return hearing_calendar(user=user, start=start, end=end).filter(~Exists(planned))


def tickets_visible_to(*, user, status: str = "", today: dt.date | None = None) -> QuerySet[Ticket]:
    """Supervision tickets an evaluator follows (the region's) plus the user's own (a lawyer's).

    `status`: "open", "closed", "overdue" (open and past the deadline) or "" for all."""
    if not _signed_in(user):
        return Ticket.objects.none()
    tickets = Ticket.objects.filter(owner=user)
    if user_can(user, EVALUATOR):
        tickets = tickets | restrict_to_regions(Ticket.objects.all(), user=user, region_field="case__region")
    today = today or timezone.localdate()
    if status == "overdue":
        tickets = tickets.filter(status=TicketStatus.OPEN, deadline__lt=today)
    elif status in TicketStatus.values:
        tickets = tickets.filter(status=status)
    return tickets.select_related("case__lawyer", "owner").order_by("deadline", "id")


def ticket_for(*, user, id: int) -> Ticket:  # noqa: A002
    """A ticket for its owner or an evaluator of the case's region; anyone else gets the same 404."""
    ticket = (Ticket.objects.select_related("case__region", "case__lawyer", "owner", "opened_by", "closed_by")
              .filter(pk=id).first())
    if ticket is None or not _signed_in(user):
        raise Http404
    if ticket.owner_id == user.pk:
        return ticket
    if user_can(user, EVALUATOR) and in_scope(user, ticket.case.region):
        return ticket
    raise Http404


def letters_awaiting_reply(*, user) -> QuerySet[OpinionLetter]:
    """Letters to the judicial organs of the user's region whose reply is not recorded, the oldest
    requested reply first."""
    if not user_can(user, EVALUATOR):
        return OpinionLetter.objects.none()
    letters = restrict_to_regions(OpinionLetter.objects.filter(reply__isnull=True), user=user,
                                  region_field="case__region")
    return letters.select_related("case").order_by("reply_due", "id")


def _sample_conditions(user) -> tuple[Q, Exists]:
    """(who sees a sample, whether they see all of it). A sample is drawn from one evaluator's region,
    so another evaluator sees it whole when every one of its cases is in their region too; a peer
    reviewer from another county sees only the cases given to them."""
    entries = SampleCase.objects.filter(sample=OuterRef("pk"))
    mine = restrict_to_regions(SampleCase.objects.all(), user=user, region_field="case__region")
    outside = entries.exclude(pk__in=mine.values("pk"))
    whole = Q(drawn_by=user) | (Exists(mine.filter(sample=OuterRef("pk"))) & ~Exists(outside))
    return whole | Q(pk__in=SampleCase.objects.filter(reviewer=user).values("sample")), whole


def samples_visible_to(*, user) -> QuerySet[Sample]:
    if not user_can(user, EVALUATOR):
        return Sample.objects.none()
    visible, whole = _sample_conditions(user)
    return (Sample.objects.filter(visible).annotate(whole=ExpressionWrapper(whole, output_field=BooleanField()),
                                                    size=Count("entries", distinct=True))
            .select_related("drawn_by").order_by("-drawn_at", "-id"))


def sample_for(*, user, id: int) -> Sample:  # noqa: A002
    sample = samples_visible_to(user=user).filter(pk=id).first()
    if sample is None:
        raise Http404
    return sample


def sample_entries(*, sample: Sample, user, whole: bool) -> QuerySet[SampleCase]:
    """The sampled cases with their grade and whether this sample's checks have been recorded; a peer
    reviewer who does not see the whole sample gets the cases given to them."""
    entries = SampleCase.objects.filter(sample=sample)
    if not whole:
        entries = entries.filter(reviewer=user)
    grade = CaseGrade.objects.filter(case=OuterRef("case")).values("grade")[:1]
    checked = Evaluation.objects.filter(case=OuterRef("case"), sample=OuterRef("sample"))
    return (entries.annotate(grade=Subquery(grade), checked=Exists(checked))
            .select_related("case__lawyer", "reviewer").order_by("case__number", "id"))


def evaluator_memberships() -> QuerySet[Membership]:
    """Every active evaluator with their organisation (peer reviewers and panel members are chosen
    across counties, so the list is not limited to the user's region)."""
    return (Membership.objects.filter(role=Role.EVALUATOR, is_active=True, user__is_active=True)
            .select_related("user", "institution").order_by("institution__name", "user__username", "id"))


def panels_visible_to(*, user) -> QuerySet[PanelSession]:
    """Panels of the user's region, and panels the user sits on (a member may come from elsewhere)."""
    if not user_can(user, EVALUATOR):
        return PanelSession.objects.none()
    in_region = restrict_to_regions(PanelSession.objects.all(), user=user)
    member = PanelSession.objects.filter(members=user)
    return (PanelSession.objects.filter(Q(pk__in=in_region.values("pk")) | Q(pk__in=member.values("pk")))
            .select_related("region").annotate(
                nominated=Count("nominations", distinct=True), seats=Count("members", distinct=True))
            .order_by("-held_on", "-id"))


def panel_for(*, user, id: int) -> PanelSession:  # noqa: A002
    session = panels_visible_to(user=user).filter(pk=id).first()
    if session is None:
        raise Http404
    return session


def panel_nominations(*, session: PanelSession, user) -> QuerySet[Nomination]:
    """The proposed cases with their vote counts, the user's own vote and the case's grade."""
    def votes(choice: str) -> Count:
        return Count("votes", filter=Q(votes__vote=choice), distinct=True)

    mine = PanelVote.objects.filter(nomination=OuterRef("pk"), member=user).values("vote")[:1]
    grade = CaseGrade.objects.filter(case=OuterRef("case")).values("grade")[:1]
    return (Nomination.objects.filter(session=session)
            .annotate(yes=votes(Vote.YES), no=votes(Vote.NO), abstain=votes(Vote.ABSTAIN),
                      my_vote=Subquery(mine), grade=Subquery(grade))
            .select_related("case__lawyer", "proposed_by").order_by("id"))


def panels_open_for_case(*, user, case) -> QuerySet[PanelSession]:
    """Open panels the user may propose this case to: of the user's region and covering the case's."""
    ancestors = [case.region.path[:n] for n in range(1, len(case.region.path) + 1)]
    return (restrict_to_regions(PanelSession.objects.filter(status=PanelStatus.OPEN), user=user)
            .filter(region__path__in=ancestors).select_related("region").order_by("held_on", "id"))


def exemplary_for(*, user, id: int) -> ExemplaryCase:  # noqa: A002
    """An exemplary case for the editors of its region (the same 404 for missing and not theirs)."""
    if not user_can(user, EVALUATOR):
        raise Http404
    exemplary = (restrict_to_regions(ExemplaryCase.objects.all(), user=user, region_field="case__region")
                 .select_related("region", "nomination__session").filter(pk=id).first())
    if exemplary is None:
        raise Http404
    return exemplary


def library_cases(*, category: str = "") -> QuerySet[ExemplaryCase]:
    """The public library: published exemplary cases, newest first. Only the published text, the
    category, the region and the year leave this query; nothing of the case's parties."""
    cases = ExemplaryCase.objects.filter(published_at__isnull=False)
    if category:
        cases = cases.filter(category=category)
    return (cases.select_related("region").only("title", "summary", "significance", "category", "published_at",
                                                 "region__name")
            .order_by("-published_at", "-id"))


def library_case(*, id: int) -> ExemplaryCase:  # noqa: A002
    exemplary = library_cases().filter(pk=id).first()
    if exemplary is None:
        raise Http404
    return exemplary


def scheme_families() -> QuerySet[Scheme]:
    """The current version of each scheme family (code and stage), with how many versions it has."""
    versions = (Scheme.objects.filter(code=OuterRef("code"), stage=OuterRef("stage")).order_by()
                .values("code").annotate(n=Count("id")).values("n"))
    return (Scheme.objects.filter(is_current=True).annotate(versions=Subquery(versions))
            .prefetch_related("items").order_by("code", "stage"))
