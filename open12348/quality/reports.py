"""Read-only aggregations of case quality: the quality report of a legal aid centre for a period
(Art. 58 publishes quality results) and quality profiles of lawyers and law firms by year (Art. 60:
the bar association's annual review). Rendering lives in documents.py; nothing here writes.

Every selector takes the user and answers only about what the user may see; each runs a fixed
number of queries whatever the number of cases (GROUP BY in the database, never a loop of queries).
What each figure counts is written in docs/quality.md, "Reports and profiles".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from open12348.accounts.permissions import user_can
from open12348.accounts.roles import Capability
from open12348.accounts.scope import region_paths_for, restrict_to_regions
from open12348.core.errors import ApplicationError
from open12348.legalaid.choices import CaseCategory, CaseStatus, SubsidyStatus
from open12348.legalaid.models import Case, Subsidy
from open12348.network.choices import InstitutionKind, RegionLevel
from open12348.network.models import Institution, Practitioner, Region

from .choices import GRADE_ORDER, Method, TicketReason, TicketStatus
from .models import CaseGrade, Evaluation, ExemplaryCase, Ticket

# Staff who read reports and profiles: evaluators, and directors, leaders and bureau administrators.
STAFF_CAPABILITIES = (Capability.QUALITY_EVALUATE, Capability.DASHBOARD_VIEW)
GRADES = [str(grade) for grade in GRADE_ORDER]  # 优秀, 良好, 合格, 不合格
GOOD_GRADES = frozenset(GRADES[:2])
# A case counts as closed once its lawyer submitted the closing file (the same pool sampling draws from).
CLOSED = frozenset({CaseStatus.CLOSED, CaseStatus.ARCHIVED, CaseStatus.SUBSIDY_PAID, CaseStatus.EVALUATED})
# Institutions a profile can be about: those a case can be assigned to.
PROFILED_INSTITUTIONS = (InstitutionKind.LAW_FIRM, InstitutionKind.LEGAL_AID_CENTRE,
                         InstitutionKind.LEGAL_SERVICE_OFFICE)
LAWYER, INSTITUTION = "lawyer", "institution"
CENT = Decimal("0.01")
SHARE_PLACES = Decimal("0.0001")
REPORT_NAME = "法律援助案件质量报告"  # the document's own name, printed in Chinese whatever the reader's language


class Share(Decimal):
    """A share from 0 to 1 (优良率, pass rate): shown as a percentage, kept exact to 4 places."""


def share(part: int, whole: int) -> Share | None:
    if not whole:
        return None
    return Share(str((Decimal(part) / Decimal(whole)).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)))


def mean(total: Decimal | int, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(CENT, rounding=ROUND_HALF_UP)


# --- access ----------------------------------------------------------------------------------

def _forbidden() -> ApplicationError:
    return ApplicationError(_("You are not allowed to do this."), code="forbidden", status=403)


def _not_found() -> ApplicationError:
    return ApplicationError(_("This does not exist or is outside your area."), code="not_found", status=404)


def is_report_reader(user) -> bool:
    return any(user_can(user, capability) for capability in STAFF_CAPABILITIES)


def _in_scope(user, region: Region) -> bool:
    paths = region_paths_for(user)
    return paths is None or any(region.path.startswith(p) for p in paths)


# --- periods ---------------------------------------------------------------------------------

QUARTERS = "一二三四"


def _local_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, the day after end 00:00) in local time, for datetime columns (keeps their index usable)."""
    def midnight(day: dt.date) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))

    return midnight(start), midnight(end + dt.timedelta(days=1))


