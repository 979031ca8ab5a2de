"""Reads of legal aid applications for staff: always restricted to the user's region subtree."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from open12348.accounts.scope import restrict_to_regions

from . import workflow
from .choices import ApplicationStatus
from .models import Application

DUE_SOON_DAYS = 2

QUEUES = ("new", "materials", "due_soon", "overdue", "awaiting_assignment", "objections", "all")


def application_list_visible_to(*, user, filters: dict | None = None, today: dt.date | None = None
                                ) -> QuerySet[Application]:
    """Applications the user may see, filtered; green-channel priority first, then the nearest deadline."""
    filters = filters or {}
    today = today or timezone.localdate()
    qs = restrict_to_regions(Application.objects.all(), user=user)
    queue = filters.get("queue") or "all"
    if queue == "new":
        qs = qs.filter(status=ApplicationStatus.RECEIVED)
    elif queue == "materials":
        qs = qs.filter(status=ApplicationStatus.SUPPLEMENT_REQUESTED)
    elif queue == "due_soon":
        qs = qs.filter(status__in=workflow.REVIEW_OPEN, review_due__gte=today,
                       review_due__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
    elif queue == "overdue":
        qs = qs.filter(
            Q(status__in=workflow.REVIEW_OPEN, review_due__lt=today)
            | Q(status__in=workflow.AWAITING_ASSIGNMENT, assignment_due__lt=today, case__isnull=True)
        )
    elif queue == "awaiting_assignment":
        qs = qs.filter(status__in=workflow.AWAITING_ASSIGNMENT, case__isnull=True)
    elif queue == "objections":
        qs = qs.filter(status=ApplicationStatus.OBJECTION)
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("channel"):
        qs = qs.filter(channel=filters["channel"])
    if filters.get("matter"):
        qs = qs.filter(matter=filters["matter"])
    if filters.get("centre"):
        qs = qs.filter(centre_id=filters["centre"])
    if filters.get("q"):
        q = filters["q"].strip()
        qs = qs.filter(Q(number__icontains=q) | Q(applicant__name__icontains=q) | Q(cause__icontains=q))
    # The deadline that matters depends on the status: review, or assignment.
    qs = qs.annotate(
        next_due=Case(
            When(status__in=workflow.REVIEW_OPEN, then="review_due"),
            When(status__in=workflow.AWAITING_ASSIGNMENT, then="assignment_due"),
            When(status=ApplicationStatus.SUPPLEMENT_REQUESTED, then="supplement_due"),
            default=Value(None),
        ),
        priority_rank=Case(When(priority=True, then=Value(0)), default=Value(1), output_field=IntegerField()),
    )
    return qs.select_related("applicant", "centre", "region").order_by(
        "priority_rank", "next_due", "received_at", "id"
    )


def queue_counts(*, user, today: dt.date | None = None) -> dict[str, int]:
    return {q: application_list_visible_to(user=user, filters={"queue": q}, today=today).count()
            for q in QUEUES if q != "all"}


def applications_of_person(*, user, person_id: int, exclude_id: int | None = None) -> QuerySet[Application]:
    """The person's other applications the user may see (shown to the reviewer)."""
    qs = restrict_to_regions(Application.objects.filter(applicant_id=person_id), user=user)
    if exclude_id:
        qs = qs.exclude(pk=exclude_id)
    return qs.select_related("centre").order_by("-received_at")
