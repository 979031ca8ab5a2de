"""Consultation deadlines as a source for the reminder engine (notifications/reminders.py):

- a question waiting past (or near) its answer date → the duty lawyers and hotline supervisors of
  its region (CONSULT_ANSWER);
- an open follow-up of a dissatisfied rating → the staff who follow up ratings in its region.

Importing this module registers the source; ConsultConfig.ready() imports it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from .choices import FollowUpStatus, QuestionStatus
from .models import FollowUp, Question
from .staff import ANSWER_ROLES, FOLLOW_UP_ROLES, staff_by_region

SOURCE_NAME = "consult"


def consult_deadlines(*, today: dt.date, within_days: int = 1) -> Iterable:
    from open12348.notifications.reminders import Deadline

    horizon = today + dt.timedelta(days=within_days)
    questions = list(Question.objects.filter(status=QuestionStatus.WAITING, answer_due__lte=horizon)
                     .select_related("region").order_by("answer_due", "id"))
    follow_ups = list(FollowUp.objects.filter(status=FollowUpStatus.OPEN, due__lte=horizon)
                      .select_related("region").order_by("due", "id"))
    lawyers = staff_by_region({q.region.path for q in questions}, ANSWER_ROLES)
    followers = staff_by_region({f.region.path for f in follow_ups}, FOLLOW_UP_ROLES)
    for question in questions:
        recipients = lawyers.get(question.region.path, [])
        if recipients:
            yield Deadline(key=f"consult.question:{question.pk}:answer", due=question.answer_due,
                           recipients=recipients, obj=question, email=False,
                           title=_("Answer online question %(code)s") % {"code": question.tracking_code},
                           url=reverse("consult:question", args=[question.pk]))
    for follow_up in follow_ups:
        recipients = followers.get(follow_up.region.path, [])
        if recipients:
            yield Deadline(key=f"consult.follow_up:{follow_up.pk}:close", due=follow_up.due, recipients=recipients,
                           obj=follow_up, email=False, title=_("Call back a dissatisfied citizen"),
                           url=reverse("consult:followup", args=[follow_up.pk]))


def _engine_deadlines(*, today: dt.date) -> Iterable:
    from open12348.notifications.reminders import remind_before_days

    return consult_deadlines(today=today, within_days=remind_before_days())


def register() -> None:
    from open12348.notifications.reminders import register_source

    register_source(SOURCE_NAME, _engine_deadlines)


register()
