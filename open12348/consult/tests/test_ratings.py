"""Ratings of a consultation, a legal aid case or an application, and the follow-up of dissatisfied ones."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from open12348.audit.models import AuditEvent
from open12348.consult.choices import FollowUpOutcome, FollowUpStatus, RatingLevel
from open12348.consult.models import FollowUp, Rating
from open12348.consult.services_ratings import (
    follow_up_close,
    follow_up_reveal_phone,
    rate_url,
    rating_not_ready_reason,
    rating_subject_find,
    rating_submit,
)
from open12348.core.calendar import due_date
from open12348.core.calendar_store import legal_calendar
from open12348.core.errors import ApplicationError, ConflictError
from open12348.legalaid import services as legalaid
from open12348.legalaid.choices import ApplicationStatus, CaseStatus
from open12348.legalaid.models import Case
from open12348.legalaid.tests.factories import centre_setup, wage_claim
from open12348.notifications.models import Notification
from open12348.portal.identity import citizen_phone_hash
from open12348.portal.models import ApplicationDraft

from .factories import ASKER, OTHER, answered, ask

pytestmark = pytest.mark.django_db


def application_of(phone: str):
    """A wage claim registered at the 卫东区 window for an applicant with `phone`."""
    setup = centre_setup()
    claim = wage_claim()
    claim["applicant"] = {**claim["applicant"], "phone": phone}
    application = legalaid.application_create(actor=setup["window_staff"], centre=setup["centre"], channel="window",
                                              **claim)
    return setup, application


def closed_case(application) -> Case:
    return Case.objects.create(application=application, number=f"{application.number}案", centre=application.centre,
                               region=application.region, status=CaseStatus.CLOSED, matter=application.matter,
                               category=application.category, assigned_at=timezone.now())


# --- consultations -------------------------------------------------------------------------------

def test_the_asker_rates_an_answered_question(data):
    question = answered(data["regions"]["weidong"], data["weidong_lawyer"])
    rating = rating_submit(phone=ASKER, subject=question, level=RatingLevel.VERY_SATISFIED, comment="讲得很清楚")
    assert rating.question == question and rating.region == question.region
    assert rating.subject_key == f"question:{question.pk}"
    assert not FollowUp.objects.exists()
    assert AuditEvent.objects.filter(action="consult.rating.submit", object_id=str(rating.pk)).exists()


def test_a_question_without_an_answer_cannot_be_rated(data):
    question = ask(data["regions"]["weidong"])
    assert rating_not_ready_reason(question)
    with pytest.raises(ApplicationError) as refused:
        rating_submit(phone=ASKER, subject=question, level=5)
    assert refused.value.code == "not_ready"
    assert not Rating.objects.exists()


def test_only_the_asker_may_rate_and_find_the_question(data):
    question = answered(data["regions"]["weidong"], data["weidong_lawyer"])
    with pytest.raises(ApplicationError) as refused:
        rating_submit(phone=OTHER, subject=question, level=1)
    assert refused.value.status == 404
    with pytest.raises(ApplicationError):
        rating_subject_find(phone_hash=citizen_phone_hash(OTHER), kind="question", ref=question.tracking_code)
    found = rating_subject_find(phone_hash=citizen_phone_hash(ASKER), kind="question", ref=question.tracking_code)
    assert found == question
    assert not Rating.objects.exists()


def test_rating_twice_keeps_the_first(data):
    question = answered(data["regions"]["weidong"], data["weidong_lawyer"])
    first = rating_submit(phone=ASKER, subject=question, level=5)
    again = rating_submit(phone=ASKER, subject=question, level=1)
    assert again.pk == first.pk and Rating.objects.get().level == 5
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize(("level", "comment", "field"), [(0, "", "level"), (9, "", "level"), (5, "太" * 501, "comment")])
def test_bad_ratings_are_refused_at_their_field(data, level, comment, field):
    question = answered(data["regions"]["weidong"], data["weidong_lawyer"])
    with pytest.raises(ApplicationError) as refused:
        rating_submit(phone=ASKER, subject=question, level=level, comment=comment)
    assert refused.value.field == field
    assert not Rating.objects.exists()


def test_a_dissatisfied_rating_opens_a_follow_up_for_the_staff_of_its_region(data):
    question = answered(data["regions"]["weidong"], data["weidong_lawyer"])
    rating = rating_submit(phone=ASKER, subject=question, level=RatingLevel.DISSATISFIED, comment="答非所问")
    follow_up = FollowUp.objects.get(rating=rating)
    assert follow_up.status == FollowUpStatus.OPEN and follow_up.region == question.region
    assert follow_up.due == due_date(start=timezone.localdate(), days=5, calendar=legal_calendar()).due
    told = set(Notification.objects.filter(kind="consult.follow_up").values_list("recipient__username", flat=True))
    # The city's hotline supervisor and 卫东区's bureau administrator; not 新华区's director, not a duty lawyer.
    assert told == {"city_supervisor", "wd_admin"}


def test_the_comment_and_phone_are_encrypted_at_rest(data):
    question = answered(data["regions"]["weidong"], data["weidong_lawyer"])
    rating = rating_submit(phone=ASKER, subject=question, level=1, comment="律师态度很差")
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, comment FROM consult_rating WHERE id = %s", [rating.pk])
        phone, comment = cursor.fetchone()
    assert ASKER not in phone and "态度" not in comment


def test_rate_url_names_the_subject():
    class Fake:
        pass

    with pytest.raises(TypeError):
        rate_url(Fake())


# --- applications and cases ------------------------------------------------------------------------

def test_the_applicant_rates_a_decided_application_and_a_closed_case(data):
    setup, application = application_of(ASKER)
    hash_ = citizen_phone_hash(ASKER)
    assert rating_subject_find(phone_hash=hash_, kind="application", ref=application.number) == application
    with pytest.raises(ApplicationError) as refused:
        rating_submit(phone=ASKER, subject=application, level=4)
    assert refused.value.code == "not_ready"

    legalaid.application_decide(actor=setup["director"], application=application, decision="grant",
                                reasons="符合法律援助条件")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    assert rating_submit(phone=ASKER, subject=application, level=4).application == application
    assert rate_url(application) == f"/portal/rate/?kind=application&ref={__import__('urllib.parse').parse.quote_plus(application.number)}"

    case = closed_case(application)
    assert rating_subject_find(phone_hash=hash_, kind="case", ref=case.number) == case
    rating = rating_submit(phone=ASKER, subject=case, level=RatingLevel.VERY_DISSATISFIED, comment="律师不联系我")
    assert FollowUp.objects.get(rating=rating).region == case.region


def test_someone_else_cannot_rate_an_application_unless_they_submitted_it_online(data):
    setup, application = application_of(ASKER)
    legalaid.application_decide(actor=setup["director"], application=application, decision="grant",
                                reasons="符合法律援助条件")
    with pytest.raises(ApplicationError) as refused:
        rating_subject_find(phone_hash=citizen_phone_hash(OTHER), kind="application", ref=application.number)
    assert refused.value.status == 404
    with pytest.raises(ApplicationError):
        rating_submit(phone=OTHER, subject=application, level=5)
    # A relative who filled in the application on the portal with their own phone may rate it.
    ApplicationDraft.objects.create(phone_hash=citizen_phone_hash(OTHER), submitted_application=application,
                                    submitted_at=timezone.now())
    assert rating_submit(phone=OTHER, subject=application, level=5).phone_hash == citizen_phone_hash(OTHER)


def test_an_open_case_cannot_be_rated(data):
    _setup, application = application_of(ASKER)
    case = closed_case(application)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.IN_PROGRESS)
    case.refresh_from_db()
    with pytest.raises(ApplicationError) as refused:
        rating_submit(phone=ASKER, subject=case, level=5)
    assert refused.value.code == "not_ready"


@pytest.mark.parametrize(("kind", "ref"), [("case", "no-such-number"), ("hotline", "1"), ("question", "")])
def test_unknown_subjects_are_not_found(data, kind, ref):
    with pytest.raises(ApplicationError) as refused:
        rating_subject_find(phone_hash=citizen_phone_hash(ASKER), kind=kind, ref=ref)
    assert refused.value.status == 404


# --- following up ----------------------------------------------------------------------------------

def dissatisfied(data) -> FollowUp:
    question = answered(data["regions"]["weidong"], data["weidong_lawyer"])
    rating = rating_submit(phone=ASKER, subject=question, level=1, comment="没解决问题")
    return FollowUp.objects.get(rating=rating)


def test_staff_of_the_region_record_the_callback(data):
    follow_up = dissatisfied(data)
    follow_up_close(actor=data["weidong_admin"], follow_up=follow_up, outcome=FollowUpOutcome.RESOLVED,
                    note="已电话联系，重新解释了仲裁流程，群众表示理解。")
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.DONE and follow_up.closed_by == data["weidong_admin"]
    assert "仲裁" in follow_up.note
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM consult_followup WHERE id = %s", [follow_up.pk])
        assert "仲裁" not in cursor.fetchone()[0]
    with pytest.raises(ConflictError):
        follow_up_close(actor=data["supervisor"], follow_up=follow_up, outcome=FollowUpOutcome.UNREACHABLE,
                        note="又打了一次电话")


@pytest.mark.parametrize(("who", "status"), [("weidong_lawyer", 403), ("window", 403), ("xinhua_director", 404)])
def test_others_cannot_close_a_follow_up_and_nothing_changes(data, who, status):
    follow_up = dissatisfied(data)
    with pytest.raises(ApplicationError) as refused:
        follow_up_close(actor=data[who], follow_up=follow_up, outcome=FollowUpOutcome.RESOLVED, note="不该被保存的记录")
    assert refused.value.status == status
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.OPEN and follow_up.note == "" and follow_up.closed_by is None
    with pytest.raises(ApplicationError):
        follow_up_reveal_phone(actor=data[who], follow_up=follow_up)


def test_an_outcome_and_a_note_are_required(data):
    follow_up = dissatisfied(data)
    for outcome, note, field in (("", "已联系群众并解释", "outcome"), (FollowUpOutcome.RESOLVED, "好", "note")):
        with pytest.raises(ApplicationError) as refused:
            follow_up_close(actor=data["supervisor"], follow_up=follow_up, outcome=outcome, note=note)
        assert refused.value.field == field
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.OPEN


def test_showing_the_number_to_call_is_audited(data):
    follow_up = dissatisfied(data)
    assert follow_up_reveal_phone(actor=data["supervisor"], follow_up=follow_up) == ASKER
    assert AuditEvent.objects.filter(action="consult.follow_up.view_phone", actor=data["supervisor"]).count() == 1
