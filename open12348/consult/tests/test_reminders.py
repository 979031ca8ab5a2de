"""Overdue questions and follow-ups reach the right staff through the reminder engine, once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from open12348.consult.models import FollowUp, Question
from open12348.consult.reminders import SOURCE_NAME, consult_deadlines
from open12348.consult.services_ratings import rating_submit
from open12348.notifications.models import Notification
from open12348.notifications.reminders import registered_sources, run_reminders

from .factories import ASKER, answered, ask

pytestmark = pytest.mark.django_db


def test_the_source_is_registered():
    assert SOURCE_NAME in registered_sources()


def test_a_waiting_question_due_today_goes_to_its_regions_duty_lawyers(data):
    question = ask(data["regions"]["weidong"])
    ask(data["regions"]["xinhua"])
    Question.objects.filter(pk=question.pk).update(answer_due=timezone.localdate() - dt.timedelta(days=10))
    deadlines = {d.key: d for d in consult_deadlines(today=timezone.localdate(), within_days=0)}
    deadline = deadlines[f"consult.question:{question.pk}:answer"]
    assert {u.username for u in deadline.recipients} == {"wd_duty", "city_supervisor"}
    assert len(deadlines) == 1  # the 新华区 question is not due yet


def test_an_answered_question_is_no_longer_reminded(data):
    question = answered(data["regions"]["weidong"], data["weidong_lawyer"])
    Question.objects.filter(pk=question.pk).update(answer_due=timezone.localdate())
    assert list(consult_deadlines(today=timezone.localdate())) == []


def test_an_open_follow_up_is_reminded_once_per_stage(data):
    question = answered(data["regions"]["weidong"], data["weidong_lawyer"])
    rating = rating_submit(phone=ASKER, subject=question, level=1)
    follow_up = FollowUp.objects.get(rating=rating)
    today = follow_up.due + dt.timedelta(days=1)
    run_reminders(today=today)
    run_reminders(today=today)
    reminded = Notification.objects.filter(dedupe_key__startswith=f"consult.follow_up:{follow_up.pk}:close")
    assert sorted(reminded.values_list("recipient__username", flat=True)) == ["city_supervisor", "wd_admin"]
