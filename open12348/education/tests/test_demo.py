"""The demo seed on a small world: articles through the real workflow, activities across counties."""

from __future__ import annotations

import pytest
from django.utils import timezone

from open12348.education import search, selectors
from open12348.education.choices import ActivityStatus, ArticleStatus
from open12348.education.demo import education_demo_seed
from open12348.education.demo_content import ARTICLES
from open12348.education.models import Activity, Article
from open12348.network.choices import InstitutionKind
from open12348.network.tests.factories import InstitutionFactory, pingdingshan, staff_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world():
    regions = pingdingshan()
    staff_in(regions["city"], role="bureau_admin", username="admin")
    staff_in(regions["weidong"], role="bureau_admin", username="county_admin")
    staff_in(regions["weidong"], role="director", username="director")
    InstitutionFactory(kind=InstitutionKind.JUDICIAL_BUREAU, name="新华区司法局", region=regions["xinhua"])
    return regions


def test_the_demo_seed_publishes_articles_and_records_activities(demo_world):
    counts = education_demo_seed(seed=7)
    assert counts["articles"] == len(ARTICLES) == Article.objects.count()
    assert counts["published"] == len(ARTICLES) - 2
    statuses = list(Article.objects.values_list("status", flat=True))
    assert statuses.count(ArticleStatus.DRAFT) == 1 and statuses.count(ArticleStatus.REVIEW) == 1
    assert selectors.articles_visible_to(user=Article.objects.first().author, view="due",
                                         today=timezone.localdate()).count() == 1
    assert counts["activities"] == Activity.objects.count() == 30
    assert set(Activity.objects.values_list("region__code", flat=True)) == {"410402", "410403"}
    assert Activity.objects.filter(status=ActivityStatus.PLANNED, starts_at__gt=timezone.now()).count() == 6
    assert search.search_all("工资").groups["articles"]
    assert search.search_all("工伤").groups["articles"]
    assert education_demo_seed(seed=7)["articles"] == 0  # once only


def test_the_demo_seed_is_deterministic(demo_world):
    education_demo_seed(seed=3)
    first = list(Activity.objects.order_by("id").values_list("title", "attendance", "status"))
    Activity.objects.all().delete()
    from open12348.education.models import ArticleEvent, ArticleRevision

    ArticleEvent.objects.all().delete()
    Article.objects.update(live=None)
    ArticleRevision.objects.all().delete()
    Article.objects.all().delete()
    education_demo_seed(seed=3)
    assert list(Activity.objects.order_by("id").values_list("title", "attendance", "status")) == first


def test_every_page_renders_on_the_demo_data(demo_world, client):
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    education_demo_seed(seed=1)
    article = Article.objects.filter(status=ArticleStatus.PUBLISHED).first()
    activity = Activity.objects.filter(region__code="410403").first()
    for path in (reverse("learn:index"), reverse("learn:index") + "?topic=wages&audience=elderly&county=410403",
                 reverse("learn:search") + "?q=工伤", reverse("learn:article", args=[article.pk]),
                 reverse("learn:events") + "?county=410403", reverse("portal:home")):
        assert client.get(path).status_code == 200, path
    client.force_login(get_user_model().objects.get(username="director"))
    for path in (reverse("education:articles"), reverse("education:articles") + "?view=due",
                 reverse("education:article_new"), reverse("education:article", args=[article.pk]),
                 reverse("education:article_edit", args=[article.pk]), reverse("education:activities"),
                 reverse("education:activity_new"), reverse("education:activity", args=[activity.pk]),
                 reverse("education:activity_edit", args=[activity.pk]), reverse("education:activity_report"),
                 reverse("education:activity_report") + "?start=2025-01-01&end=2026-12-31"):
        assert client.get(path).status_code == 200, path
