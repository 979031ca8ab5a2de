"""Reads of legal education: what staff see (scoped by region) and what citizens see (live only)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from open12348.accounts.scope import restrict_to_regions
from open12348.network.choices import RegionLevel
from open12348.network.models import Region

from . import workflow
from .choices import ActivityStatus, ArticleStatus, EducationAudience, EducationTopic
from .models import Activity, Article, ArticleRevision

ARTICLE_VIEWS = ("all", "draft", "review", "published", "due", "withdrawn")


# --- staff ---------------------------------------------------------------------------------------

def due_condition(today: dt.date) -> Q:
    return Q(status=ArticleStatus.PUBLISHED) & (Q(last_checked__isnull=True)
                                                | Q(last_checked__lt=workflow.recheck_before(today)))


def articles_visible_to(*, user, view: str = "all", topic: str = "", q: str = "",
                        today: dt.date | None = None) -> QuerySet[Article]:
    today = today or timezone.localdate()
    qs = restrict_to_regions(Article.objects.all(), user=user)
    if view == "due":
        qs = qs.filter(due_condition(today))
    elif view in ArticleStatus.values:
        qs = qs.filter(status=view)
    if topic in EducationTopic.values:
        qs = qs.filter(topic=topic)
    if q:
        qs = qs.filter(Q(title__icontains=q[:40]) | Q(summary__icontains=q[:40]))
    return qs.select_related("region", "author", "live").order_by("-updated_at", "-id")


def access_article(*, user, id: int) -> Article:  # noqa: A002
    """One article for staff of its region: the same 404 for missing and outside the area."""
    article = (restrict_to_regions(Article.objects.all(), user=user).select_related("region", "author", "live")
               .filter(pk=id).first())
    if article is None:
        raise Http404
    return article


def article_timeline(*, article: Article):
    return list(article.events.select_related("actor").order_by("at", "id"))


def activities_visible_to(*, user, status: str = "", kind: str = "", start: dt.date | None = None,
                          end: dt.date | None = None) -> QuerySet[Activity]:
    qs = restrict_to_regions(Activity.objects.all(), user=user)
    if status in ActivityStatus.values:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if start:
        qs = qs.filter(starts_at__date__gte=start)
    if end:
        qs = qs.filter(starts_at__date__lte=end)
    return qs.select_related("region", "organiser").order_by("-starts_at", "-id")


def access_activity(*, user, id: int) -> Activity:  # noqa: A002
    activity = (restrict_to_regions(Activity.objects.all(), user=user)
                .select_related("region", "organiser", "service_point", "created_by").filter(pk=id).first())
    if activity is None:
        raise Http404
    return activity


# --- citizens ------------------------------------------------------------------------------------

def counties() -> list[Region]:
    return list(Region.objects.filter(level=RegionLevel.COUNTY).order_by("code"))


def county_by_code(code: str) -> Region | None:
    if not code:
        return None
    return Region.objects.filter(level=RegionLevel.COUNTY, code=code).first()


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


def for_county(qs: QuerySet, county: Region | None, *, field: str = "region") -> QuerySet:
    """What concerns people of a county: written for the county (or a place in it), or for the whole city."""
    if county is None:
        return qs
    return qs.filter(Q(**{f"{field}__path__in": _ancestor_paths(county.path)})
                     | Q(**{f"{field}__path__startswith": county.path}))


def live_articles(*, topic: str = "", audience: str = "", county: Region | None = None) -> QuerySet[ArticleRevision]:
    """The published revisions citizens may read; never a draft or a withdrawn article."""
    qs = ArticleRevision.objects.filter(is_live=True)
    if topic in EducationTopic.values:
        qs = qs.filter(topic=topic)
    if audience in EducationAudience.values:
        qs = qs.filter(audience_codes__contains=f",{audience},")
    qs = for_county(qs, county)
    return qs.select_related("region").order_by("-published_at", "-id")


def live_article(*, article_id: int) -> ArticleRevision:
    revision = ArticleRevision.objects.filter(article_id=article_id, is_live=True).select_related("region").first()
    if revision is None:
        raise Http404
    return revision


def topic_counts() -> dict[str, int]:
    rows = ArticleRevision.objects.filter(is_live=True).values("topic").annotate(n=Count("id")).order_by()
    return {row["topic"]: row["n"] for row in rows}


def upcoming_activities(*, county: Region | None = None, now: dt.datetime | None = None) -> QuerySet[Activity]:
    now = now or timezone.now()
    qs = Activity.objects.filter(is_public=True, status=ActivityStatus.PLANNED, starts_at__gte=now)
    qs = for_county(qs, county)
    return qs.select_related("region", "organiser").order_by("starts_at", "id")
