"""Mediation deadlines as a source for the reminder engine (notifications/reminders.py):

- an agreement in force whose 30-day window for a joint application for judicial confirmation
  (People's Mediation Law Art. 33) is open and nothing applied yet → the mediators and judicial
  office staff of its region, so that they remind the parties before the window closes;
- an open case past the one-month completion guideline.

Importing this module registers the source; MediationConfig.ready() imports it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from open12348.accounts.roles import Role

from .choices import DisputeStatus
from .models import Agreement, DisputeCase

SOURCE_NAME = "mediation"
ROLES = (Role.MEDIATOR, Role.STATION_STAFF)


def mediation_deadlines(*, today: dt.date, within_days: int = 1) -> Iterable:
    from open12348.consult.staff import staff_by_region
    from open12348.notifications.reminders import Deadline

    horizon = today + dt.timedelta(days=within_days)
    agreements = list(Agreement.objects.filter(
        effective_on__isnull=False, confirmation_applied_on__isnull=True, confirmation_due__lte=horizon,
        confirmation_due__gte=today - dt.timedelta(days=7),
    ).select_related("case__region").order_by("confirmation_due", "id"))
    cases = list(DisputeCase.objects.filter(
        status__in=[DisputeStatus.AWAITING_CONSENT, DisputeStatus.MEDIATING], guideline_due__lte=horizon,
    ).select_related("region").order_by("guideline_due", "id"))
    staff = staff_by_region({a.case.region.path for a in agreements} | {c.region.path for c in cases}, ROLES)
    for agreement in agreements:
        recipients = staff.get(agreement.case.region.path, [])
        if recipients:
            yield Deadline(key=f"mediation.agreement:{agreement.pk}:confirmation", due=agreement.confirmation_due,
                           recipients=recipients, obj=agreement.case, email=False,
                           title=_("Judicial confirmation window of mediation agreement %(number)s")
                           % {"number": agreement.case.number},
                           url=reverse("mediation:detail", args=[agreement.case_id]))
    for case in cases:
        recipients = staff.get(case.region.path, [])
        if recipients:
            yield Deadline(key=f"mediation.case:{case.pk}:guideline", due=case.guideline_due, recipients=recipients,
                           obj=case, email=False,
                           title=_("Complete mediation %(number)s within one month") % {"number": case.number},
                           url=reverse("mediation:detail", args=[case.pk]))


def _engine_deadlines(*, today: dt.date) -> Iterable:
    from open12348.notifications.reminders import remind_before_days

    return mediation_deadlines(today=today, within_days=remind_before_days())


def register() -> None:
    from open12348.notifications.reminders import register_source

    register_source(SOURCE_NAME, _engine_deadlines)


register()
