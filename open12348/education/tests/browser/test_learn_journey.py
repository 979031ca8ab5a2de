"""A citizen on a phone looks up wages owed with a two-character query, reads the guide and follows its
"what to do next" link into the legal aid application of the portal."""

from __future__ import annotations

import re

import pytest

from open12348.education import services
from open12348.education.tests.conftest import content
from open12348.network.tests.factories import pingdingshan, staff_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def guide():
    regions = pingdingshan()
    editor = staff_in(regions["weidong"], role="station_staff", username="wd_editor")
    director = staff_in(regions["weidong"], role="director", username="wd_director")
    article = services.article_create(actor=editor, data=content(regions["weidong"]))
    services.article_transition(actor=editor, article=article, action="submit")
    services.article_transition(actor=director, article=article, action="publish")
    other = services.article_create(actor=editor, data=content(regions["weidong"], title="工伤认定指南",
                                                               topic="work_injury", body="工伤认定。",
                                                               summary="受伤后。", legal_basis=""))
    services.article_transition(actor=editor, article=other, action="submit")
    services.article_transition(actor=director, article=other, action="publish")
    return article


def test_a_citizen_finds_a_guide_by_two_characters_and_goes_on_to_apply(browser_page, live_url, shot, guide):
    page = browser_page
    page.goto(f"{live_url}/portal/learn/")
    shot("learn-index")
    page.locator("#id_q").fill("工资")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url(re.compile(r"/portal/learn/search/\?q="))
    shot("search-results")
    articles = page.locator("section[data-source=articles]")
    articles.get_by_role("link", name=guide.title).click()
    page.wait_for_url(re.compile(rf"/portal/learn/a/{guide.pk}/$"))
    assert page.get_by_role("heading", level=1).inner_text() == guide.title
    shot("article")
    page.locator("a[data-next-step=apply]").click()
    page.wait_for_url(re.compile(r"/portal/apply/$"))
    shot("apply")
    assert page.url.endswith("/portal/apply/")
