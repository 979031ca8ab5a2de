"""Reads of legal aid cases: who sees which case, deadlines, lawyer suggestions and the conflict check.

Visibility: staff who may view legal aid work (AID_VIEW) see the cases of their region subtree;
a lawyer (CASE_HANDLE without AID_VIEW) sees only the cases assigned to their own account.
Every list here is a fixed number of queries whatever its length.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    DateTimeField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from open12348.accounts.permissions import user_can
from open12348.accounts.roles import Capability, Role
from open12348.accounts.scope import region_paths_for
from open12348.network.choices import PractitionerKind
from open12348.network.models import Practitioner

from . import workflow
from .choices import CaseStatus, DeadlineKind, PartySide, ProgressKind
from .models import Application, Assignment, Case, DeadlineRule, Party, ProgressEntry, Subsidy

DUE_SOON_DAYS = 3
DEFAULT_DEADLINE_DAYS = {
    DeadlineKind.ASSIGNMENT: 3, DeadlineKind.AGREEMENT: 5, DeadlineKind.CLOSING: 30, DeadlineKind.SUBSIDY: 30,
    DeadlineKind.NO_PROGRESS: 30,
}
# Art. 26: cases where the defendant may face life imprisonment or death need 3 years of practice.
EXPERIENCE_MATTERS = frozenset({"CR-N-LIFE-DEATH", "CR-N-DEATH-REVIEW"})
EXPERIENCE_YEARS = 3
ASSIGNABLE_KINDS = (PractitionerKind.LAWYER, PractitionerKind.AID_STAFF)

# Which open date each status waits on, and whose it is.
DEADLINE_OF_STATUS = workflow.CASE_DEADLINE_OF_STATUS
LAWYER_DEADLINES = frozenset({"agreement", "closing"})
# Statuses in which the lawyer must keep recording progress (Art. 46); before the agreement the
# agreement deadline is what counts.
PROGRESS_EXPECTED = workflow.WORKING - {CaseStatus.ASSIGNED}


def deadline_days(kind: str) -> int:
    """Days a case deadline allows, from the `DeadlineRule` table (an administrator edits it)."""
    days = DeadlineRule.objects.filter(kind=kind).values_list("days", flat=True).first()
    return days if days is not None else DEFAULT_DEADLINE_DAYS[kind]


# --- visibility ------------------------------------------------------------------------------

def _visible(user, *, prefix: str = "") -> Q | None:
    """The condition for cases `user` may see; None for everything (superuser)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    condition = Q(pk__in=[]) if not prefix else Q(**{f"{prefix}pk__in": []})
    if user_can(user, Capability.AID_VIEW):
        paths = region_paths_for(user)
        if paths is None:
            return None
        for path in paths:
            condition |= Q(**{f"{prefix}region__path__startswith": path})
    if user_can(user, Capability.CASE_HANDLE):
        condition |= Q(**{f"{prefix}lawyer_user": user})
    return condition


def _restrict(queryset: QuerySet, *, user, prefix: str = "") -> QuerySet:
    condition = _visible(user, prefix=prefix)
    return queryset if condition is None else queryset.filter(condition)


def _with_next_due(queryset: QuerySet[Case]) -> QuerySet[Case]:
    return queryset  # next_due is a stored column, kept by the services

def quiet_since(*, today: dt.date) -> dt.datetime:
    """Cases whose last work (or assignment) is before this moment have gone the configured number
    of days without a progress entry, as of `today`."""
    days = deadline_days(DeadlineKind.NO_PROGRESS)
    return timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days - 1), dt.time.min))


def without_progress(queryset: QuerySet[Case], *, today: dt.date) -> QuerySet[Case]:
    return queryset.filter(status__in=PROGRESS_EXPECTED).annotate(
        last_work=Coalesce("last_progress_at", "assigned_at", output_field=DateTimeField()),
    ).filter(last_work__lt=quiet_since(today=today))


