"""Open supervision tickets as a source for the reminder engine (notifications/reminders.py): the
ticket's owner hears before the deadline, on it and once after it. Going up to the supervisors when
a ticket is overdue is `services_review.tickets_escalate`, run by the beat schedule.

Importing this module registers the source; QualityConfig.ready() imports it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from .choices import TicketStatus
from .models import Ticket

SOURCE_NAME = "quality.tickets"


def _ticket_deadlines(*, today: dt.date) -> Iterable:
    from open12348.notifications.reminders import Deadline, remind_before_days

    horizon = today + dt.timedelta(days=remind_before_days())
    tickets = Ticket.objects.filter(status=TicketStatus.OPEN, deadline__lte=horizon, owner__isnull=False,
                                    owner__is_active=True).select_related("owner", "case")
    for ticket in tickets:
        yield Deadline(key=f"quality.ticket:{ticket.pk}", due=ticket.deadline, recipients=(ticket.owner,),
                       title=_("Correct case %(number)s for the quality supervision ticket")
                       % {"number": ticket.case.number},
                       url=reverse("quality:ticket", args=[ticket.pk]), obj=ticket)


def register() -> None:
    from open12348.notifications.reminders import register_source

    register_source(SOURCE_NAME, _ticket_deadlines)


register()
