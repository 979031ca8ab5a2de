"""Chinese search of the knowledge base: terms, two-character queries, BM25 ranking computed by the
database equal to the formula, and the index kept in step with edits and promotions."""

from __future__ import annotations

import pytest

from open12348.core.errors import ApplicationError
from open12348.hotline.knowledge_seed import ARTICLES
from open12348.hotline.models import Article, ArticleTerm
from open12348.hotline.search import K1, B, article_terms, bm25, highlight, idf, query_terms
from open12348.hotline.selectors_knowledge import article_search
from open12348.hotline.services.knowledge import (
    article_create,
    article_import,
    article_promote,
    article_set_published,
    article_update,
)

from .factories import hotline_world


def test_query_terms():
    assert query_terms("工伤") == ["工伤"]
    assert query_terms("拖欠工资") == ["拖欠", "欠工", "工资"]
    assert query_terms("婚") == ["婚"]
    assert query_terms("LPR 四倍") == ["lpr", "四倍"]
    assert query_terms("１２０急救") == ["120", "急救"]
    assert query_terms("，。!") == []


def test_article_terms_weigh_the_question_more():
    terms = article_terms(question="工伤认定", answer="工伤", legal_basis="", topic_label="")
    assert terms["工伤"] == 3 + 1 and terms["认定"] == 3 and terms["工"] == 4


def test_highlight_marks_the_matches_in_a_window():
    parts = highlight("劳动者被拖欠工资可以申请劳动仲裁", ["工资", "仲裁"], width=100)
    assert [p for p, hit in parts if hit] == ["工资", "仲裁"]
    assert "".join(p for p, _hit in parts) == "劳动者被拖欠工资可以申请劳动仲裁"


@pytest.fixture
def library(db):
    world = hotline_world()
    article_import(actor=world["supervisor"], items=ARTICLES)
    return world


def top(query: str, **kwargs) -> str:
    return article_search(query=query, **kwargs)[0].article.question


def test_two_character_words_find_the_article_about_them(library):
    assert "工伤" in top("工伤")
    assert "冷静期" in top("冷静期")
    assert top("赡养") == "子女不赡养老人，老人可以怎么办？"
    assert top("保护令") == "遭受家庭暴力，怎么申请人身安全保护令？"
    assert "工资" in top("拖欠工资")


def test_a_single_character_and_a_topic_filter(library):
    assert article_search(query="婚")
    hits = article_search(query="赔偿", topic="traffic")
    assert hits and {h.article.topic for h in hits} == {"traffic"}


def test_nothing_matches_nothing(library):
    assert article_search(query="航天飞船") == []
    assert article_search(query="") == []


def test_the_database_computes_bm25_as_the_formula_says(library):
    hits = article_search(query="工伤认定", limit=5)
    terms = query_terms("工伤认定")
    published = list(Article.objects.filter(is_active=True))
    average = sum(a.index_length for a in published) / len(published)
    postings = list(ArticleTerm.objects.filter(term__in=terms))
    containing = {t: sum(p.term == t for p in postings) for t in terms}
    expected = {}
    for p in postings:
        expected.setdefault(p.article_id, 0.0)
        assert p.length == p.article.index_length
        expected[p.article_id] += bm25(tf=p.tf, length=p.length, average_length=average,
                                       idf_value=idf(documents=len(published), containing=containing[p.term]))
    best = sorted(expected.items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    assert [h.article.pk for h in hits] == [pk for pk, _s in best]
    for hit, (_pk, score) in zip(hits, best, strict=True):
        assert hit.score == pytest.approx(score, rel=1e-9)
    assert K1 == 1.2 and B == 0.75


def test_edits_reindex_and_withdrawn_articles_are_not_found(library):
    article = Article.objects.get(question="协议离婚的冷静期是多久？")
    article_update(actor=library["supervisor"], article=article, data={"question": "登记离婚要等多久？"})
    assert top("登记离婚") == "登记离婚要等多久？"
    article_set_published(actor=library["supervisor"], article=article, published=False)
    assert all(h.article.pk != article.pk for h in article_search(query="登记离婚"))
    assert not ArticleTerm.objects.filter(article=article).exists()
    article_set_published(actor=library["supervisor"], article=article, published=True)
    assert top("登记离婚") == "登记离婚要等多久？"


def test_a_portal_question_is_promoted_once(library):
    article = article_promote(actor=library["supervisor"], question="网购退货运费谁出", topic="consumer",
                              answer="一般由消费者承担。", source_ref="consult.question:7")
    assert (article.source, article.source_ref) == ("portal", "consult.question:7")
    assert top("退货运费") == "网购退货运费谁出"
    with pytest.raises(ApplicationError) as twice:
        article_promote(actor=library["supervisor"], question="网购退货运费谁出", topic="consumer",
                        answer="一般由消费者承担。", source_ref="consult.question:7")
    assert twice.value.code == "already_promoted"


def test_only_whoever_runs_the_hotline_writes_articles(library):
    count = Article.objects.count()
    with pytest.raises(ApplicationError):
        article_create(actor=library["operator"], data={"question": "q", "answer": "a", "topic": "other"})
    assert Article.objects.count() == count