def case_list_visible_to(*, user, filters: dict | None = None, today: dt.date | None = None) -> QuerySet[Case]:
    """Cases the user may see, filtered; green-channel priority first, then the nearest deadline.

    Filters: status (one or a list), q (number, aided person, lawyer), lawyer (practitioner id),
    deadline ("due_today", "due_soon", "overdue", "no_progress").
    """
    filters = filters or {}
    today = today or timezone.localdate()
    qs = _with_next_due(_restrict(Case.objects.all(), user=user))
    status = filters.get("status")
    if status:
        qs = qs.filter(status__in=status) if isinstance(status, list | tuple | set) else qs.filter(status=status)
    if filters.get("lawyer"):
        qs = qs.filter(lawyer_id=filters["lawyer"])
    if filters.get("q"):
        q = str(filters["q"]).strip()
        qs = qs.filter(Q(number__icontains=q) | Q(application__applicant__name__icontains=q)
                       | Q(lawyer__name__icontains=q))
    deadline = filters.get("deadline")
    if deadline == "due_today":
        qs = qs.filter(next_due=today)
    elif deadline == "due_soon":
        qs = qs.filter(next_due__gte=today, next_due__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
    elif deadline == "overdue":
        qs = qs.filter(next_due__lt=today)
    elif deadline == "no_progress":
        qs = without_progress(qs, today=today)
    return qs.select_related(
        "application__applicant", "centre", "region", "institution", "lawyer", "lawyer_user",
    ).order_by("-priority", F("next_due").asc(nulls_last=True), "-assigned_at", "-id")


def access_case(*, user, id: int) -> Case:
    """One case for a user: missing and not theirs are the same 404."""
    case = (_restrict(Case.objects.all(), user=user)
            .select_related("application__applicant", "application__agent", "centre", "region", "institution",
                            "lawyer", "lawyer_user")
            .filter(pk=id).first())
    if case is None:
        raise Http404
    return case


def case_timeline(*, case: Case) -> QuerySet:
    """The case's events in order, with who did each (one query)."""
    return case.events.select_related("actor").order_by("at", "id")


# --- deadlines -------------------------------------------------------------------------------

def case_deadlines(*, user, today: dt.date | None = None) -> dict[str, list[tuple[Case, str, dt.date]]]:
    """Open case deadlines the user is concerned with: overdue, due today, due within 3 days.

    A lawyer's own deadlines are the agreement and the closing file; the centre's staff also see
    the subsidy review. One query.
    """
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=DUE_SOON_DAYS)
    kinds = set(LAWYER_DEADLINES)
    if user_can(user, Capability.AID_VIEW):
        kinds.add("subsidy")
    condition = Q(pk__in=[])
    for status, (kind, column) in DEADLINE_OF_STATUS.items():
        if kind in kinds:
            condition |= Q(status=status, **{f"{column}__lte": horizon})
    cases = (_restrict(Case.objects.filter(condition), user=user)
             .select_related("application__applicant", "lawyer", "institution", "centre"))
    buckets: dict[str, list[tuple[Case, str, dt.date]]] = {"overdue": [], "due_today": [], "due_soon": []}
    for case in cases:
        kind, column = DEADLINE_OF_STATUS[case.status]
        due = getattr(case, column)
        bucket = "overdue" if due < today else "due_today" if due == today else "due_soon"
        buckets[bucket].append((case, kind, due))
    for entries in buckets.values():
        entries.sort(key=lambda entry: (entry[2], entry[0].number))
    return buckets


def hearing_calendar(*, user, start: dt.date, end: dt.date) -> QuerySet[ProgressEntry]:
    """Hearings between `start` and `end` (inclusive) in cases the user may see.

    Quality evaluators plan hearing observation (Art. 59) from it: they see their region's hearings.
    """
    first = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    last = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    qs = ProgressEntry.objects.filter(kind=ProgressKind.HEARING, hearing_at__gte=first, hearing_at__lt=last)
    condition = _visible(user, prefix="case__")
    if condition is not None and Role.EVALUATOR in _roles(user):
        paths = region_paths_for(user) or []
        for path in paths:
            condition |= Q(case__region__path__startswith=path)
    if condition is not None:
        qs = qs.filter(condition)
    return qs.select_related("case__lawyer", "case__institution", "case__application__applicant").order_by(
        "hearing_at", "id")


def _roles(user) -> set[str]:
    return user.roles() if getattr(user, "is_authenticated", False) else set()


def monthly_subsidies(*, user, month: str) -> QuerySet[Subsidy]:
    """The subsidies paid in `month` ("YYYY-MM") for cases the user may see: the payment list."""
    return (_restrict(Subsidy.objects.filter(month=month), user=user, prefix="case__")
            .select_related("case", "lawyer", "case__institution", "case__centre")
            .order_by("case__institution__name", "lawyer__name", "case__number"))


# --- the conflict check ----------------------------------------------------------------------

