"""Case deadlines as a source for the reminder engine (notifications/reminders.py).

`case_deadline_records(today=...)` reads the open deadlines and returns plain records: which
deadline of which case or application, when it is due, and who must act:

- assignment: a granted or notified application still without a lawyer → the centre's reviewers
  and directors (Art. 43, 36: within 3 days);
- agreement: the agreement and power of attorney → the assigned lawyer's account;
- no_progress: no progress entry for the configured number of days → the lawyer (Art. 46);
- closing: a closing file returned for correction → the lawyer;
- subsidy: the closing file's review and the subsidy payment → the centre's directors.

Importing this module registers the source with the engine; LegalaidConfig.ready() imports it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from open12348.accounts.models import Membership
from open12348.accounts.roles import Role

from . import workflow
from .choices import CaseStatus, DeadlineKind
from .models import Application, Case
from .selectors_cases import deadline_days, without_progress

SOURCE_NAME = "legalaid.cases"
CENTRE_REVIEWERS = (Role.REVIEWER, Role.DIRECTOR)
CENTRE_DIRECTORS = (Role.DIRECTOR,)


@dataclass(frozen=True)
class CaseDeadlineRecord:
    key: str  # stable per object and kind of deadline: "legalaid.case:12:agreement"
    kind: str
    due: dt.date
    recipients: tuple  # users
    title: str
    url: str
    obj: object


def _url(name: str, pk: int) -> str:
    """The screen's address: the case screens are included on their own ("cases:") or inside the
    legal aid console ("legalaid:cases:"); none on a site without them."""
    for namespaced in (name, f"legalaid:{name}"):
        try:
            return reverse(namespaced, args=[pk])
        except NoReverseMatch:
            continue
    return ""


def _centre_staff(centre_ids: set[int], roles: tuple[str, ...]) -> dict[int, tuple]:
    """Active staff with one of `roles` at each centre, in one query."""
    found: dict[int, list] = defaultdict(list)
    memberships = (Membership.objects.filter(institution_id__in=centre_ids, role__in=roles, is_active=True,
                                             user__is_active=True)
                   .select_related("user").order_by("institution_id", "user_id"))
    for membership in memberships:
        if membership.user not in found[membership.institution_id]:
            found[membership.institution_id].append(membership.user)
    return {centre: tuple(users) for centre, users in found.items()}


def _case_record(case: Case, kind: str, due: dt.date, recipients: tuple, title: str) -> CaseDeadlineRecord:
    return CaseDeadlineRecord(key=f"legalaid.case:{case.pk}:{kind}", kind=kind, due=due, recipients=recipients,
                              title=title, url=_url("cases:detail", case.pk), obj=case)


def _lawyer(case: Case) -> tuple:
    return (case.lawyer_user,) if case.lawyer_user_id else ()


def _assignment_records(horizon: dt.date) -> list[CaseDeadlineRecord]:
    applications = list(Application.objects.filter(
        status__in=workflow.AWAITING_ASSIGNMENT, case__isnull=True, assignment_due__isnull=False,
        assignment_due__lte=horizon,
    ).order_by("assignment_due", "id"))
    staff = _centre_staff({a.centre_id for a in applications}, CENTRE_REVIEWERS)
    return [
        CaseDeadlineRecord(
            key=f"legalaid.application:{a.pk}:assignment", kind=DeadlineKind.ASSIGNMENT, due=a.assignment_due,
            recipients=staff.get(a.centre_id, ()), title=_("Assign a lawyer to %(number)s") % {"number": a.number},
            url=_url("cases:assign", a.pk), obj=a,
        )
        for a in applications
    ]


def _review_records(horizon: dt.date) -> list[CaseDeadlineRecord]:
    """Art. 43: applications to decide within 7 days of receipt (the clock stops while materials are awaited)."""
    applications = list(Application.objects.filter(
        status__in=workflow.REVIEW_OPEN, review_due__isnull=False, review_due__lte=horizon,
    ).order_by("review_due", "id"))
    staff = _centre_staff({a.centre_id for a in applications}, CENTRE_REVIEWERS)
    return [
        CaseDeadlineRecord(
            key=f"legalaid.application:{a.pk}:review", kind="review", due=a.review_due,
            recipients=staff.get(a.centre_id, ()), title=_("Decide on application %(number)s") % {"number": a.number},
            url=_url("legalaid:detail", a.pk), obj=a,
        )
        for a in applications
    ]


def _lawyer_records(horizon: dt.date) -> list[CaseDeadlineRecord]:
    records = []
    agreement = Case.objects.filter(status=CaseStatus.ASSIGNED, agreement_due__lte=horizon).select_related(
        "lawyer_user")
    for case in agreement:
        records.append(_case_record(case, DeadlineKind.AGREEMENT, case.agreement_due, _lawyer(case),
                                    _("Sign the agreement and power of attorney for %(number)s")
                                    % {"number": case.number}))
    returned = Case.objects.filter(status=CaseStatus.RETURNED, closing_due__lte=horizon).select_related("lawyer_user")
    for case in returned:
        records.append(_case_record(case, DeadlineKind.CLOSING, case.closing_due, _lawyer(case),
                                    _("Correct and resubmit the closing file of %(number)s")
                                    % {"number": case.number}))
    days = deadline_days(DeadlineKind.NO_PROGRESS)
    for case in without_progress(Case.objects.select_related("lawyer_user"), today=horizon):
        due = timezone.localdate(case.last_work) + dt.timedelta(days=days)
        records.append(_case_record(case, DeadlineKind.NO_PROGRESS, due, _lawyer(case),
                                    _("Record the progress of %(number)s and tell the aided person")
                                    % {"number": case.number}))
    return records


def _subsidy_records(horizon: dt.date) -> list[CaseDeadlineRecord]:
    cases = list(Case.objects.filter(status__in=(CaseStatus.CLOSED, CaseStatus.ARCHIVED), subsidy_due__lte=horizon))
    directors = _centre_staff({c.centre_id for c in cases}, CENTRE_DIRECTORS)
    return [
        _case_record(case, DeadlineKind.SUBSIDY, case.subsidy_due, directors.get(case.centre_id, ()),
                     _("Review the closing file of %(number)s and pay the subsidy") % {"number": case.number})
        for case in cases
    ]


def case_deadline_records(*, today: dt.date, within_days: int = 1) -> list[CaseDeadlineRecord]:
    """Every open case deadline due by `today + within_days` (overdue ones included), with who must act.

    A fixed number of queries whatever the number of cases.
    """
    horizon = today + dt.timedelta(days=within_days)
    records = [*_review_records(horizon), *_assignment_records(horizon), *_lawyer_records(horizon),
               *_subsidy_records(horizon)]
    return sorted(records, key=lambda r: (r.due, r.key))


def _engine_deadlines(*, today: dt.date) -> Iterable:
    from open12348.notifications.reminders import Deadline, remind_before_days

    for record in case_deadline_records(today=today, within_days=remind_before_days()):
        if record.recipients:
            yield Deadline(key=record.key, due=record.due, recipients=record.recipients, title=record.title,
                           url=record.url, obj=record.obj)


def register() -> None:
    from open12348.notifications.reminders import register_source

    register_source(SOURCE_NAME, _engine_deadlines)


register()
