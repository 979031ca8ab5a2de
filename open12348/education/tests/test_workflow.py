"""The editorial workflow: drafts are never public, review by someone else, revisions, scope, audit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from open12348.audit.models import AuditEvent
from open12348.core.errors import ApplicationError
from open12348.education import selectors, services
from open12348.education.choices import ArticleStatus
from open12348.education.models import Article, ArticleEvent, ArticleRevision

from .conftest import content, days_ago

pytestmark = pytest.mark.django_db


def test_a_draft_and_an_article_in_review_are_never_public(world, client):
    article = services.article_create(actor=world["wd_editor"], data=content(world["regions"]["weidong"]))
    url = reverse("learn:article", args=[article.pk])
    assert client.get(url).status_code == 404
    assert not selectors.live_articles().exists()
    assert client.get(reverse("learn:search"), {"q": "工资"}).context["results"].groups["articles"] == []
    services.article_transition(actor=world["wd_editor"], article=article, action="submit")
    assert client.get(url).status_code == 404
    assert client.get(reverse("learn:index")).context["page_obj"].paginator.count == 0


def test_publishing_puts_a_frozen_revision_on_the_portal(world, client, published):
    assert published.status == ArticleStatus.PUBLISHED
    response = client.get(reverse("learn:article", args=[published.pk]))
    assert response.status_code == 200
    assert "农民工被拖欠工资怎么办" in response.content.decode()
    assert published.live.number == 1 and published.live.last_checked is not None
    assert list(ArticleEvent.objects.filter(article=published).values_list("action", flat=True)) == [
        "create", "submit", "publish"]
    actions = set(AuditEvent.objects.filter(object_id=str(published.pk), action__startswith="education.article")
                  .values_list("action", flat=True))
    assert actions == {"education.article.create", "education.article.submit", "education.article.publish"}


def test_the_author_cannot_review_their_own_article_and_nothing_changes(world):
    article = services.article_create(actor=world["wd_director"], data=content(world["regions"]["weidong"]))
    services.article_transition(actor=world["wd_director"], article=article, action="submit")
    with pytest.raises(ApplicationError) as refused:
        services.article_transition(actor=world["wd_director"], article=article, action="publish")
    assert refused.value.code == "reviewer_is_author"
    article.refresh_from_db()
    assert article.status == ArticleStatus.REVIEW and article.live_id is None
    assert not ArticleRevision.objects.exists()
    assert not AuditEvent.objects.filter(action="education.article.publish").exists()


def test_an_editor_without_the_publish_capability_cannot_publish_and_nothing_changes(world):
    article = services.article_create(actor=world["wd_editor"], data=content(world["regions"]["weidong"]))
    services.article_transition(actor=world["wd_editor"], article=article, action="submit")
    other_editor = world["wd_window"]
    for actor in (world["wd_editor"], other_editor):
        with pytest.raises(ApplicationError) as refused:
            services.article_transition(actor=actor, article=article, action="publish")
        assert refused.value.code == "forbidden"
    article.refresh_from_db()
    assert article.status == ArticleStatus.REVIEW and not ArticleRevision.objects.exists()


def test_window_staff_cannot_write_articles(world, client):
    with pytest.raises(ApplicationError):
        services.article_create(actor=world["wd_window"], data=content(world["regions"]["weidong"]))
    client.force_login(world["wd_window"])
    response = client.post(reverse("education:article_new"), {"title": "x"})
    assert response.status_code == 403
    assert not Article.objects.exists()


def test_editing_a_published_article_keeps_the_reviewed_text_live_until_republished(world, client, published):
    url = reverse("learn:article", args=[published.pk])
    services.article_update(actor=world["wd_editor"], article=published,
                            data=content(world["regions"]["weidong"], title="拖欠工资：新的标题"))
    published.refresh_from_db()
    assert published.status == ArticleStatus.DRAFT and published.live_id is not None
    page = client.get(url).content.decode()
    assert "农民工被拖欠工资怎么办" in page and "新的标题" not in page
    services.article_transition(actor=world["wd_editor"], article=published, action="submit")
    services.article_transition(actor=world["wd_director"], article=published, action="publish")
    page = client.get(url).content.decode()
    assert "新的标题" in page
    assert ArticleRevision.objects.filter(article=published).count() == 2
    assert ArticleRevision.objects.filter(article=published, is_live=True).count() == 1


def test_an_article_in_review_cannot_be_edited(world, published):
    services.article_update(actor=world["wd_editor"], article=published,
                            data=content(world["regions"]["weidong"], title="改"))
    services.article_transition(actor=world["wd_editor"], article=published, action="submit")
    with pytest.raises(ApplicationError) as refused:
        services.article_update(actor=world["wd_editor"], article=published,
                                data=content(world["regions"]["weidong"], title="再改"))
    assert refused.value.code == "invalid_transition"
    published.refresh_from_db()
    assert published.title == "改"


def test_returning_needs_a_note_and_goes_back_to_draft(world):
    article = services.article_create(actor=world["wd_editor"], data=content(world["regions"]["weidong"]))
    services.article_transition(actor=world["wd_editor"], article=article, action="submit")
    with pytest.raises(ApplicationError):
        services.article_transition(actor=world["wd_director"], article=article, action="return")
    services.article_transition(actor=world["wd_director"], article=article, action="return", note="补充法条")
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT
    assert article.events.last().note == "补充法条"


def test_withdrawing_takes_the_article_off_the_portal(world, client, published):
    services.article_transition(actor=world["wd_director"], article=published, action="withdraw", note="法律修订")
    assert client.get(reverse("learn:article", args=[published.pk])).status_code == 404
    assert not ArticleRevision.objects.filter(is_live=True).exists()


def test_due_for_recheck_is_flagged_and_a_recheck_clears_it(world, client, published, settings):
    settings.EDUCATION_RECHECK_DAYS = 30
    Article.objects.filter(pk=published.pk).update(last_checked=days_ago(31))
    assert list(selectors.articles_visible_to(user=world["wd_director"], view="due")) == [published]
    client.force_login(world["wd_director"])
    page = client.get(reverse("education:articles"))
    assert page.context["due_count"] == 1 and page.context["rows"][0]["due"]
    services.article_transition(actor=world["wd_director"], article=published, action="recheck")
    assert not selectors.articles_visible_to(user=world["wd_director"], view="due").exists()
    published.refresh_from_db()
    assert published.live.last_checked == published.last_checked


def test_county_scope_for_staff_and_regions(world, published):
    xinhua = world["xh_director"]
    assert not selectors.articles_visible_to(user=xinhua).exists()
    assert list(selectors.articles_visible_to(user=world["city_admin"])) == [published]
    with pytest.raises(ApplicationError) as refused:
        services.article_transition(actor=xinhua, article=published, action="withdraw")
    assert refused.value.code == "forbidden"
    published.refresh_from_db()
    assert published.status == ArticleStatus.PUBLISHED
    # A county cannot publish for the city; the city can.
    with pytest.raises(ApplicationError) as refused:
        services.article_create(actor=world["wd_editor"], data=content(world["regions"]["city"]))
    assert refused.value.code == "region_out_of_scope"
    assert services.article_create(actor=world["city_admin"], data=content(world["regions"]["city"]))


def test_staff_of_another_county_get_404_on_the_article(world, client, published):
    client.force_login(world["xh_director"])
    assert client.get(reverse("education:article", args=[published.pk])).status_code == 404
    response = client.post(reverse("education:article_action", args=[published.pk, "withdraw"]))
    assert response.status_code == 404
    published.refresh_from_db()
    assert published.status == ArticleStatus.PUBLISHED


def test_the_portal_shows_city_articles_to_every_county_and_county_articles_to_their_own(world, client, published):
    city = services.article_create(actor=world["city_admin"], data=content(world["regions"]["city"], title="全市通用"))
    services.article_transition(actor=world["city_admin"], article=city, action="submit")
    with pytest.raises(ApplicationError):  # a county reviewer cannot publish for the whole city
        services.article_transition(actor=world["wd_director"], article=city, action="publish")
    services.article_transition(actor=world["city_director"], article=city, action="publish")
    assert selectors.live_articles(county=world["regions"]["xinhua"]).count() == 1
    assert selectors.live_articles(county=world["regions"]["weidong"]).count() == 2
    index = client.get(reverse("learn:index"), {"county": "410402"})
    assert [a.title for a in index.context["page_obj"]] == ["全市通用"]


def test_the_staff_forms_create_submit_and_publish(world, client):
    client.force_login(world["wd_editor"])
    form = content(world["regions"]["weidong"])
    form["region"] = world["regions"]["weidong"].pk
    form["last_checked"] = ""
    response = client.post(reverse("education:article_new"), form)
    assert response.status_code == 302, response.context["form"].errors
    article = Article.objects.get()
    client.post(reverse("education:article_action", args=[article.pk, "submit"]))
    client.force_login(world["wd_director"])
    page = client.get(reverse("education:article", args=[article.pk]))
    assert [a for a, _label in page.context["actions"]] == ["return", "publish", "withdraw"]
    client.post(reverse("education:article_action", args=[article.pk, "publish"]))
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    assert client.get(reverse("learn:article", args=[article.pk])).status_code == 200


def test_the_staff_list_runs_a_fixed_number_of_queries(world, client, django_assert_max_num_queries):
    for n in range(12):
        services.article_create(actor=world["wd_editor"], data=content(world["regions"]["weidong"], title=f"文章{n}"))
    client.force_login(world["wd_director"])
    with django_assert_max_num_queries(14):
        assert client.get(reverse("education:articles")).status_code == 200


def test_a_reminder_goes_to_the_reviewers_of_the_region_when_a_recheck_is_due(world, published, settings):
    from open12348.education.reminders import recheck_deadlines

    settings.EDUCATION_RECHECK_DAYS = 30
    today = published.last_checked
    assert list(recheck_deadlines(today=today)) == []
    Article.objects.filter(pk=published.pk).update(last_checked=days_ago(40))
    (deadline,) = list(recheck_deadlines(today=days_ago(0)))
    assert deadline.key == f"education.article:{published.pk}:recheck"
    assert {u.username for u in deadline.recipients} == {"wd_director", "city_admin", "city_director"}


def test_a_stale_edit_form_is_refused(world, published):
    services.article_update(actor=world["wd_editor"], article=published,
                            data=content(world["regions"]["weidong"], title="第一次修改"), version=published.version)
    with pytest.raises(ApplicationError) as refused:
        services.article_update(actor=world["wd_director"], article=published,
                                data=content(world["regions"]["weidong"], title="过期的修改"), version=published.version)
    assert refused.value.code == "conflict"
    published.refresh_from_db()
    assert published.title == "第一次修改"
