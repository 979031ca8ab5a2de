"""Legal education articles with their published revisions, and the outreach activity register.

An Article is the editors' working copy and carries the editorial status. What citizens read is an
ArticleRevision: a frozen copy made when a reviewer publishes. At most one revision of an article is
live (`is_live`); editing a published article changes the working copy only, so citizens keep
reading the last reviewed text until the new one passes review (see docs/education.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import (
    ActivityKind,
    ActivityStatus,
    ArticleStatus,
    EducationAudience,
    EducationTopic,
    NextStepKind,
)

SEPARATOR = ","


def join_codes(codes) -> str:
    """Audiences stored as ",elderly,women,": a LIKE on ",elderly," works on SQLite and PostgreSQL alike."""
    codes = [c for c in dict.fromkeys(codes) if c]
    return f"{SEPARATOR}{SEPARATOR.join(codes)}{SEPARATOR}" if codes else ""


def split_codes(value: str) -> list[str]:
    return [c for c in (value or "").split(SEPARATOR) if c]


class ContentFields(models.Model):
    """What an article says: shared by the working copy and its published revisions."""

    title = models.CharField(_("title"), max_length=120)
    summary = models.CharField(_("summary"), max_length=300)
    body = models.TextField(_("text"))
    topic = models.CharField(_("topic"), max_length=24, choices=EducationTopic.choices)
    audience_codes = models.CharField(_("audiences"), max_length=200, blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    next_step = models.CharField(_("what to do next"), max_length=16, choices=NextStepKind.choices,
                                 default=NextStepKind.ASK)
    next_step_note = models.CharField(_("next step, in a sentence"), max_length=200, blank=True)
    region = models.ForeignKey("network.Region", verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="+")
    last_checked = models.DateField(_("last checked against the law"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def audiences(self) -> list[str]:
        return split_codes(self.audience_codes)

    def audience_labels(self) -> list[str]:
        labels = dict(EducationAudience.choices)
        return [str(labels.get(code, code)) for code in self.audiences]


CONTENT_FIELDS = ("title", "summary", "body", "topic", "audience_codes", "legal_basis", "next_step",
                  "next_step_note", "region_id", "last_checked")


class Article(ContentFields):
    status = models.CharField(_("status"), max_length=16, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT,
                               related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    live = models.OneToOneField("ArticleRevision", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("legal education article")
        verbose_name_plural = _("legal education articles")
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["status", "region"], name="education_article_status_idx")]

    def __str__(self) -> str:
        return self.title


class ArticleRevision(ContentFields):
    """A published text, frozen. Citizens read only revisions with is_live=True."""

    article = models.ForeignKey(Article, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField()
    is_live = models.BooleanField(default=False)
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewed and published by"),
                                     on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("published revision")
        verbose_name_plural = _("published revisions")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="education_revision_number_uniq"),
            models.UniqueConstraint(fields=["article"], condition=models.Q(is_live=True),
                                    name="education_one_live_revision"),
        ]
        indexes = [models.Index(fields=["is_live", "topic"], name="education_revision_live_idx")]

    def __str__(self) -> str:
        return self.title


class ArticleEvent(models.Model):
    """The article's timeline: every step of the editorial workflow, with who and when."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=24)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.at:%Y-%m-%d %H:%M}"


class Activity(models.Model):
    """One outreach activity (送法进校园, 法治讲堂 …) in the register."""

    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=120)
    organiser = models.ForeignKey("network.Institution", verbose_name=_("organiser"), on_delete=models.PROTECT,
                                  related_name="+")
    region = models.ForeignKey("network.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    place = models.CharField(_("place"), max_length=200)
    service_point = models.ForeignKey("network.ServicePoint", verbose_name=_("service point"), null=True,
                                      blank=True, on_delete=models.SET_NULL, related_name="+")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    audience = models.CharField(_("audience"), max_length=20, choices=EducationAudience.choices)
    audience_note = models.CharField(_("audience group"), max_length=120, blank=True)
    attendance = models.PositiveIntegerField(_("attendance"), null=True, blank=True)
    materials = models.TextField(_("materials used"), blank=True)
    follow_up_count = models.PositiveIntegerField(_("follow-up requests received"), default=0)
    follow_up_notes = models.TextField(_("follow-up notes"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ActivityStatus.choices,
                              default=ActivityStatus.PLANNED)
    is_public = models.BooleanField(_("show on the portal calendar"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("outreach activity")
        verbose_name_plural = _("outreach activities")
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["starts_at"], name="education_activity_start_idx"),
            models.Index(fields=["status", "starts_at"], name="education_activity_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title


def photo_path(instance: ActivityPhoto, filename: str) -> str:
    return f"education/activities/{instance.activity_id}/{instance.sha256}{instance.extension}"


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=photo_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=64)
    extension = models.CharField(max_length=8)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [models.UniqueConstraint(fields=["activity", "sha256"], name="education_photo_once")]

    def __str__(self) -> str:
        return self.original_name
