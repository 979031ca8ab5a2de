"""Quality sampling: a reproducible draw per person, the checklist score, feedback to the person."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from open12348.core.errors import ApplicationError
from open12348.hotline.models import CallReview, WorkOrder
from open12348.hotline.services.ingest import call_events_ingest
from open12348.hotline.services.quality import call_review_record, call_sample_draw, sample_pick
from open12348.hotline.standards import checklist_score, forbidden_phrases_in

from .factories import call_events, hotline_world, local

RATE = Decimal("0.05")


def calls_of(people: dict[int, int]) -> list[tuple[int, int | None]]:
    calls, n = [], 0
    for person, count in people.items():
        for _i in range(count):
            n += 1
            calls.append((n, person))
    return calls


def test_the_same_seed_draws_the_same_calls_in_any_input_order():
    calls = calls_of({1: 120, 2: 80, 3: 7})
    first = sample_pick(calls=calls, rate=RATE, seed=42)
    assert sample_pick(calls=list(reversed(calls)), rate=RATE, seed=42) == first
    assert sample_pick(calls=calls, rate=RATE, seed=43) != first


@settings(max_examples=100, deadline=None)
@given(people=st.dictionaries(st.integers(1, 30), st.integers(1, 200), min_size=1, max_size=8),
       rate=st.decimals(min_value=Decimal("0.01"), max_value=1, places=2), seed=st.integers(0, 2**62))
def test_each_person_gets_the_share_rounded_up(people, rate, seed):
    calls = calls_of(people)
    person_of = dict(calls)
    picked = sample_pick(calls=calls, rate=rate, seed=seed)
    assert len(set(picked)) == len(picked)
    for person, count in people.items():
        assert sum(person_of[p] == person for p in picked) == math.ceil(rate * count)


def test_the_checklist_score_and_forbidden_phrases():
    assert checklist_score({"greeting": 100, "patience": 100, "correct_law": 60, "plain_words": 100,
                            "standard_phrases": 100, "no_forbidden_phrases": 0}) == Decimal("76.00")
    assert forbidden_phrases_in("这个不归我们管，你自己去查") == ["不归我们管", "你自己去查"]


@pytest.mark.django_db
def test_a_draw_is_recorded_with_its_seed_and_can_be_repeated():
    world = hotline_world()
    for n in range(40):
        call_events_ingest(hotline=world["hotline"], actor=None, events=call_events(
            call_id=f"Q{n}", at=local(2026, 11, 2 + n % 20, 10, n), agent=f"duty{1 + n % 3}"))
    call_events_ingest(hotline=world["hotline"], actor=None, events=call_events(
        call_id="QX", at=local(2026, 10, 30, 10)))  # outside the period
    args = {"actor": world["supervisor"], "hotline": world["hotline"], "period_start": dt.date(2026, 11, 1),
            "period_end": dt.date(2026, 11, 30)}
    first = call_sample_draw(**args, seed=99)
    again = call_sample_draw(**args, seed=first.seed)
    drawn = sorted(first.reviews.values_list("work_order_id", flat=True))
    assert drawn == sorted(again.reviews.values_list("work_order_id", flat=True))
    assert (first.pool_size, first.rate, len(drawn)) == (40, Decimal("0.050"), 3)  # one per person (ceil)
    assert {r.person for r in first.reviews.all()} == set(world["pool"][:3])
    assert WorkOrder.objects.get(call_id="QX").pk not in drawn


@pytest.mark.django_db
def test_a_review_is_scored_once_and_sent_to_the_person():
    world = hotline_world()
    call_events_ingest(hotline=world["hotline"], actor=None, events=call_events(call_id="Q1", at=local(2026, 11, 3)))
    WorkOrder.objects.filter(call_id="Q1").update(answer="这个我也没办法")
    sample = call_sample_draw(actor=world["supervisor"], hotline=world["hotline"], period_start=dt.date(2026, 11, 1),
                              period_end=dt.date(2026, 11, 30), rate="1", seed=1)
    review = sample.reviews.get()
    scores = dict.fromkeys(["greeting", "patience", "correct_law", "plain_words", "standard_phrases"], 90)
    with pytest.raises(ApplicationError) as incomplete:
        call_review_record(actor=world["supervisor"], review=review, scores=scores, feedback="x")
    assert incomplete.value.field == "scores.no_forbidden_phrases"
    scores["no_forbidden_phrases"] = 0
    with pytest.raises(ApplicationError):
        call_review_record(actor=world["operator"], review=review, scores=scores, feedback="x")
    review = call_review_record(actor=world["supervisor"], review=review, scores=scores, feedback="注意用语")
    assert (review.score, review.forbidden_found) == (Decimal("81.00"), ["我也没办法"])
    assert world["pool"][0].notifications.get(kind="hotline.review").body == "注意用语"
    with pytest.raises(ApplicationError) as twice:
        call_review_record(actor=world["supervisor"], review=review, scores=scores, feedback="再评")
    assert twice.value.code == "already_reviewed"
    assert CallReview.objects.get().feedback == "注意用语"
