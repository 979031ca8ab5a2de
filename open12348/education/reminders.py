"""Re-checks as a source for the reminder engine (notifications/reminders.py): a published article
whose last check against the law will be older than EDUCATION_RECHECK_DAYS → the reviewers
(EDUCATION_PUBLISH) of its region. Importing this module registers the source (EducationConfig.ready)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from open12348.accounts.roles import ROLE_CAPABILITIES, Capability
from open12348.consult.staff import staff_by_region

from . import workflow
from .choices import ArticleStatus
from .models import Article

SOURCE_NAME = "education"
REVIEWER_ROLES = tuple(role for role, caps in ROLE_CAPABILITIES.items() if Capability.EDUCATION_PUBLISH in caps)


def recheck_deadlines(*, today: dt.date, within_days: int = 1) -> Iterable:
    from open12348.notifications.reminders import Deadline

    days = workflow.recheck_days()
    cutoff = today + dt.timedelta(days=within_days) - dt.timedelta(days=days)
    articles = list(Article.objects.filter(status=ArticleStatus.PUBLISHED, last_checked__lte=cutoff)
                    .select_related("region").order_by("last_checked", "id"))
    reviewers = staff_by_region({a.region.path for a in articles}, REVIEWER_ROLES)
    for article in articles:
        recipients = reviewers.get(article.region.path, [])
        if recipients:
            yield Deadline(key=f"education.article:{article.pk}:recheck",
                           due=article.last_checked + dt.timedelta(days=days), recipients=recipients, obj=article,
                           email=False, title=_("Check a legal education article against the law: %(title)s")
                           % {"title": article.title}, url=reverse("education:article", args=[article.pk]))


def _engine_deadlines(*, today: dt.date) -> Iterable:
    from open12348.notifications.reminders import remind_before_days

    return recheck_deadlines(today=today, within_days=remind_before_days())


def register() -> None:
    from open12348.notifications.reminders import register_source

    register_source(SOURCE_NAME, _engine_deadlines)


register()