@dataclass(frozen=True)
class Conflict:
    other_case_number: str
    party_name: str
    how: str  # "name" | "id_number" | "org_code"
    same_lawyer: bool

    def as_dict(self) -> dict:
        return {"other_case_number": self.other_case_number, "party_name": self.party_name, "how": self.how,
                "same_lawyer": self.same_lawyer}


@dataclass(frozen=True)
class _Identity:
    names: frozenset[str]
    id_hashes: frozenset[str]
    org_codes: frozenset[str]

    def matches(self, party: dict) -> str | None:
        if party["id_number_hash"] and party["id_number_hash"] in self.id_hashes:
            return "id_number"
        if party["org_code"] and party["org_code"] in self.org_codes:
            return "org_code"
        if party["name"].strip() in self.names:
            return "name"
        return None

    def query(self, side: str) -> Q:
        condition = Q(pk__in=[])
        if self.names:
            condition |= Q(name__in=self.names)
        if self.id_hashes:
            condition |= Q(id_number_hash__in=self.id_hashes)
        if self.org_codes:
            condition |= Q(org_code__in=self.org_codes)
        return Q(side=side) & condition


def _our_sides(application: Application) -> tuple[_Identity, _Identity]:
    """Who is on the aided side and who is on the other side of `application`."""
    names = {PartySide.CLIENT: {application.applicant.name.strip()},
             PartySide.OPPOSING: {application.opposing_party.strip()} if application.opposing_party.strip() else set()}
    hashes = {PartySide.CLIENT: {application.applicant.id_number_hash} - {""}, PartySide.OPPOSING: set()}
    orgs: dict[str, set[str]] = {PartySide.CLIENT: set(), PartySide.OPPOSING: set()}
    for party in application.parties.all():
        names[party.side].add(party.name.strip())
        if party.id_number_hash:
            hashes[party.side].add(party.id_number_hash)
        if party.org_code:
            orgs[party.side].add(party.org_code)

    def identity(side: str) -> _Identity:
        return _Identity(frozenset(n for n in names[side] if n), frozenset(hashes[side]), frozenset(orgs[side]))

    return identity(PartySide.CLIENT), identity(PartySide.OPPOSING)


def _conflict_hits(application: Application) -> list[tuple[int, str, str, str]]:
    """Parties of other cases on the opposite side to ours: (case id, case number, party name, how).

    Our opposing party as a client in their case, or our aided person as the opposing party in theirs.
    Two queries, whatever the number of cases.
    """
    client, opposing = _our_sides(application)
    rows = (Party.objects.filter(opposing.query(PartySide.CLIENT) | client.query(PartySide.OPPOSING))
            .exclude(application_id=application.pk).filter(application__case__isnull=False)
            .values("side", "name", "id_number_hash", "org_code", "application__case__id",
                    "application__case__number"))
    hits = []
    for row in rows:
        ours = opposing if row["side"] == PartySide.CLIENT else client
        how = ours.matches(row)
        if how:
            hits.append((row["application__case__id"], row["application__case__number"], row["name"], how))
    return hits


def _handlers(case_ids: set[int]) -> dict[int, tuple[set[int], set[int]]]:
    """For each case, the lawyers and institutions that handle or handled it."""
    handlers: dict[int, tuple[set[int], set[int]]] = defaultdict(lambda: (set(), set()))
    for case_id, lawyer_id, institution_id in Case.objects.filter(pk__in=case_ids).values_list(
            "pk", "lawyer_id", "institution_id"):
        handlers[case_id][0].add(lawyer_id)
        handlers[case_id][1].add(institution_id)
    for case_id, lawyer_id, institution_id in Assignment.objects.filter(case_id__in=case_ids).values_list(
            "case_id", "lawyer_id", "institution_id"):
        handlers[case_id][0].add(lawyer_id)
        handlers[case_id][1].add(institution_id)
    return handlers


def _conflicts_for(lawyer_id: int, institution_id: int | None, hits, handlers) -> list[Conflict]:
    found: dict[tuple[str, str], Conflict] = {}
    for case_id, number, name, how in hits:
        lawyers, institutions = handlers.get(case_id, (set(), set()))
        same_lawyer = lawyer_id in lawyers
        if same_lawyer or (institution_id is not None and institution_id in institutions):
            key = (number, name)
            if key not in found or (same_lawyer and not found[key].same_lawyer):
                found[key] = Conflict(other_case_number=number, party_name=name, how=how, same_lawyer=same_lawyer)
    return sorted(found.values(), key=lambda c: (not c.same_lawyer, c.other_case_number, c.party_name))


