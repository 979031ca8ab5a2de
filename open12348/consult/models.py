"""Online consultation (a citizen asks, a duty lawyer answers), the public Q&A library made from
answered questions, and citizens' ratings of a consultation, a legal aid case or an application.

What a citizen typed (their question, follow-ups, comments) and the phone they gave are personal
data: encrypted at rest. Only the library's texts, scrubbed and checked by staff, are plain.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from open12348.core.fields import EncryptedTextField
from open12348.core.models import TimeStampedModel

from .choices import (
    FollowUpOutcome,
    FollowUpStatus,
    QuestionCategory,
    QuestionStatus,
    RatingLevel,
    RatingSubject,
    ReplyAuthor,
)


class Question(TimeStampedModel):
    tracking_code = models.CharField(_("tracking code"), max_length=12, unique=True)
    phone = EncryptedTextField(_("mobile number"))
    phone_hash = models.CharField(max_length=64, db_index=True)
    # Who answers: the duty lawyers whose organisation's region contains this one.
    region = models.ForeignKey("network.Region", verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="consult_questions")
    category = models.CharField(_("kind of question"), max_length=16, choices=QuestionCategory.choices)
    text = EncryptedTextField(_("question"))
    wants_public = models.BooleanField(_("may be published without personal details"), default=False)
    status = models.CharField(_("status"), max_length=12, choices=QuestionStatus.choices,
                              default=QuestionStatus.WAITING)
    answer_due = models.DateField(_("answer due"))
    calendar_complete = models.BooleanField(default=True)
    answered_at = models.DateTimeField(_("last answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("answered by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    declined_reason = models.TextField(_("why it was not answered online"), blank=True)
    # The form's one-off token: a double click or a retried request makes one question.
    submit_token = models.CharField(max_length=64)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("online question")
        verbose_name_plural = _("online questions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["phone_hash", "submit_token"], name="consult_question_submit_once"),
        ]
        indexes = [
            # The duty lawyers' queue: waiting questions, oldest deadline first, within a region.
            models.Index(fields=["status", "answer_due", "id"], name="consult_queue_idx"),
            models.Index(fields=["region", "status", "answer_due"], name="consult_region_queue_idx"),
            models.Index(fields=["phone_hash", "-created_at"], name="consult_asker_idx"),
        ]

    def __str__(self) -> str:
        return self.tracking_code


def attachment_path(instance, filename: str) -> str:
    # Never the citizen's file name: the content's hash.
    return f"consult/{instance.question_id}/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class Reply(models.Model):
    """One message of a question's thread after the question itself: an answer, or the asker's follow-up."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="replies")
    author_kind = models.CharField(_("from"), max_length=8, choices=ReplyAuthor.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("lawyer"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField(_("text"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.question_id} {self.author_kind}"


class LibraryEntry(models.Model):
    """An answered question published in the public Q&A library, personal details removed."""

    question = models.OneToOneField(Question, verbose_name=_("question"), on_delete=models.PROTECT,
                                    related_name="library_entry")
    region = models.ForeignKey("network.Region", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("kind of question"), max_length=16, choices=QuestionCategory.choices)
    title = models.CharField(_("title"), max_length=80)
    question_text = models.TextField(_("question as published"))
    answer_text = models.TextField(_("answer as published"))
    is_published = models.BooleanField(_("published"), default=True)
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("published by"),
                                     on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("Q&A library entry")
        verbose_name_plural = _("Q&A library entries")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["is_published", "-published_at", "-id"], name="consult_library_idx"),
            models.Index(fields=["is_published", "category", "-published_at"], name="consult_library_cat_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class Rating(models.Model):
    """A citizen's satisfaction with one consultation, legal aid case or application.

    One rating per phone and subject (`subject_key`), so a double submit records one. The phone is
    kept (encrypted) because a dissatisfied rating is followed up by a call.
    """

    subject_kind = models.CharField(_("rated service"), max_length=12, choices=RatingSubject.choices)
    subject_key = models.CharField(max_length=40)
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.PROTECT, related_name="ratings")
    case = models.ForeignKey("legalaid.Case", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="ratings")
    application = models.ForeignKey("legalaid.Application", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="ratings")
    region = models.ForeignKey("network.Region", on_delete=models.PROTECT, related_name="+")
    phone = EncryptedTextField(_("mobile number"))
    phone_hash = models.CharField(max_length=64, db_index=True)
    level = models.PositiveSmallIntegerField(_("satisfaction"), choices=RatingLevel.choices)
    comment = EncryptedTextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("rated at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["phone_hash", "subject_key"], name="consult_rating_once"),
            models.CheckConstraint(
                condition=(
                    Q(subject_kind=RatingSubject.QUESTION, question__isnull=False, case__isnull=True,
                      application__isnull=True)
                    | Q(subject_kind=RatingSubject.CASE, case__isnull=False, question__isnull=True,
                        application__isnull=True)
                    | Q(subject_kind=RatingSubject.APPLICATION, application__isnull=False, question__isnull=True,
                        case__isnull=True)
                ),
                name="consult_rating_one_subject",
            ),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=5), name="consult_rating_level_range"),
        ]

    def __str__(self) -> str:
        return f"{self.subject_key}: {self.level}"


class FollowUp(models.Model):
    """The task a dissatisfied rating opens: call the citizen back and record what came of it."""

    rating = models.OneToOneField(Rating, verbose_name=_("rating"), on_delete=models.PROTECT,
                                  related_name="follow_up")
    region = models.ForeignKey("network.Region", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=8, choices=FollowUpStatus.choices,
                              default=FollowUpStatus.OPEN)
    due = models.DateField(_("follow up by"))
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=FollowUpOutcome.choices, blank=True)
    note = EncryptedTextField(_("what was said and done"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("followed up by"), null=True,
                                  blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("follow-up of a rating")
        verbose_name_plural = _("follow-ups of ratings")
        ordering = ["due", "id"]
        indexes = [models.Index(fields=["status", "region", "due"], name="consult_followup_queue_idx")]

    def __str__(self) -> str:
        return f"follow-up {self.pk}"
