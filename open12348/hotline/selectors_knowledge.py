"""Searching the knowledge base: BM25 over the article terms, summed in SQL (SQLite and PostgreSQL).

Three queries whatever the size of the library: the collection statistics (how many articles,
their average length), how many articles contain each query term, and the ranked page of
articles, whose score is computed by the database from the stored term frequencies. The terms'
weights (idf) go into the SQL as parameters of a CASE expression.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db.models import Avg, Case, Count, ExpressionWrapper, F, FloatField, Sum, Value, When
from django.db.models.functions import Cast

from .choices import Topic
from .models import Article, ArticleTerm
from .search import K1, B, highlight, idf, query_terms

MAX_RESULTS = 50


@dataclass
class Hit:
    article: Article
    score: float
    question: list[tuple[str, bool]]
    snippet: list[tuple[str, bool]]


STATS_SECONDS = 60
_stats: dict[str, tuple[float, int, float]] = {}


def search_stats_forget() -> None:
    """Drop the kept collection statistics (the knowledge services call this after each write)."""
    _stats.clear()


def _collection(topic: str) -> tuple[int, float]:
    """How many published articles (of the topic) and their average length. Kept for a minute per
    process: counting ten thousand rows on every search costs more than the search itself, and
    BM25's ranking hardly moves with an article more or less."""
    now = time.monotonic()
    kept = _stats.get(topic)
    if kept is not None and kept[0] > now:
        return kept[1], kept[2]
    published = Article.objects.filter(is_active=True)
    if topic:
        published = published.filter(topic=topic)
    stats = published.aggregate(n=Count("id"), avg=Avg("index_length"))
    documents, average = stats["n"] or 0, float(stats["avg"] or 0)
    _stats[topic] = (now + STATS_SECONDS, documents, average)
    return documents, average


def _ranked(terms: list[str], *, topic: str, limit: int) -> list[tuple[int, float]]:
    documents, average = _collection(topic)
    if not documents:
        return []
    # Only published articles have terms (services/knowledge.py), so the postings need no join
    # unless a topic narrows the search.
    postings = ArticleTerm.objects.filter(term__in=terms)
    if topic:
        postings = postings.filter(article__topic=topic)
    containing = dict(postings.order_by().values("term").annotate(n=Count("*")).values_list("term", "n"))
    weights = {t: idf(documents=documents, containing=n) for t, n in containing.items()}
    if not weights:
        return []
    tf = Cast(F("tf"), FloatField())
    norm = ExpressionWrapper(Value(K1 * (1 - B)) + Value(K1 * B / average) * Cast(F("length"), FloatField()),
                             output_field=FloatField()) if average else Value(K1)
    weight = Case(*[When(term=t, then=Value(w)) for t, w in weights.items()], default=Value(0.0),
                  output_field=FloatField())
    contribution = ExpressionWrapper(weight * tf * Value(K1 + 1) / (tf + norm), output_field=FloatField())
    postings = postings.filter(term__in=list(weights))
    if len(weights) == 1:  # a two-character word: one posting per article, nothing to add up
        rows = postings.annotate(score=contribution).values("article_id", "score")
    else:
        rows = postings.values("article_id").annotate(score=Sum(contribution))
    return [(row["article_id"], row["score"]) for row in rows.order_by("-score", "article_id")[:limit]]


def article_search(*, query: str, topic: str = "", limit: int = 20) -> list[Hit]:
    """Published articles for `query`, best first; with a topic, only that topic's."""
    terms = query_terms(query)
    topic = topic if topic in Topic.values else ""
    if not terms:
        return []
    ranked = _ranked(terms, topic=topic, limit=min(limit, MAX_RESULTS))
    articles = Article.objects.in_bulk([article_id for article_id, _score in ranked])
    hits = []
    for article_id, score in ranked:
        article = articles[article_id]
        hits.append(Hit(article=article, score=score, question=highlight(article.question, terms, width=300),
                        snippet=highlight(article.answer, terms)))
    return hits


def article_list(*, topic: str = "", include_unpublished: bool = False):
    articles = Article.objects.all() if include_unpublished else Article.objects.filter(is_active=True)
    if topic in Topic.values:
        articles = articles.filter(topic=topic)
    return articles.order_by("topic", "id")