def conflict_check(*, application: Application, lawyer: Practitioner,
                   institution=None) -> list[Conflict]:
    """Conflicts of interest of `lawyer` (and their institution) with the parties of `application`."""
    hits = _conflict_hits(application)
    if not hits:
        return []
    handlers = _handlers({case_id for case_id, *_rest in hits})
    institution_id = institution.pk if institution is not None else lawyer.institution_id
    return _conflicts_for(lawyer.pk, institution_id, hits, handlers)


# --- lawyer suggestions ----------------------------------------------------------------------

# Specialty codes (network/demo.py SPECIALTIES) that fit each matter; sub-types refine CV-07.
MATTER_SPECIALTIES: dict[str, tuple[str, ...]] = {
    "CV-01": ("administrative",),
    "CV-02": ("administrative", "labour"),
    "CV-03": ("administrative",),
    "CV-04": ("family",),
    "CV-05": ("labour",),
    "CV-06": ("family",),
    "CV-07": ("work-injury", "traffic", "medical"),
    "CV-08": ("property",),
    "CV-OTHER": ("contract", "debt", "property"),
    "NM-03": ("administrative",),
    "NM-04": ("family", "women"),
    "PET-RETRIAL": ("administrative", "contract"),
}
SUBTYPE_SPECIALTIES = {"work_injury": ("work-injury", "labour"), "traffic": ("traffic",), "medical": ("medical",),
                       "wages": ("labour",), "labour_relation": ("labour",)}
CATEGORY_SPECIALTIES = {"criminal": ("criminal",), "administrative": ("administrative",)}
WOMEN_SPECIALTY = "women"
MINORS_SPECIALTY = "minors"

# Weights of the score; a reason is shown for each part that counts.
W_SPECIALTY = 3.0
W_TEAM = 2.5
W_EXPERIENCE = 1.0
W_NEVER_ASSIGNED = 1.0
W_ROTATION_PER_30_DAYS = 0.5
W_LOAD = 0.6
W_SAME_COUNTY = 0.5
BLOCKED = -100.0


@dataclass
class Suggestion:
    lawyer: Practitioner
    institution: object
    score: float
    reasons: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    eligible: bool = True  # False: the lawyer cannot take this case (Art. 26); shown with the reason

    @property
    def blocked(self) -> bool:
        return bool(self.conflicts) or not self.eligible

    def as_dict(self) -> dict:
        return {"lawyer": self.lawyer.pk, "institution": getattr(self.institution, "pk", None), "score": self.score,
                "reasons": list(self.reasons), "conflicts": [c.as_dict() for c in self.conflicts],
                "eligible": self.eligible}


def matter_specialties(application: Application) -> tuple[str, ...]:
    if application.matter_subtype in SUBTYPE_SPECIALTIES:
        return SUBTYPE_SPECIALTIES[application.matter_subtype]
    if application.matter in MATTER_SPECIALTIES:
        return MATTER_SPECIALTIES[application.matter]
    return CATEGORY_SPECIALTIES.get(application.category, ())


def routing_hints(application: Application) -> set[str]:
    return {r.get("hint") if isinstance(r, dict) else str(r)
            for r in (application.eligibility or {}).get("routing") or []}


def _is_minor_case(application: Application) -> bool:
    return (application.matter == "CR-N-MINOR" or "minor" in (application.groups or [])
            or "minors_workstation" in routing_hints(application))


def _candidates(application: Application) -> QuerySet[Practitioner]:
    open_load = (Case.objects.filter(lawyer=OuterRef("pk"), status__in=workflow.ACTIVE).order_by()
                 .values("lawyer").annotate(n=Count("id")).values("n"))
    last_assigned = (Assignment.objects.filter(lawyer=OuterRef("pk")).order_by("-assigned_at")
                     .values("assigned_at")[:1])
    return (Practitioner.objects.filter(kind__in=ASSIGNABLE_KINDS,
                                        region__path__startswith=application.region.path)
            .annotate(open_load=Coalesce(Subquery(open_load, output_field=IntegerField()), Value(0)),
                      last_assigned=Subquery(last_assigned, output_field=DateTimeField()))
            .select_related("institution", "region", "user")
            .prefetch_related("specialties"))


