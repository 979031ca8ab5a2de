"""One search box over guides, the Q&A library and the exemplary-case library, with two-character queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from open12348.consult.models import LibraryEntry, Question
from open12348.education import search, services
from open12348.quality.models import ExemplaryCase, Nomination, PanelSession

from .conftest import content

pytestmark = pytest.mark.django_db


def publish(world, **overrides):
    article = services.article_create(actor=world["wd_editor"], data=content(world["regions"]["weidong"], **overrides))
    services.article_transition(actor=world["wd_editor"], article=article, action="submit")
    return services.article_transition(actor=world["wd_director"], article=article, action="publish")


def test_a_two_character_query_finds_articles_ranked_by_where_it_occurs(world):
    about = publish(world, title="农民工被拖欠工资怎么办")
    mentions = publish(world, title="工伤认定指南", topic="work_injury", summary="受伤后怎么办",
                       body="工伤认定后，停工留薪期内工资福利待遇不变。")
    publish(world, title="交通事故处理", topic="traffic", summary="报警", body="保护现场。", legal_basis="")
    results = search.search_all("工资")
    assert [h.title for h in results.groups["articles"]] == [about.title, mentions.title]
    assert [h.title for h in search.search_all("工伤").groups["articles"]] == [mentions.title]
    assert search.search_all("").total == 0


def test_full_width_and_mixed_queries_are_normalised(world):
    publish(world, title="拖欠工资可以申请法律援助", body="拨打12348咨询。")
    assert search.search_all("１２３４８").groups["articles"]  # typed on a phone's full-width keyboard
    assert search.search_all("拖欠工资").groups["articles"]


def test_the_search_page_finds_all_three_libraries(world, client, monkeypatch):
    publish(world)
    entry = _entry(world, title="公司拖欠工资三个月怎么办", answer="可以申请劳动仲裁。")
    hidden = _entry(world, title="工资条丢了", answer="……", published=False)
    case = _exemplary(world, title="农民工追索劳动报酬案", summary="法律援助律师帮助三名农民工追回工资。")
    response = client.get(reverse("learn:search"), {"q": "工资"})
    assert response.status_code == 200
    groups = response.context["results"].groups
    assert [h.title for h in groups["articles"]] == ["农民工被拖欠工资怎么办"]
    assert [h.title for h in groups["questions"]] == [entry.title]
    assert hidden.title not in response.content.decode()
    assert [h.title for h in groups["cases"]] == [case.title]
    assert groups["cases"][0].url == reverse("quality:library_case", args=[case.pk])


def test_search_runs_a_fixed_number_of_queries(world, client, django_assert_max_num_queries):
    for n in range(15):
        publish(world, title=f"工资问题{n}")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("learn:search"), {"q": "工资"})
    assert len(response.context["results"].groups["articles"]) == 10


# --- rows of the other two libraries, made directly (their own apps test how they get there) ----------

def _entry(world, *, title: str, answer: str, published: bool = True) -> LibraryEntry:
    from open12348.consult.choices import QuestionCategory

    question = Question.objects.create(**_question_fields(world))
    return LibraryEntry.objects.create(question=question, region=world["regions"]["weidong"],
                                       category=QuestionCategory.values[0], title=title, question_text=title,
                                       answer_text=answer, is_published=published, published_at=timezone.now(),
                                       published_by=world["wd_director"])


def _question_fields(world) -> dict:
    from open12348.consult.choices import QuestionCategory, QuestionStatus

    n = Question.objects.count()
    return {"tracking_code": f"Q{n:08d}", "phone": "13803751234", "phone_hash": f"h{n}", "region": world["regions"]["weidong"],
            "category": QuestionCategory.values[0], "text": "问题", "wants_public": True,
            "status": QuestionStatus.ANSWERED, "answer_due": timezone.localdate(), "submit_token": f"t{n}"}


def _exemplary(world, *, title: str, summary: str) -> ExemplaryCase:
    from open12348.legalaid.tests.test_cases_fixtures import assigned, granted
    from open12348.legalaid.tests.test_cases_fixtures import world as aid_world

    data = aid_world()
    case = assigned(data, granted(data))
    session = PanelSession.objects.create(title="评审会", region=data["regions"]["weidong"],
                                          held_on=dt.date(2026, 10, 1))
    nomination = Nomination.objects.create(session=session, case=case, reason="全额支持", outcome="exemplary")
    return ExemplaryCase.objects.create(case=case, nomination=nomination, region=case.region, category=case.category,
                                        title=title, summary=summary, published_at=timezone.now(),
                                        published_by=world["wd_director"])


def test_the_learning_index_runs_a_fixed_number_of_queries(world, client, django_assert_max_num_queries):
    for n in range(12):
        publish(world, title=f"指南{n}", audiences=["elderly", "women"])
    with django_assert_max_num_queries(8):
        response = client.get(reverse("learn:index"), {"audience": "elderly", "county": "410403"})
    assert response.context["page_obj"].paginator.count == 12
    assert client.get(reverse("learn:index"), {"audience": "minors"}).context["page_obj"].paginator.count == 0