def _last_day(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def period_words(start: dt.date, end: dt.date) -> str:
    """The period as a Chinese report names it: 2026年度, 2026年上半年, 2026年第三季度, 2026年9月, or from–to."""
    if start.year == end.year and start.day == 1 and end == _last_day(end.year, end.month):
        months = (start.month, end.month)
        if months == (1, 12):
            return f"{start.year}年度"
        if months in ((1, 6), (7, 12)):
            return f"{start.year}年{'上' if start.month == 1 else '下'}半年"
        if start.month % 3 == 1 and end.month == start.month + 2:
            return f"{start.year}年第{QUARTERS[start.month // 3]}季度"
        if start.month == end.month:
            return f"{start.year}年{start.month}月"
    return f"{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日"


def issuer_name(centre: Institution) -> str:
    """The centre's name with its city in front (平顶山市卫东区法律援助中心), unless the name has it already."""
    prefixes = []
    for code in centre.region.ancestor_codes():
        prefixes.append(f"{prefixes[-1] if prefixes else ''}{code}/")
    city = Region.objects.filter(path__in=prefixes, level=RegionLevel.CITY).values_list("name", flat=True).first()
    if not city or centre.name.startswith(city):
        return centre.name
    return f"{city}{centre.name}"


# --- grades ----------------------------------------------------------------------------------

@dataclass
class GradeSummary:
    """How many cases got each grade, and the sum of their scores (for the mean)."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GRADES, 0))
    score_total: Decimal = Decimal(0)

    def add(self, grade: str, count: int, score_total: Decimal | None) -> None:
        self.counts[grade] = self.counts.get(grade, 0) + count
        self.score_total += score_total or Decimal(0)

    def merge(self, other: GradeSummary) -> None:
        for grade, count in other.counts.items():
            self.add(grade, count, None)
        self.score_total += other.score_total

    @property
    def graded(self) -> int:
        return sum(self.counts.values())

    @property
    def mean_score(self) -> Decimal | None:
        return mean(self.score_total, self.graded)

    @property
    def good_rate(self) -> Share | None:
        """优良率: the share of graded cases rated 优秀 or 良好."""
        return share(sum(n for grade, n in self.counts.items() if grade in GOOD_GRADES), self.graded)

    @property
    def pass_rate(self) -> Share | None:
        """合格率: the share of graded cases not rated 不合格."""
        return share(self.graded - self.counts.get(GRADES[-1], 0), self.graded)

    def ordered(self) -> list[tuple[str, int]]:
        return [(grade, self.counts.get(grade, 0)) for grade in GRADES]


def _grade_rows(grades: QuerySet[CaseGrade], *, key) -> dict[Any, GradeSummary]:
    summaries: dict[Any, GradeSummary] = {}
    rows = grades.values("grade", k=key).annotate(n=Count("id"), total=Sum("score")).order_by()
    for row in rows:
        summaries.setdefault(row["k"], GradeSummary()).add(row["grade"], row["n"], row["total"])
    return summaries


# --- the centre's quality report -------------------------------------------------------------

@dataclass(frozen=True)
class Counted:
    code: str
    label: str
    count: int


@dataclass(frozen=True)
class MethodCount:
    method: str
    label: str
    records: int
    cases: int


@dataclass(frozen=True)
class FollowUpSummary:
    records: int
    satisfaction_mean: Decimal | None
    met_client: Share | None
    risks_explained: Share | None
    money_asked: int


@dataclass(frozen=True)
class TicketCounts:
    reason: str
    label: str
    opened: int = 0
    closed: int = 0
    overdue: int = 0
    escalated: int = 0
    open_at_end: int = 0


@dataclass(frozen=True)
class SubsidyCut:
    case_number: str
    lawyer: str
    amount_before: Decimal
    amount: Decimal
    factor: Decimal
    withheld: bool
    on: dt.date


@dataclass(frozen=True)
class Exemplary:
    case_number: str
    title: str
    lawyer: str
    institution: str
    named_on: dt.date


@dataclass(frozen=True)
class LawyerRow:
    practitioner_id: int | None
    name: str
    institution: str
    grades: GradeSummary
    open_tickets: int


@dataclass(frozen=True)
class QualityReport:
    centre: Institution
    issuer: str
    start: dt.date
    end: dt.date
    generated_on: dt.date
    closed_by_category: list[Counted]
    evaluations: list[MethodCount]
    cases_evaluated: int
    grades: GradeSummary
    follow_up: FollowUpSummary
    tickets: list[TicketCounts]
    subsidy_cuts: list[SubsidyCut]
    exemplary: list[Exemplary]
    lawyers: list[LawyerRow]

    @property
    def period(self) -> str:
        return period_words(self.start, self.end)

    @property
    def title(self) -> str:
        return f"{self.issuer} {self.period} {REPORT_NAME}"

    @property
    def closed_total(self) -> int:
        return sum(row.count for row in self.closed_by_category)

    @property
    def tickets_total(self) -> TicketCounts:
        return TicketCounts(reason="", label=_("Total"), **{
            name: sum(getattr(row, name) for row in self.tickets)
            for name in ("opened", "closed", "overdue", "escalated", "open_at_end")})

    @property
    def subsidy_reduced_total(self) -> Decimal:
        return sum((cut.amount_before - cut.amount for cut in self.subsidy_cuts), Decimal(0))


def centres_visible_to(*, user) -> QuerySet[Institution]:
    """Legal aid centres whose report the user may read: those in the user's region subtree."""
    if not is_report_reader(user):
        return Institution.objects.none()
    centres = Institution.objects.filter(kind=InstitutionKind.LEGAL_AID_CENTRE)
    return restrict_to_regions(centres, user=user).select_related("region").order_by("region__path", "name", "id")


def _closed_by_category(cases: QuerySet[Case], lo: dt.datetime, hi: dt.datetime) -> list[Counted]:
    counts = dict(cases.filter(status__in=CLOSED, closed_at__gte=lo, closed_at__lt=hi)
                  .values("category").annotate(n=Count("id")).order_by().values_list("category", "n"))
    labels = dict(CaseCategory.choices)
    codes = list(CaseCategory.values) + sorted(set(counts) - set(CaseCategory.values))
    return [Counted(code, str(labels.get(code, code)), counts.get(code, 0)) for code in codes]


def _evaluations(records: QuerySet[Evaluation]) -> tuple[list[MethodCount], int]:
    by_method = {row["method"]: row for row in records.values("method").annotate(
        records=Count("id"), cases=Count("case", distinct=True)).order_by()}
    cases = records.aggregate(n=Count("case", distinct=True))["n"]
    return [MethodCount(method, str(label), by_method.get(method, {}).get("records", 0),
                        by_method.get(method, {}).get("cases", 0)) for method, label in Method.choices], cases


def _follow_up(records: QuerySet[Evaluation]) -> FollowUpSummary:
    data = records.filter(method=Method.FOLLOW_UP).aggregate(
        records=Count("id"), rated=Count("satisfaction"), satisfaction=Sum("satisfaction"),
        met=Count("id", filter=Q(lawyer_met_client=True)), met_answered=Count("lawyer_met_client"),
        risks=Count("id", filter=Q(risks_explained=True)), risks_answered=Count("risks_explained"),
        money=Count("id", filter=Q(money_asked=True)))
    return FollowUpSummary(records=data["records"], satisfaction_mean=mean(data["satisfaction"] or 0, data["rated"]),
                           met_client=share(data["met"], data["met_answered"]),
                           risks_explained=share(data["risks"], data["risks_answered"]), money_asked=data["money"])


def _missed_deadline(today: dt.date) -> Q:
    """A ticket not corrected by its deadline: still open, or closed on a later day."""
    return Q(deadline__lt=today) & (Q(closed_at__isnull=True) | Q(closed_at__date__gt=F("deadline")))


def _tickets(tickets: QuerySet[Ticket], *, start: dt.date, end: dt.date, lo: dt.datetime, hi: dt.datetime,
             today: dt.date) -> list[TicketCounts]:
    # Nothing opened after the period can count in it, so one grouped pass over the rest answers all five.
    rows = {row["reason"]: row for row in tickets.filter(opened_at__lt=hi).values("reason").annotate(
        opened=Count("id", filter=Q(opened_at__gte=lo)),
        closed=Count("id", filter=Q(status=TicketStatus.CLOSED, closed_at__gte=lo, closed_at__lt=hi)),
        overdue=Count("id", filter=Q(deadline__gte=start, deadline__lte=end) & _missed_deadline(today)),
        escalated=Count("id", filter=Q(escalated_at__gte=lo, escalated_at__lt=hi)),
        open_at_end=Count("id", filter=Q(closed_at__isnull=True) | Q(closed_at__gte=hi)),
    ).order_by()}
    labels = dict(TicketReason.choices)
    reasons = list(TicketReason.values) + sorted(set(rows) - set(TicketReason.values))
    names = ("opened", "closed", "overdue", "escalated", "open_at_end")
    return [TicketCounts(reason, str(labels.get(reason, reason)), **{n: rows.get(reason, {}).get(n, 0) for n in names})
            for reason in reasons]


def _subsidy_cuts(subsidies: QuerySet[Subsidy], *, start: dt.date, end: dt.date) -> list[SubsidyCut]:
    """Subsidies a grade reduced or withheld, dated by the reduction (kept in computation["quality"]).

    JSON dates cannot be compared in SQL the same way on SQLite and PostgreSQL, so the period is
    applied here; the rows are only the centre's reduced subsidies, a small set."""
    cuts = []
    for subsidy in subsidies.filter(computation__has_key="quality").select_related("case", "lawyer"):
        quality = subsidy.computation.get("quality") or {}
        try:
            on = timezone.localdate(dt.datetime.fromisoformat(quality["at"]))
            before, factor = Decimal(quality["amount_before"]), Decimal(quality["factor"])
        except (KeyError, TypeError, ValueError, ArithmeticError):
            continue
        if start <= on <= end:
            cuts.append(SubsidyCut(case_number=subsidy.case.number, lawyer=subsidy.lawyer.name, amount_before=before,
                                   amount=subsidy.amount, factor=factor,
                                   withheld=subsidy.status == SubsidyStatus.WITHHELD or factor == 0, on=on))
    return sorted(cuts, key=lambda cut: (cut.on, cut.case_number))


def _exemplary(named: QuerySet[ExemplaryCase]) -> list[Exemplary]:
    named = named.select_related("case__lawyer", "case__institution", "nomination__session").order_by(
        "nomination__session__held_on", "id")
    return [Exemplary(case_number=e.case.number, title=e.title, lawyer=e.case.lawyer.name if e.case.lawyer_id else "",
                      institution=e.case.institution.name if e.case.institution_id else "",
                      named_on=e.nomination.session.held_on) for e in named]


def _lawyer_rows(grades: QuerySet[CaseGrade], tickets: QuerySet[Ticket], *, hi: dt.datetime) -> list[LawyerRow]:
    by_lawyer = _grade_rows(grades, key=F("case__lawyer_id"))
    open_tickets = dict(tickets.filter(opened_at__lt=hi).filter(Q(closed_at__isnull=True) | Q(closed_at__gte=hi))
                        .values("case__lawyer_id").annotate(n=Count("id")).order_by().values_list("case__lawyer_id", "n"))
    ids = set(by_lawyer) | set(open_tickets)
    people = {p.pk: p for p in Practitioner.objects.filter(pk__in=ids - {None}).select_related("institution")} \
        if ids - {None} else {}
    rows = []
    for pk in ids:
        person = people.get(pk)
        rows.append(LawyerRow(practitioner_id=pk, name=person.name if person else "",
                              institution=person.institution.name if person and person.institution_id else "",
                              grades=by_lawyer.get(pk, GradeSummary()), open_tickets=open_tickets.get(pk, 0)))
    return sorted(rows, key=lambda row: (people[row.practitioner_id].name_pinyin if row.practitioner_id in people
                                         else "~", row.name, row.practitioner_id or 0))


def quality_report(*, user, centre: Institution, start: dt.date, end: dt.date,
                   today: dt.date | None = None) -> QualityReport:
    """The quality report of one legal aid centre for the days start..end (both included)."""
    if not is_report_reader(user):
        raise _forbidden()
    if centre.kind != InstitutionKind.LEGAL_AID_CENTRE or not _in_scope(user, centre.region):
        raise _not_found()
    if end < start:
        raise ApplicationError(_("The end of the period is before its start."), code="period_invalid", field="end")
    today = today or timezone.localdate()
    lo, hi = _local_bounds(start, end)
    cases = Case.objects.filter(centre=centre)
    records = Evaluation.objects.filter(case__centre=centre, evaluated_on__gte=start, evaluated_on__lte=end)
    grades = CaseGrade.objects.filter(case__centre=centre, graded_at__gte=lo, graded_at__lt=hi)
    tickets = Ticket.objects.filter(case__centre=centre)
    evaluations, cases_evaluated = _evaluations(records)
    return QualityReport(
        centre=centre, issuer=issuer_name(centre), start=start, end=end, generated_on=today,
        closed_by_category=_closed_by_category(cases, lo, hi),
        evaluations=evaluations, cases_evaluated=cases_evaluated,
        grades=_grade_rows(grades, key=F("case__centre_id")).get(centre.pk, GradeSummary()),
        follow_up=_follow_up(records),
        tickets=_tickets(tickets, start=start, end=end, lo=lo, hi=hi, today=today),
        subsidy_cuts=_subsidy_cuts(Subsidy.objects.filter(case__centre=centre), start=start, end=end),
        exemplary=_exemplary(ExemplaryCase.objects.filter(
            case__centre=centre, nomination__session__held_on__gte=start, nomination__session__held_on__lte=end)),
        lawyers=_lawyer_rows(grades, tickets, hi=hi),
    )


# --- quality profiles of lawyers and institutions ---------------------------------------------

@dataclass
class Figures:
    """One lawyer's or institution's quality figures for one year (or for one row of a list)."""

    assigned: int = 0
    closed: int = 0
    grades: GradeSummary = field(default_factory=GradeSummary)
    tickets_opened: int = 0
    tickets_closed: int = 0
    tickets_overdue: int = 0
    complaints: int = 0
    exemplary: int = 0
    follow_ups: int = 0
    satisfaction_total: int = 0

    COUNTS = ("assigned", "closed", "tickets_opened", "tickets_closed", "tickets_overdue", "complaints",
              "exemplary", "follow_ups", "satisfaction_total")

    @property
    def satisfaction_mean(self) -> Decimal | None:
        return mean(self.satisfaction_total, self.follow_ups)

    def merge(self, other: Figures) -> None:
        for name in self.COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.grades.merge(other.grades)


@dataclass(frozen=True)
class CaseScope:
    """Which cases the figures are about (a filter on Case) and, for staff, the region they must be in."""

    filters: dict[str, Any]
    user: Any = None  # None: no region restriction (a lawyer reading their own profile)

    def apply(self, queryset: QuerySet, prefix: str = "") -> QuerySet:
        queryset = queryset.filter(**{f"{prefix}{name}": value for name, value in self.filters.items()})
        if self.user is not None:
            queryset = restrict_to_regions(queryset, user=self.user, region_field=f"{prefix}region")
        return queryset


def _key(group: str, date_field: str, prefix: str):
    """Group by the year of the measure's own date, or by a field of the case (its lawyer, its institution)."""
    return ExtractYear(date_field) if group == "year" else F(f"{prefix}{group}_id")


def _in_year(date_field: str, year: int | None, *, is_datetime: bool) -> Q:
    if year is None:
        return Q()
    if is_datetime:
        lo, hi = _local_bounds(dt.date(year, 1, 1), dt.date(year, 12, 31))
        return Q(**{f"{date_field}__gte": lo, f"{date_field}__lt": hi})
    return Q(**{f"{date_field}__gte": dt.date(year, 1, 1), f"{date_field}__lte": dt.date(year, 12, 31)})


def _counts(queryset: QuerySet, *, key, **aggregates) -> Iterable[dict]:
    return queryset.values(k=key).annotate(**aggregates).order_by()


def figures(*, scope: CaseScope, group: str, year: int | None = None,
            today: dt.date | None = None) -> dict[Any, Figures]:
    """Quality figures grouped by `group` ("year", "lawyer" or "institution"), each measure dated by
    its own day: assignment, closing file, grade, ticket opened/closed/deadline, panel sitting, follow-up.
    Eight grouped queries (plus the region look-up), however many cases."""
    today = today or timezone.localdate()
    result: dict[Any, Figures] = {}

    def at(key) -> Figures:
        return result.setdefault(key, Figures())

    cases = scope.apply(Case.objects.all())
    tickets = scope.apply(Ticket.objects.all(), "case__")
    measures = [
        (cases, "assigned_at", True, {"assigned": Count("id")}),
        (cases.filter(status__in=CLOSED), "closed_at", True, {"closed": Count("id")}),
        (tickets, "opened_at", True, {"tickets_opened": Count("id"),
                                      "complaints": Count("id", filter=Q(reason=TicketReason.COMPLAINT))}),
        (tickets.filter(status=TicketStatus.CLOSED), "closed_at", True, {"tickets_closed": Count("id")}),
        (tickets.filter(_missed_deadline(today)), "deadline", False, {"tickets_overdue": Count("id")}),
        (scope.apply(ExemplaryCase.objects.all(), "case__"), "nomination__session__held_on", False,
         {"exemplary": Count("id")}),
        (scope.apply(Evaluation.objects.filter(method=Method.FOLLOW_UP, satisfaction__isnull=False), "case__"),
         "evaluated_on", False, {"follow_ups": Count("id"), "satisfaction_total": Sum("satisfaction")}),
    ]
    for queryset, date_field, is_datetime, aggregates in measures:
        prefix = "" if queryset.model is Case else "case__"
        rows = _counts(queryset.filter(_in_year(date_field, year, is_datetime=is_datetime)),
                       key=_key(group, date_field, prefix), **aggregates)
        for row in rows:
            figure = at(row["k"])
            for name in aggregates:
                setattr(figure, name, getattr(figure, name) + (row[name] or 0))
    grades = scope.apply(CaseGrade.objects.all(), "case__").filter(_in_year("graded_at", year, is_datetime=True))
    for key, summary in _grade_rows(grades, key=_key(group, "graded_at", "case__")).items():
        at(key).grades.merge(summary)
    return result


@dataclass(frozen=True)
class QualityProfile:
    kind: str  # LAWYER or INSTITUTION
    subject: Practitioner | Institution
    years: list[tuple[int, Figures]]  # latest year first
    total: Figures

    @property
    def name(self) -> str:
        return self.subject.name


def _profile(*, kind: str, subject, scope: CaseScope, today: dt.date | None) -> QualityProfile:
    by_year = figures(scope=scope, group="year", today=today)
    total = Figures()
    for figure in by_year.values():
        total.merge(figure)
    years = sorted(((year, figure) for year, figure in by_year.items() if year is not None), reverse=True)
    return QualityProfile(kind=kind, subject=subject, years=years, total=total)


def lawyer_quality_profile(*, user, practitioner: Practitioner, today: dt.date | None = None) -> QualityProfile:
    """A lawyer's quality by year. Staff see lawyers of their region, counting the cases of their
    region; a lawyer sees their own profile only, with all their cases."""
    if user_can(user, Capability.CASE_HANDLE) and practitioner.user_id is not None and practitioner.user_id == user.pk:
        scope = CaseScope(filters={"lawyer": practitioner})
    elif is_report_reader(user):
        if not _in_scope(user, practitioner.region):
            raise _not_found()
        scope = CaseScope(filters={"lawyer": practitioner}, user=user)
    elif user_can(user, Capability.CASE_HANDLE):
        raise _not_found()
    else:
        raise _forbidden()
    return _profile(kind=LAWYER, subject=practitioner, scope=scope, today=today)


def institution_quality_profile(*, user, institution: Institution, today: dt.date | None = None) -> QualityProfile:
    """A law firm's (or other handling institution's) quality by year, for staff of its region."""
    if not is_report_reader(user):
        if user_can(user, Capability.CASE_HANDLE):
            raise _not_found()
        raise _forbidden()
    if institution.kind not in PROFILED_INSTITUTIONS or not _in_scope(user, institution.region):
        raise _not_found()
    scope = CaseScope(filters={"institution": institution}, user=user)
    return _profile(kind=INSTITUTION, subject=institution, scope=scope, today=today)


@dataclass(frozen=True)
class ProfileRow:
    subject: Practitioner | Institution
    figures: Figures


def profile_list(*, user, kind: str, year: int, today: dt.date | None = None) -> list[ProfileRow]:
    """Every lawyer (or institution) with quality figures in `year` from the cases of the user's region,
    for the bar association's annual review. Ten queries at most, whatever the number of rows."""
    if not is_report_reader(user):
        raise _forbidden()
    group = LAWYER if kind == LAWYER else INSTITUTION
    by_subject = figures(scope=CaseScope(filters={}, user=user), group=group, year=year, today=today)
    by_subject.pop(None, None)
    model = Practitioner if group == LAWYER else Institution
    subjects = model.objects.filter(pk__in=list(by_subject)).select_related(
        *(["institution"] if group == LAWYER else [])).order_by("name_pinyin", "name", "id") if by_subject else []
    return [ProfileRow(subject=subject, figures=by_subject[subject.pk]) for subject in subjects]
