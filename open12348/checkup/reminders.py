"""Follow-up visits as a source for the reminder engine (notifications/reminders.py): the team of a
visit whose report was issued hears before the follow-up day, on it and once after it (the person
who recorded the visit, if the team has no account).

Importing this module registers the source; CheckupConfig.ready() imports it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from .choices import CheckupVisitStatus
from .models import Visit

SOURCE_NAME = "checkup.follow_ups"


def follow_up_deadlines(*, today: dt.date) -> Iterable:
    from open12348.notifications.reminders import Deadline, remind_before_days

    horizon = today + dt.timedelta(days=remind_before_days())
    visits = (Visit.objects.filter(status=CheckupVisitStatus.REPORTED, follow_up_due__lte=horizon)
              .select_related("enterprise", "created_by").prefetch_related("team_users"))
    for visit in visits:
        recipients = tuple(u for u in visit.team_users.all() if u.is_active)
        if not recipients and visit.created_by and visit.created_by.is_active:
            recipients = (visit.created_by,)
        if not recipients:
            continue
        yield Deadline(key=f"checkup.follow_up:{visit.pk}", due=visit.follow_up_due, recipients=recipients,
                       title=_("Follow-up visit to %(enterprise)s") % {"enterprise": visit.enterprise.name},
                       url=reverse("checkup:visit", args=[visit.pk]), obj=visit)


def register() -> None:
    from open12348.notifications.reminders import register_source

    register_source(SOURCE_NAME, follow_up_deadlines)


register()
