"""Writes of the knowledge base: write, edit, review, withdraw an article, and promote an answered
portal question into it. Each write keeps the article's search terms (search.py) in step, in the
same transaction, so search never shows an article under words it no longer has."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from open12348.accounts.roles import Capability
from open12348.audit.services import audit_record, changes_from
from open12348.core.errors import ApplicationError, ConflictError
from open12348.core.services import model_update

from ..choices import ArticleSource, Topic
from ..models import Article, ArticleTerm
from ..search import article_terms
from ..selectors_knowledge import search_stats_forget
from .common import require, text, user_or_none

MANAGE = Capability.HOTLINE_MANAGE
FIELDS = ("question", "answer", "legal_basis", "topic")
INDEX_BATCH = 900  # ids per IN (...): under SQLite's limit on parameters


def _clean(data: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if not partial or "question" in data:
        clean["question"] = text(data.get("question"), field="question", message=_("Write the question."), limit=300)
    if not partial or "answer" in data:
        clean["answer"] = text(data.get("answer"), field="answer", message=_("Write the answer."), limit=20000)
    if not partial or "legal_basis" in data:
        clean["legal_basis"] = str(data.get("legal_basis") or "").strip()
    if not partial or "topic" in data:
        if data.get("topic") not in Topic.values:
            raise ApplicationError(_("Choose the legal topic."), code="topic_invalid", field="topic")
        clean["topic"] = data["topic"]
    return clean


def terms_rows(article: Article) -> list[tuple[str, int, int, int]]:
    """(term, article id, weighted frequency, article length) of one saved article."""
    terms = article_terms(question=article.question, answer=article.answer, legal_basis=article.legal_basis,
                          topic_label=str(Topic(article.topic).label) if article.topic in Topic.values else "")
    length = sum(terms.values())
    return [(term, article.pk, tf, length) for term, tf in terms.items()]


def _write_terms(rows: list[tuple[str, int, int, int]]) -> None:
    """The index rows straight into their table: ten thousand articles are some four million rows,
    which the ORM's per-value work would take minutes over. COPY on PostgreSQL, executemany else."""
    table = connection.ops.quote_name(ArticleTerm._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} (term, article_id, tf, length) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO {table} (term, article_id, tf, length) VALUES (%s, %s, %s, %s)",  # noqa: S608
                               rows)


def _unindex(ids: list[int]) -> None:
    for start in range(0, len(ids), INDEX_BATCH):
        ArticleTerm.objects.filter(article_id__in=ids[start:start + INDEX_BATCH]).delete()


def article_index(articles: Iterable[Article]) -> int:
    """(Re)build the terms of the given saved articles (none for a withdrawn one); returns how many
    term rows were written."""
    transaction.on_commit(search_stats_forget)
    search_stats_forget()
    articles = list(articles)
    _unindex([a.pk for a in articles])
    articles = [a for a in articles if a.is_active]
    written = 0
    lengths: dict[int, list[int]] = {}
    rows: list[tuple[str, int, int, int]] = []
    for article in articles:
        article_rows = terms_rows(article)
        length = article_rows[0][3] if article_rows else 0
        lengths.setdefault(length, []).append(article.pk)
        article.index_length = length
        rows.extend(article_rows)
        if len(rows) >= INDEX_BATCH * 20:
            _write_terms(rows)
            written += len(rows)
            rows = []
    _write_terms(rows)
    written += len(rows)
    for length, same in lengths.items():  # one UPDATE per distinct length, not per article
        for start in range(0, len(same), INDEX_BATCH):
            Article.objects.filter(pk__in=same[start:start + INDEX_BATCH]).update(index_length=length)
    return written


@transaction.atomic
def article_create(*, actor, data: dict[str, Any], source: str = ArticleSource.MANUAL,
                   source_ref: str | None = None, reviewed_on: dt.date | None = None) -> Article:
    require(actor, MANAGE)
    clean = _clean(data)
    article = Article(**clean, source=source, source_ref=source_ref or None, created_by=user_or_none(actor),
                      last_reviewed=reviewed_on or timezone.localdate(), reviewed_by=user_or_none(actor))
    try:
        with transaction.atomic():
            article.save()
    except IntegrityError:
        raise ConflictError(_("This question is already in the knowledge base."), code="already_promoted") from None
    article_index([article])
    audit_record(actor=actor, action="hotline.article.create", obj=article,
                 extra={"topic": article.topic, "source": source, "source_ref": source_ref or ""})
    return article


@transaction.atomic
def article_import(*, actor, items: Iterable[dict[str, Any]], source: str = ArticleSource.SEED,
                   reviewed_on: dt.date | None = None) -> int:
    """Load many articles at once (the initial library, a bench's ten thousand): each checked like
    `article_create`, written and indexed in bulk, with one audit row for the batch."""
    require(actor, MANAGE)
    reviewed_on = reviewed_on or timezone.localdate()
    articles = [Article(**_clean(item), source=source, created_by=user_or_none(actor), last_reviewed=reviewed_on,
                        reviewed_by=user_or_none(actor)) for item in items]
    Article.objects.bulk_create(articles, batch_size=1000)
    terms = article_index(articles)
    audit_record(actor=actor, action="hotline.article.import", object_type="hotline.article",
                 extra={"articles": len(articles), "terms": terms, "source": source})
    return len(articles)


@transaction.atomic
def article_update(*, actor, article: Article, data: dict[str, Any]) -> Article:
    """Edit an article; saving it counts as a review (the date the content was last checked)."""
    require(actor, MANAGE)
    article = Article.objects.select_for_update().get(pk=article.pk)
    clean = _clean(data, partial=True)
    clean.update(last_reviewed=timezone.localdate(), reviewed_by=user_or_none(actor))
    article, updated, diff = model_update(instance=article, fields=[*FIELDS, "last_reviewed", "reviewed_by"],
                                          data=clean)
    if set(diff) & set(FIELDS):
        article_index([article])
    if updated:
        audit_record(actor=actor, action="hotline.article.update", obj=article, changes=changes_from(diff))
    return article


@transaction.atomic
def article_set_published(*, actor, article: Article, published: bool) -> Article:
    require(actor, MANAGE)
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.is_active != published:
        article.is_active = published
        article.save(update_fields=["is_active", "updated_at"])
        article_index([article])  # a withdrawn article has no terms, so no search sees it
        audit_record(actor=actor, action="hotline.article.publish" if published else "hotline.article.withdraw",
                     obj=article, changes={"before": {"is_active": not published}, "after": {"is_active": published}})
    return article


def article_promote(*, actor, question: str, answer: str, topic: str, source_ref: str,
                    legal_basis: str = "") -> Article:
    """Put an answered portal question into the knowledge base (once per source record).

    `source_ref` names the record it came from, e.g. "consult.question:42"; the consultation app
    calls this when a supervisor promotes a question it published.
    """
    source_ref = text(source_ref, field="source_ref", message=_("Say which question this comes from."), limit=100)
    return article_create(actor=actor, data={"question": question, "answer": answer, "topic": topic,
                                             "legal_basis": legal_basis},
                          source=ArticleSource.PORTAL, source_ref=source_ref)
