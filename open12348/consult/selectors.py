"""Reads of online consultation, the Q&A library and ratings.

Staff lists are restricted to the user's region subtree and fetch what they show in a fixed
number of queries. Citizens' lists are by the proved phone's hash. The public library shows
published entries only.
"""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from open12348.accounts.scope import restrict_to_regions

from . import workflow
from .choices import FollowUpStatus, QuestionStatus, ReplyAuthor
from .models import FollowUp, LibraryEntry, Question, Rating, Reply

LIBRARY_QUERY_MAX = 50


# --- the public library ----------------------------------------------------------------------

def library_search(*, q: str = "", category: str = "") -> QuerySet[LibraryEntry]:
    qs = LibraryEntry.objects.filter(is_published=True)
    if category:
        qs = qs.filter(category=category)
    for word in (q or "").split()[:5]:
        word = word[:LIBRARY_QUERY_MAX]
        qs = qs.filter(Q(title__icontains=word) | Q(question_text__icontains=word) | Q(answer_text__icontains=word))
    return qs.order_by("-published_at", "-id")


def library_latest(*, limit: int = 3) -> list[LibraryEntry]:
    return list(library_search()[:limit])


def library_entry_public(*, pk: int) -> LibraryEntry | None:
    return LibraryEntry.objects.filter(pk=pk, is_published=True).first()


# --- the citizen -----------------------------------------------------------------------------

def questions_of_phone(*, phone_hash: str) -> QuerySet[Question]:
    return (Question.objects.filter(phone_hash=phone_hash)
            .annotate(reply_count=Count("replies", filter=Q(replies__author_kind=ReplyAuthor.LAWYER)))
            .order_by("-created_at", "-id"))


def question_thread(*, question: Question) -> list[Reply]:
    return list(question.replies.select_related("author").order_by("created_at", "id"))


def ratings_of_phone(*, phone_hash: str) -> QuerySet[Rating]:
    return Rating.objects.filter(phone_hash=phone_hash).order_by("-created_at", "-id")


# --- staff -------------------------------------------------------------------------------------

QUEUE_VIEWS = ("waiting", "answered", "declined", "publish", "all")


def question_queue_visible_to(*, user, view: str = "waiting", category: str = "") -> QuerySet[Question]:
    """The duty lawyers' queue: waiting questions, nearest due date first; or other views of the same list.

    `publish`: answered questions whose askers allowed publishing and that are not in the library yet.
    """
    qs = restrict_to_regions(Question.objects.all(), user=user)
    if view == "waiting":
        qs = qs.filter(status=QuestionStatus.WAITING).order_by("answer_due", "created_at", "id")
    elif view == "answered":
        qs = qs.filter(status__in=workflow.HAS_ANSWER).order_by("-answered_at", "-id")
    elif view == "declined":
        qs = qs.filter(status=QuestionStatus.DECLINED).order_by("-answered_at", "-id")
    elif view == "publish":
        published = LibraryEntry.objects.filter(question=OuterRef("pk"))
        qs = (qs.filter(status__in=workflow.HAS_ANSWER, wants_public=True).filter(~Exists(published))
              .order_by("answered_at", "id"))
    else:
        qs = qs.order_by("-created_at", "-id")
    if category:
        qs = qs.filter(category=category)
    return qs.select_related("region", "answered_by").annotate(
        attachment_count=Count("attachments", distinct=True))


def library_visible_to(*, user) -> QuerySet[LibraryEntry]:
    return (restrict_to_regions(LibraryEntry.objects.all(), user=user)
            .select_related("question", "published_by").order_by("-published_at", "-id"))


def follow_ups_visible_to(*, user, status: str = FollowUpStatus.OPEN) -> QuerySet[FollowUp]:
    qs = restrict_to_regions(FollowUp.objects.all(), user=user)
    if status in FollowUpStatus.values:
        qs = qs.filter(status=status)
    order = ("due", "id") if status == FollowUpStatus.OPEN else ("-closed_at", "-id")
    return qs.select_related("region", "closed_by", "rating", "rating__question", "rating__case",
                             "rating__application").order_by(*order)
