"""Front-desk feedback deadlines as a source for the reminder engine (notifications/reminders.py):
a ticket still waiting for its back office at (or near) its feedback deadline → the front-desk staff
of the desk that registered it, so that they chase the back office and keep the person informed.

Importing this module registers the source; FrontDeskConfig.ready() imports it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from open12348.accounts.roles import Role

from .choices import TicketStatus
from .models import Ticket

SOURCE_NAME = "frontdesk"
ROLES = (Role.WINDOW_STAFF, Role.STATION_STAFF)


def frontdesk_deadlines(*, today: dt.date, within_days: int = 1) -> Iterable:
    from open12348.accounts.models import Membership
    from open12348.notifications.reminders import Deadline

    horizon = today + dt.timedelta(days=within_days)
    tickets = list(Ticket.objects.filter(status__in=[TicketStatus.OPEN, TicketStatus.IN_PROGRESS],
                                         feedback_due__lte=horizon).select_related("visit").order_by("feedback_due",
                                                                                                      "id"))
    staff = defaultdict(list)
    for membership in (Membership.objects.filter(institution_id__in={t.visit.desk_id for t in tickets}, role__in=ROLES,
                                                 is_active=True, user__is_active=True)
                       .select_related("user").order_by("user_id")):
        staff[membership.institution_id].append(membership.user)
    for ticket in tickets:
        recipients = staff.get(ticket.visit.desk_id, [])
        if recipients:
            yield Deadline(key=f"frontdesk.ticket:{ticket.pk}:feedback", due=ticket.feedback_due,
                           recipients=recipients, obj=ticket, email=False,
                           title=_("Feedback on front-desk ticket %(number)s") % {"number": ticket.number},
                           url=reverse("frontdesk:ticket", args=[ticket.pk]))


def _engine_deadlines(*, today: dt.date) -> Iterable:
    from open12348.notifications.reminders import remind_before_days

    return frontdesk_deadlines(today=today, within_days=remind_before_days())


def register() -> None:
    from open12348.notifications.reminders import register_source

    register_source(SOURCE_NAME, _engine_deadlines)


register()
