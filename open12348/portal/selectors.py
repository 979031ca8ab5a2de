"""Reads for the portal: what one proved phone has asked, applied for, rated and agreed to."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from open12348.consult.models import Question, Rating
from open12348.consult.selectors import questions_of_phone, ratings_of_phone
from open12348.network.models import Region
from open12348.network.selectors import region_children

from .models import ApplicationDraft, CitizenConsent


@dataclass(frozen=True)
class CitizenRecords:
    questions: list[Question]
    submitted: list[ApplicationDraft]
    drafts: list[ApplicationDraft]
    ratings: list[Rating]


def citizen_records(*, phone_hash: str, limit: int = 50) -> CitizenRecords:
    """The account page's lists, newest first, in a fixed number of queries."""
    drafts = list(ApplicationDraft.objects.filter(phone_hash=phone_hash)
                  .select_related("submitted_application", "submitted_application__centre")
                  .order_by("-updated_at")[:limit])
    return CitizenRecords(
        questions=list(questions_of_phone(phone_hash=phone_hash)[:limit]),
        submitted=[d for d in drafts if d.submitted_application_id],
        drafts=[d for d in drafts if not d.submitted_application_id],
        ratings=list(ratings_of_phone(phone_hash=phone_hash)[:limit]),
    )


def citizen_consents(*, phone_hash: str) -> QuerySet[CitizenConsent]:
    return CitizenConsent.objects.filter(phone_hash=phone_hash).order_by("-granted_at", "-id")


def local_regions() -> tuple[Region | None, list[Region]]:
    """The region that covers the whole site (or None) and the districts and counties below it.

    A deployment for one province and one city gives the city and its counties; with several
    cities, the province and its cities. A few small queries.
    """
    parent = None
    options = list(region_children(parent=None))
    while len(options) == 1:
        children = list(region_children(parent=options[0]))
        if not children:
            break
        parent, options = options[0], children
    return parent, options
