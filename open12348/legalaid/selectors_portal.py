"""Reads for the public portal: a citizen's own applications, and where a new one goes.

A citizen has no staff account; they are known by the keyed hash of a mobile number they proved by
SMS code. An application is theirs when the applicant's or the agent's recorded phone has that hash,
or when it was submitted from one of their portal drafts (the portal passes those ids). Nothing
here writes, and nothing returns another person's application: `citizen_application` answers the
same 404 for missing and for not theirs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404

from open12348.core.crypto import blind_index
from open12348.network.choices import InstitutionKind, RegionLevel
from open12348.network.models import Institution, Region

from . import workflow
from .choices import ApplicationStatus, CaseStatus, ProgressKind, SupplementStatus
from .documents import DECISION_GRANT, DECISION_REFUSE
from .models import Application, Document, Person, ProgressEntry, SupplementRequest

# Case statuses in which the citizen's matter is over (for them; the archive steps are the centre's).
CASE_OVER = frozenset({CaseStatus.CLOSED, CaseStatus.RETURNED, CaseStatus.ARCHIVED, CaseStatus.SUBSIDY_PAID,
                       CaseStatus.EVALUATED, CaseStatus.TERMINATED, CaseStatus.TERMINATION_OBJECTION})
DECIDED = frozenset({ApplicationStatus.APPROVED, ApplicationStatus.REJECTED, ApplicationStatus.ADVANCE_AID,
                     ApplicationStatus.OBJECTION})
# Progress the lawyer records for the client: a report to them, and hearings (date and court only).
SHARED_PROGRESS = (ProgressKind.REPORT_TO_CLIENT, ProgressKind.HEARING)


# --- where an application goes -------------------------------------------------------------

def application_regions() -> list[Region]:
    """The counties and districts a citizen can choose, each served by a legal aid centre in it or above it."""
    centres = Institution.objects.filter(kind=InstitutionKind.LEGAL_AID_CENTRE).values_list("region__path", flat=True)
    paths = set(centres)
    if not paths:
        return []
    counties = Region.objects.filter(level=RegionLevel.COUNTY).order_by("code")
    return [r for r in counties if any(r.path.startswith(p) for p in paths)]


def application_townships(*, counties: list[Region]) -> tuple[tuple[str, str, str], ...]:
    """The townships and streets of the counties a citizen can choose: (county code, code, name)."""
    codes = {county.pk: county.code for county in counties}
    return tuple((codes[parent], code, name) for parent, code, name in Region.objects.filter(
        parent__in=list(codes), level=RegionLevel.TOWNSHIP).order_by("code").values_list("parent", "code", "name"))


def centre_for_region(*, region_code: str) -> Institution | None:
    """The legal aid centre for a county: the one in the county, else the nearest one above it (the city's)."""
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        return None
    codes = region.ancestor_codes()
    centres: dict[str, Institution] = {}
    for centre in (Institution.objects.filter(kind=InstitutionKind.LEGAL_AID_CENTRE, region__code__in=codes)
                   .select_related("region").order_by("-id")):
        centres[centre.region.code] = centre  # the oldest centre of a region wins
    for code in reversed(codes):
        if code in centres:
            return centres[code]
    return None


def person_phone_differs(*, id_number: str, phone_hash: str) -> bool:
    """Whether a person is already registered under this ID number with a different (or no) phone.

    The portal then registers the new application without a phone for them, so that a number proved
    by one citizen never becomes the recorded phone of another person's earlier applications.
    """
    person = Person.objects.filter(id_number_hash=blind_index(id_number, purpose="id_number")).only(
        "phone_hash").first()
    return person is not None and person.phone_hash != phone_hash


# --- a citizen's applications --------------------------------------------------------------

def citizen_applications(*, phone_hash: str, application_ids: Iterable[int] = ()) -> QuerySet[Application]:
    """The applications a verified phone may follow, newest first, with what a list shows loaded."""
    condition = Q(applicant__phone_hash=phone_hash) | Q(agent__phone_hash=phone_hash)
    ids = [i for i in application_ids if i]
    if ids:
        condition |= Q(pk__in=ids)
    if not phone_hash:
        condition = Q(pk__in=ids)
    return (Application.objects.filter(condition).exclude(channel="notification")
            .select_related("applicant", "centre", "case", "case__lawyer", "case__institution")
            .order_by("-received_at", "-id"))


def citizen_application(*, phone_hash: str, id: int, application_ids: Iterable[int] = ()) -> Application:
    application = citizen_applications(phone_hash=phone_hash, application_ids=application_ids).filter(pk=id).first()
    if application is None:
        raise Http404
    return application


@dataclass(frozen=True)
class SharedProgress:
    kind: str
    occurred_on: dt.date
    note: str = ""
    court: str = ""
    hearing_at: dt.datetime | None = None


@dataclass(frozen=True)
class Tracking:
    """What the applicant sees about their application: where it is, what comes next and by when."""

    application: Application
    state: str  # an ApplicationStatus, or "case_<CaseStatus>" once a lawyer is assigned
    due: dt.date | None
    lawyer_name: str = ""
    institution_name: str = ""
    institution_phone: str = ""
    supplement_items: tuple[str, ...] = ()
    progress: tuple[SharedProgress, ...] = ()
    decision_document: Document | None = None
    can_rate: bool = False  # the application's decision can be rated
    case_over: bool = False  # the case can be rated
    events: tuple[tuple[str, dt.datetime], ...] = field(default=())


def _case(application: Application):
    try:
        return application.case
    except Application.case.RelatedObjectDoesNotExist:
        return None


def state_of(application: Application) -> str:
    """Where the application is for its applicant: its status, or its case's once a lawyer is assigned."""
    case = _case(application)
    return f"case_{case.status}" if case is not None else application.status


def tracking_for(application: Application) -> Tracking:
    """The tracking page's content for one application (a fixed number of queries)."""
    case = _case(application)
    supplement_items: tuple[str, ...] = ()
    due = None
    state = state_of(application)
    if case is not None:
        due = workflow.case_next_due(case)
    else:
        if state in workflow.REVIEW_OPEN:
            due = application.review_due
        elif state in workflow.AWAITING_ASSIGNMENT:
            due = application.assignment_due
        elif state == ApplicationStatus.SUPPLEMENT_REQUESTED:
            request = SupplementRequest.objects.filter(application=application,
                                                       status=SupplementStatus.OPEN).order_by("-requested_at").first()
            if request is not None:
                supplement_items, due = tuple(request.items), request.due
        elif state == ApplicationStatus.OBJECTION:
            objection = application.objections.filter(status="pending").order_by("-filed_at").first()
            due = objection.due if objection else None
    progress: tuple[SharedProgress, ...] = ()
    if case is not None:
        progress = tuple(
            SharedProgress(kind=p.kind, occurred_on=p.occurred_on, note=p.note if p.kind == ProgressKind.REPORT_TO_CLIENT
                           else "", court=p.court, hearing_at=p.hearing_at)
            for p in ProgressEntry.objects.filter(case=case, kind__in=SHARED_PROGRESS).order_by("occurred_on", "id")
        )
    document = (Document.objects.filter(application=application, kind__in=(DECISION_GRANT, DECISION_REFUSE))
                .order_by("-issued_at", "-id").first())
    over = case is not None and case.status in CASE_OVER
    return Tracking(
        application=application, state=state, due=due,
        lawyer_name=case.lawyer.name if case is not None and case.lawyer_id else "",
        institution_name=case.institution.name if case is not None and case.institution_id else "",
        institution_phone=case.institution.phone if case is not None and case.institution_id else "",
        supplement_items=supplement_items, progress=progress, decision_document=document,
        can_rate=over or application.status in DECIDED, case_over=over,
        events=tuple(application.events.exclude(kind__in=("material_added", "document_issued"))
                     .order_by("at", "id").values_list("kind", "at")),
    )


def decision_document(*, application: Application, document_id: int) -> Document:
    """A decision letter of this application (grant or refusal); any other document is the same 404."""
    document = Document.objects.filter(application=application, pk=document_id,
                                       kind__in=(DECISION_GRANT, DECISION_REFUSE)).first()
    if document is None:
        raise Http404
    return document
