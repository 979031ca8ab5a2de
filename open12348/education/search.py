"""One search box over three public libraries: education articles, the Q&A library (consult) and the
exemplary-case library (quality).

Terms are cut by the hotline's bigram tokenizer (open12348.hotline.search.query_terms): "工资" is
one term, "拖欠工资" is 拖欠 / 欠工 / 工资. Each library is asked for rows containing any term
(icontains, which is LIKE on SQLite and ILIKE on PostgreSQL: no extension, no index to maintain),
at most CANDIDATES rows each, newest first; the rows are then ranked in Python by where and how often
the terms occur (a title counts three times, a summary twice, the text once; the whole query found
as a phrase in the title adds a bonus). At the size of one city's libraries (hundreds of rows) this
takes a few milliseconds and needs no index of its own; docs/education.md says when to move to the
hotline's BM25 tables instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from open12348.consult.models import LibraryEntry
from open12348.hotline.search import highlight, normalise, query_terms
from open12348.quality.models import ExemplaryCase

from .models import ArticleRevision

MAX_TERMS = 8
CANDIDATES = 200
PHRASE_BONUS = 5
SOURCES = ("articles", "questions", "cases")
SOURCE_LABELS = {"articles": _("Guides"), "questions": _("Questions and answers"), "cases": _("Exemplary cases")}


@dataclass
class Hit:
    source: str
    title: str
    url: str
    snippet: list = field(default_factory=list)
    score: float = 0.0
    label: str = ""


@dataclass
class Results:
    query: str
    terms: list[str]
    groups: dict[str, list[Hit]]

    @property
    def total(self) -> int:
        return sum(len(hits) for hits in self.groups.values())


def terms_of(query: str) -> list[str]:
    return query_terms(query or "")[:MAX_TERMS]


def score(terms: list[str], phrase: str, weighted: list[tuple[str, int]]) -> float:
    total = 0.0
    for text, weight in weighted:
        plain = normalise(text)
        total += sum(plain.count(term) for term in terms) * weight
    if phrase and phrase in normalise(weighted[0][0]):
        total += PHRASE_BONUS
    return total


def _any_term(terms: list[str], fields: tuple[str, ...]) -> Q:
    condition = Q(pk__in=[])
    for term in terms:
        for name in fields:
            condition |= Q(**{f"{name}__icontains": term})
    return condition


def _ranked(hits: list[tuple[Hit, int]], limit: int) -> list[Hit]:
    # Stable: equal scores keep the newest-first order the query gave.
    hits.sort(key=lambda pair: (-pair[0].score, pair[1]))
    return [hit for hit, _ in hits[:limit]]


def search_articles(terms: list[str], phrase: str, *, limit: int) -> list[Hit]:
    rows = (ArticleRevision.objects.filter(is_live=True)
            .filter(_any_term(terms, ("title", "summary", "body", "legal_basis")))
            .only("article_id", "title", "summary", "body", "legal_basis", "topic")
            .order_by("-published_at", "-id")[:CANDIDATES])
    hits = []
    for order, row in enumerate(rows):
        hit = Hit("articles", row.title, reverse("learn:article", args=[row.article_id]),
                  highlight(row.summary or row.body, terms), label=row.get_topic_display())
        hit.score = score(terms, phrase, [(row.title, 3), (row.summary, 2), (row.body, 1), (row.legal_basis, 1)])
        hits.append((hit, order))
    return _ranked(hits, limit)


def search_questions(terms: list[str], phrase: str, *, limit: int) -> list[Hit]:
    rows = (LibraryEntry.objects.filter(is_published=True)
            .filter(_any_term(terms, ("title", "question_text", "answer_text")))
            .only("title", "question_text", "answer_text", "category")
            .order_by("-published_at", "-id")[:CANDIDATES])
    hits = []
    for order, row in enumerate(rows):
        hit = Hit("questions", row.title, reverse("portal:library_entry", args=[row.pk]),
                  highlight(row.answer_text, terms), label=row.get_category_display())
        hit.score = score(terms, phrase, [(row.title, 3), (row.question_text, 2), (row.answer_text, 1)])
        hits.append((hit, order))
    return _ranked(hits, limit)


def search_cases(terms: list[str], phrase: str, *, limit: int) -> list[Hit]:
    rows = (ExemplaryCase.objects.filter(published_at__isnull=False)
            .filter(_any_term(terms, ("title", "summary", "significance")))
            .only("title", "summary", "significance", "category")
            .order_by("-published_at", "-id")[:CANDIDATES])
    hits = []
    for order, row in enumerate(rows):
        hit = Hit("cases", row.title, reverse("quality:library_case", args=[row.pk]), highlight(row.summary, terms))
        hit.score = score(terms, phrase, [(row.title, 3), (row.summary, 2), (row.significance, 1)])
        hits.append((hit, order))
    return _ranked(hits, limit)


def search_all(query: str, *, limit: int = 10, sources: tuple[str, ...] = SOURCES) -> Results:
    """The three libraries' best hits for `query`, each group ranked; empty groups for an empty query."""
    terms = terms_of(query)
    phrase = normalise(query or "").strip()
    groups: dict[str, list[Hit]] = {source: [] for source in SOURCES}
    if terms:
        finders = {"articles": search_articles, "questions": search_questions, "cases": search_cases}
        for source in sources:
            groups[source] = finders[source](terms, phrase, limit=limit)
    return Results(query=query, terms=terms, groups=groups)
