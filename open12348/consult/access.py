"""Loading one record for whoever asks: missing and not yours are the same 404."""

from __future__ import annotations

from django.http import Http404

from open12348.accounts.scope import restrict_to_regions

from .models import FollowUp, LibraryEntry, Question


def access_question(*, user, id: int) -> Question:
    question = (restrict_to_regions(Question.objects.all(), user=user)
                .select_related("region", "answered_by").filter(pk=id).first())
    if question is None:
        raise Http404
    return question


def access_question_of_phone(*, phone_hash: str, code: str) -> Question:
    """The citizen's own question by its tracking code (spaces allowed, as people copy it)."""
    code = "".join(str(code or "").split())
    question = (Question.objects.select_related("region").filter(tracking_code=code, phone_hash=phone_hash).first()
                if phone_hash and code.isdigit() else None)
    if question is None:
        raise Http404
    return question


def access_library_entry(*, user, id: int) -> LibraryEntry:
    entry = (restrict_to_regions(LibraryEntry.objects.all(), user=user)
             .select_related("question", "question__region").filter(pk=id).first())
    if entry is None:
        raise Http404
    return entry


def access_follow_up(*, user, id: int) -> FollowUp:
    follow_up = (restrict_to_regions(FollowUp.objects.all(), user=user)
                 .select_related("region", "closed_by", "rating", "rating__question", "rating__case",
                                 "rating__application").filter(pk=id).first())
    if follow_up is None:
        raise Http404
    return follow_up
