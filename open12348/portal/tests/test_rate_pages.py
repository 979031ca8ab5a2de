"""The rating page ("portal:rate"): whose subject, when, and what a dissatisfied rating sets off."""

from __future__ import annotations

import pytest
from django.urls import reverse

from open12348.consult.models import FollowUp, Rating
from open12348.consult.services_ratings import rate_url
from open12348.consult.tests.factories import answered, ask, world

from .support import OTHER_PHONE, PHONE, citizen_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(db):
    return world()


def test_rating_an_answer(data):
    question = answered(data["regions"]["weidong"], data["weidong_lawyer"], phone=PHONE)
    client = citizen_client()
    url = rate_url(question)
    form = client.get(url).content.decode()
    assert 'name="level"' in form and question.tracking_code in form
    response = client.post(url, {"level": "5", "comment": "讲得很清楚，谢谢"})
    assert response.status_code == 302 and response["Location"] == url
    assert Rating.objects.get().level == 5 and not FollowUp.objects.exists()
    done = client.get(url).content.decode()
    assert 'name="level"' not in done  # rated once: the page now says so


def test_a_dissatisfied_rating_promises_a_callback(data):
    question = answered(data["regions"]["weidong"], data["weidong_lawyer"], phone=PHONE)
    client = citizen_client()
    client.post(rate_url(question), {"level": "1", "comment": "没有回答我的问题"})
    follow_up = FollowUp.objects.get()
    page = client.get(rate_url(question)).content.decode()
    assert follow_up.due.isoformat() in page


def test_bad_input_is_explained_at_its_field_and_kept(data):
    question = answered(data["regions"]["weidong"], data["weidong_lawyer"], phone=PHONE)
    response = citizen_client().post(rate_url(question), {"level": "", "comment": "想说的话"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_level_error"' in html and "想说的话" in html
    long = citizen_client().post(rate_url(question), {"level": "3", "comment": "长" * 501})
    assert long.status_code == 400 and 'id="id_comment_error"' in long.content.decode()
    assert not Rating.objects.exists()


def test_an_unanswered_question_says_to_wait(data):
    question = ask(data["regions"]["weidong"], phone=PHONE)
    client = citizen_client()
    page = client.get(rate_url(question)).content.decode()
    assert 'name="level"' not in page
    client.post(rate_url(question), {"level": "5"})
    assert not Rating.objects.exists()


def test_someone_elses_subject_is_not_found_and_nothing_is_recorded(data):
    question = answered(data["regions"]["weidong"], data["weidong_lawyer"], phone=PHONE)
    other = citizen_client(OTHER_PHONE)
    assert other.get(rate_url(question)).status_code == 404
    assert other.post(rate_url(question), {"level": "1"}).status_code == 404
    assert citizen_client().get(reverse("portal:rate") + "?kind=case&ref=nothing").status_code == 404
    assert not Rating.objects.exists()


def test_a_stranger_proves_their_phone_first(data):
    question = answered(data["regions"]["weidong"], data["weidong_lawyer"], phone=PHONE)
    from django.test import Client

    response = Client().get(rate_url(question))
    assert response.status_code == 302 and response["Location"].startswith(reverse("portal:verify"))
