"""Reads for case quality, restricted to the user's region."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from open12348.accounts.permissions import user_can
from open12348.accounts.scope import restrict_to_regions

from .choices import TicketStatus
from .models import Evaluation, Scheme, Ticket
from .services import EVALUATOR


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
