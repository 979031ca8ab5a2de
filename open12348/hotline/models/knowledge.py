"""The knowledge base duty lawyers search during a call, and its inverted index of Chinese terms."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from open12348.core.models import TimeStampedModel

from ..choices import ArticleSource, Topic


class Article(TimeStampedModel):
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"))
    legal_basis = models.TextField(_("legal basis"), blank=True)
    topic = models.CharField(_("legal topic"), max_length=24, choices=Topic.choices)
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    source = models.CharField(_("source"), max_length=10, choices=ArticleSource.choices, default=ArticleSource.MANUAL)
    # Where a promoted article came from ("consult.question:42"): promoting it twice is refused.
    source_ref = models.CharField(_("source record"), max_length=100, null=True, blank=True,  # noqa: DJ001
                                  unique=True)
    is_active = models.BooleanField(_("published"), default=True)
    index_length = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("knowledge base article")
        verbose_name_plural = _("knowledge base articles")
        ordering = ["topic", "id"]
        # BM25's collection statistics (how many published articles, their average length) are read
        # on every search: from this index alone, not from the articles' text.
        indexes = [models.Index(fields=["is_active", "topic", "index_length"], name="hotline_article_stats")]

    def __str__(self) -> str:
        return self.question


class ArticleTerm(models.Model):
    """One term of one published article: its weighted frequency and the article's length.

    The length is copied here and the index covers every column the ranking reads, so a search
    never joins the articles: it reads the postings of its terms and sums their scores. Only
    published articles have terms (withdrawing one deletes them). One row per (term, article) is
    kept by the services, which write an article's terms all at once under its row lock.
    """

    term = models.CharField(max_length=24)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="terms", db_index=False)
    tf = models.PositiveIntegerField()
    length = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["term", "article", "tf", "length"], name="hotline_term_postings"),
                   models.Index(fields=["article"], name="hotline_term_article")]

    def __str__(self) -> str:
        return f"{self.term}:{self.article_id}"
