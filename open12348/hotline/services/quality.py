"""Quality sampling of calls (Anhui: at least 5 % inspected): a reproducible random draw of answered
calls per person, then each drawn call scored against the checklist (standards.py) with feedback
sent to the person who took it."""

from __future__ import annotations

import datetime as dt
import math
import random
import secrets
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from open12348.accounts.roles import Capability
from open12348.audit.services import audit_record
from open12348.core.errors import ApplicationError, ConflictError
from open12348.notifications.services import notify

from ..choices import CallChannel, CallStatus, ReviewStatus
from ..models import CallReview, CallSample, Hotline, WorkOrder
from ..selectors import day_bounds
from ..standards import CHECKLIST, checklist_score, forbidden_phrases_in
from .common import require_hotline, text, timeline

MANAGE = Capability.HOTLINE_MANAGE


def sample_pick(*, calls: list[tuple[int, int | None]], rate: Decimal, seed: int) -> list[int]:
    """Pure draw: `calls` are (work order id, person id). For each person (and the calls with
    nobody recorded, as one group), ceil(rate × their calls) at random, so everyone who answered
    gets feedback. The same arguments always give the same answer, whatever the input order."""
    rng = random.Random(seed)
    groups: dict[int, list[int]] = {}
    for order_id, person in sorted(calls, key=lambda c: c[0]):
        groups.setdefault(person if person is not None else -1, []).append(order_id)
    picked: list[int] = []
    for person in sorted(groups):
        ids = groups[person]
        picked.extend(rng.sample(ids, min(len(ids), math.ceil(rate * len(ids)))))
    return sorted(picked)


def _rate(value) -> Decimal:
    try:
        rate = Decimal(str(value))
    except InvalidOperation:
        rate = Decimal(-1)
    if not Decimal(0) < rate <= 1:
        raise ApplicationError(_("The share must be above 0 and at most 1 (0.05 for 5 %)."), code="rate_invalid",
                               field="rate")
    return rate


@transaction.atomic
def call_sample_draw(*, actor, hotline: Hotline, period_start: dt.date, period_end: dt.date, rate=None,
                     seed: int | None = None) -> CallSample:
    """Draw answered calls of the period for review (default share: the hotline's setting, 5 %).
    The seed is recorded: drawing again with it gives the same calls."""
    if actor is not None:
        require_hotline(actor, MANAGE, hotline.pk)
    if period_end < period_start:
        raise ApplicationError(_("The end of the period is before its start."), code="period_invalid",
                               field="period_end")
    rate = _rate(rate if rate is not None else hotline.sample_rate)
    seed = seed if seed is not None else secrets.randbelow(2**62)
    start, end = day_bounds(period_start, period_end)
    calls = list(WorkOrder.objects.filter(
        hotline=hotline, channel=CallChannel.CALL, status=CallStatus.ANSWERED,
        rang_at__gte=start, rang_at__lt=end).values_list("id", "answered_by_id"))
    picked = set(sample_pick(calls=calls, rate=rate, seed=seed))
    person_of = dict(calls)
    sample = CallSample.objects.create(hotline=hotline, period_start=period_start, period_end=period_end, rate=rate,
                                       seed=seed, pool_size=len(calls), drawn_by=actor if actor else None)
    CallReview.objects.bulk_create([CallReview(sample=sample, work_order_id=order_id, person_id=person_of[order_id])
                                    for order_id in sorted(picked)])
    audit_record(actor=actor, action="hotline.sample.draw", obj=sample,
                 extra={"seed": seed, "rate": str(rate), "pool": len(calls), "work_orders": sorted(picked)})
    return sample


def _scores(scores: dict) -> dict[str, int]:
    clean = {}
    for item in CHECKLIST:
        value = (scores or {}).get(item.code)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            raise ApplicationError(_("Score %(item)s with a whole number from 0 to 100.") % {"item": item.title},
                                   code="score_invalid", field=f"scores.{item.code}")
        clean[item.code] = value
    return clean


@transaction.atomic
def call_review_record(*, actor, review: CallReview, scores: dict, feedback: str) -> CallReview:
    """Score a drawn call against the checklist and send the feedback to the person who took it."""
    review = (CallReview.objects.select_for_update(of=("self",)).select_related("sample", "work_order", "person")
              .get(pk=review.pk))
    require_hotline(actor, MANAGE, review.sample.hotline_id)
    if review.status == ReviewStatus.REVIEWED:
        raise ConflictError(_("This call was already reviewed."), code="already_reviewed")
    clean = _scores(scores)
    feedback = text(feedback, field="feedback", message=_("Write the feedback for the person who took the call."),
                    limit=5000)
    order = review.work_order
    review.scores, review.score = clean, checklist_score(clean)
    review.forbidden_found = forbidden_phrases_in(order.answer)
    review.feedback, review.reviewer, review.reviewed_at = feedback, actor, timezone.now()
    review.status = ReviewStatus.REVIEWED
    review.save()
    timeline(order, actor=actor, kind="reviewed", data={"review": review.pk, "score": str(review.score)})
    audit_record(actor=actor, action="hotline.review.record", obj=review,
                 extra={"work_order": order.pk, "score": review.score, "scores": clean,
                        "person": review.person_id})
    if review.person is not None:
        notify(recipient=review.person, kind="hotline.review",
               title=_("Quality review of call %(number)s: %(score)s points") % {
                   "number": order.number, "score": review.score},
               body=feedback, url=reverse("hotline:order", args=[order.pk]), obj=review,
               dedupe_key=f"hotline.review:{review.pk}", actor=actor)
    return review