def _county_code(application: Application) -> str:
    home = application.applicant.home_region_code or ""
    return home[:6] if len(home) >= 6 else application.region.code[:6]


def _score(application: Application, lawyer: Practitioner, *, wanted: tuple[str, ...], hints: set[str],
           minor: bool, county: str, today: dt.date, now: dt.datetime) -> Suggestion:
    suggestion = Suggestion(lawyer=lawyer, institution=lawyer.institution, score=0.0)
    specialties = {s.code: s.name for s in lawyer.specialties.all()}
    matched = [specialties[code] for code in wanted if code in specialties]
    if matched:
        suggestion.score += W_SPECIALTY
        suggestion.reasons.append(_("Works in %(fields)s, which fits this matter.") % {"fields": "、".join(matched)})
    if "womens_rights_team" in hints and WOMEN_SPECIALTY in specialties:
        suggestion.score += W_TEAM
        suggestion.reasons.append(_("Member of the women's rights lawyer team, to which this case is routed."))
    if minor and MINORS_SPECIALTY in specialties:
        suggestion.score += W_TEAM
        suggestion.reasons.append(_("Familiar with minors' cases, as the legal aid procedure rules ask for a minor (Procedure Provisions 2023, Art. 26)."))
    years = lawyer.years_of_practice(today=today)
    if application.matter in EXPERIENCE_MATTERS:
        if years is not None and years >= EXPERIENCE_YEARS:
            suggestion.score += W_EXPERIENCE
            suggestion.reasons.append(_("Has %(years)d years of practice; this case needs at least 3 (Art. 26).")
                                      % {"years": years})
        else:
            suggestion.eligible = False
            suggestion.score += BLOCKED
            suggestion.reasons.append(_("Has fewer than 3 years of practice, which this case requires (Art. 26)."))
    load = lawyer.open_load
    suggestion.score -= W_LOAD * load
    suggestion.reasons.append(_("Has no open legal aid cases.") if not load else
                              _("Has %(count)d open legal aid cases.") % {"count": load})
    if lawyer.last_assigned is None:
        suggestion.score += W_NEVER_ASSIGNED
        suggestion.reasons.append(_("Has not been assigned a legal aid case before (rotation)."))
    else:
        days = max((now - lawyer.last_assigned).days, 0)
        suggestion.score += min(days / 30, 2) * W_ROTATION_PER_30_DAYS
        suggestion.reasons.append(_("Last assigned a legal aid case %(days)d days ago (rotation).") % {"days": days})
    if lawyer.region.code.startswith(county):
        suggestion.score += W_SAME_COUNTY
        suggestion.reasons.append(_("Works in the aided person's county or district."))
    suggestion.score = round(suggestion.score, 3)
    return suggestion


def lawyer_suggestions(*, application: Application, limit: int = 10) -> list[Suggestion]:
    """Lawyers and legal aid staff of the centre's region, best first, each with the reasons why.

    Lawyers with a conflict of interest, or without the experience Art. 26 requires, are not put
    forward: those who would have ranked in the top `limit` follow the list, with what stops them.
    A fixed number of queries whatever the number of lawyers and cases.
    """
    today, now = timezone.localdate(), timezone.now()
    application = Application.objects.select_related("applicant", "region").get(pk=application.pk)
    wanted, hints = matter_specialties(application), routing_hints(application)
    minor, county = _is_minor_case(application), _county_code(application)
    hits = _conflict_hits(application)
    handlers = _handlers({case_id for case_id, *_rest in hits}) if hits else {}
    suggestions = []
    for lawyer in _candidates(application):
        suggestion = _score(application, lawyer, wanted=wanted, hints=hints, minor=minor, county=county,
                            today=today, now=now)
        if hits:
            suggestion.conflicts = _conflicts_for(lawyer.pk, lawyer.institution_id, hits, handlers)
        suggestions.append(suggestion)
    suggestions.sort(key=lambda s: (-s.score, s.lawyer.open_load, s.lawyer.name_pinyin, s.lawyer.pk))
    clean = [s for s in suggestions if not s.blocked][:limit]
    flagged = [s for s in suggestions[:limit] if s.blocked]
    return clean + flagged


def suggestion_for(*, application: Application, lawyer: Practitioner) -> Suggestion | None:
    """The suggestion made for `lawyer`, if they were among those put forward."""
    for suggestion in lawyer_suggestions(application=application):
        if suggestion.lawyer.pk == lawyer.pk:
            return suggestion
    return None
