"""Publishing answered questions to the public Q&A library, without personal details."""

from __future__ import annotations

import pytest

from open12348.consult import services
from open12348.consult.models import LibraryEntry
from open12348.consult.selectors import library_search
from open12348.core.errors import ApplicationError

from .factories import answered, ask

pytestmark = pytest.mark.django_db

GOOD = {"title": "老板拖欠工资怎么办？", "category": "labour", "question_text": "我在工地干了三个月，老板张某不给工资。",
        "answer_text": "可以向劳动监察投诉，也可以申请劳动仲裁；农民工讨薪可以申请法律援助。", "checked": True}


def publish(actor, question, **change):
    return services.library_publish(actor=actor, question=question, **{**GOOD, **change})


def test_a_manager_publishes_an_answered_public_question(data):
    question = answered(data["regions"]["weidong"], data["weidong_lawyer"])
    entry = publish(data["weidong_admin"], question)
    assert entry.is_published and entry.published_by == data["weidong_admin"]
    assert list(library_search(q="仲裁")) == [entry]
    assert list(library_search(q="仲裁", category="family")) == []


@pytest.mark.parametrize("who", ["weidong_lawyer", "window"])
def test_those_who_may_not_manage_cannot_publish_and_nothing_is_written(data, who):
    question = answered(data["regions"]["weidong"], data["weidong_lawyer"])
    with pytest.raises(ApplicationError) as refused:
        publish(data[who], question)
    assert refused.value.status == 403
    assert LibraryEntry.objects.count() == 0


def test_a_manager_of_another_district_gets_not_found(data):
    question = answered(data["regions"]["xinhua"], data["xinhua_lawyer"])
    with pytest.raises(ApplicationError) as refused:
        publish(data["weidong_admin"], question)
    assert refused.value.status == 404
    assert LibraryEntry.objects.count() == 0


def test_private_and_unanswered_questions_are_not_published(data):
    private = answered(data["regions"]["weidong"], data["weidong_lawyer"], public=False)
    with pytest.raises(ApplicationError) as refused:
        publish(data["supervisor"], private)
    assert refused.value.code == "not_public"
    waiting = ask(data["regions"]["weidong"])
    with pytest.raises(ApplicationError) as refused:
        publish(data["supervisor"], waiting)
    assert refused.value.code == "not_answered"
    assert LibraryEntry.objects.count() == 0


@pytest.mark.parametrize(("field", "text", "what"), [
    ("question_text", "我的电话是 138 0375 1234，老板不给工资。", "phone"),
    ("answer_text", "请带身份证410403198503171234到中心办理。", "id_number"),
    ("title", "工资卡6222021234567890123被扣怎么办", "bank_card"),
])
def test_a_text_that_still_holds_a_number_is_refused_at_its_field(data, field, text, what):
    question = answered(data["regions"]["weidong"], data["weidong_lawyer"])
    with pytest.raises(ApplicationError) as refused:
        publish(data["supervisor"], question, **{field: text})
    assert (refused.value.code, refused.value.field) == ("personal_details", field)
    assert LibraryEntry.objects.count() == 0


def test_the_publisher_must_confirm_reading_for_names_and_addresses(data):
    question = answered(data["regions"]["weidong"], data["weidong_lawyer"])
    with pytest.raises(ApplicationError) as refused:
        publish(data["supervisor"], question, checked=False)
    assert refused.value.field == "checked"
    assert LibraryEntry.objects.count() == 0


def test_republishing_edits_the_entry_and_taking_it_down_hides_it(data):
    question = answered(data["regions"]["weidong"], data["weidong_lawyer"])
    entry = publish(data["supervisor"], question)
    publish(data["supervisor"], question, title="工地老板不给工资，怎么办？")
    entry.refresh_from_db()
    assert entry.title == "工地老板不给工资，怎么办？" and LibraryEntry.objects.count() == 1
    services.library_unpublish(actor=data["supervisor"], entry=entry)
    assert list(library_search()) == []
    publish(data["supervisor"], question)
    assert list(library_search()) == [entry]


def test_library_search_matches_every_word(data):
    first = publish(data["supervisor"], answered(data["regions"]["weidong"], data["weidong_lawyer"]))
    publish(data["supervisor"], answered(data["regions"]["weidong"], data["weidong_lawyer"]),
            title="离婚后孩子抚养费怎么算？", category="family", question_text="离婚后前夫不给抚养费。",
            answer_text="可以向法院起诉要求支付抚养费。")
    assert list(library_search(q="工资 仲裁")) == [first]
    assert len(library_search(q="怎么")) == 2


def test_a_published_entry_goes_into_the_knowledge_base_once_with_its_scrubbed_text(data, client):
    from open12348.hotline.models import Article
    from open12348.hotline.selectors_knowledge import article_search

    entry = publish(data["supervisor"], answered(data["regions"]["weidong"], data["weidong_lawyer"]))
    client.force_login(data["supervisor"])
    response = client.post(f"/consult/library/{entry.pk}/promote/")
    article = Article.objects.get(source_ref=f"consult.library:{entry.pk}")
    assert response.status_code == 302 and response["Location"] == f"/hotline/knowledge/{article.pk}/"
    assert article.topic == "wages" and article.is_active
    assert "老板拖欠工资怎么办" in article.question and article.answer == GOOD["answer_text"]
    assert [hit.article.pk for hit in article_search(query="仲裁")] == [article.pk]
    client.post(f"/consult/library/{entry.pk}/promote/")  # a second press adds nothing
    assert Article.objects.filter(source_ref__startswith="consult.library:").count() == 1


@pytest.mark.parametrize("who", ["weidong_lawyer", "window"])
def test_who_cannot_run_the_hotline_cannot_promote_and_nothing_is_written(data, client, who):
    from open12348.hotline.models import Article

    entry = publish(data["supervisor"], answered(data["regions"]["weidong"], data["weidong_lawyer"]))
    client.force_login(data[who])
    assert client.post(f"/consult/library/{entry.pk}/promote/").status_code == 403
    assert not Article.objects.exists()


def test_a_taken_down_entry_is_not_promoted(data):
    entry = publish(data["supervisor"], answered(data["regions"]["weidong"], data["weidong_lawyer"]))
    services.library_unpublish(actor=data["supervisor"], entry=entry)
    with pytest.raises(ApplicationError) as refused:
        services.library_promote(actor=data["supervisor"], entry=entry)
    assert refused.value.code == "not_published"
