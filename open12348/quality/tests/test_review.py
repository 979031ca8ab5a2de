"""Peer review across counties, hearing observation plans, opinion letters, complaints and the
escalation of overdue tickets."""

from __future__ import annotations

import datetime as dt

import pytest

from open12348.audit.models import AuditEvent
from open12348.core.errors import ApplicationError
from open12348.network.choices import InstitutionKind
from open12348.network.tests.factories import InstitutionFactory, MembershipFactory, UserFactory
from open12348.notifications.models import Notification
from open12348.quality import services, services_review
from open12348.quality.models import Evaluation, ObservationPlan, OpinionLetter, SampleCase, Ticket

from .test_quality import ASSIGNED_ON, CIVIL_FILE_ITEMS, archive, with_hearing

pytestmark = pytest.mark.django_db


def evaluator_in(region, username: str):
    centre = InstitutionFactory(kind=InstitutionKind.LEGAL_AID_CENTRE, name=f"{region.name}法律援助中心", region=region)
    user = UserFactory(username=username)
    MembershipFactory(user=user, institution=centre, role="evaluator")
    return user


# --- peer review -------------------------------------------------------------------------------

def test_peer_assign_never_gives_a_reviewer_their_own_county_and_shares_the_work():
    weidong, xinhua, city = "41.4104.410403", "41.4104.410402", "41.4104"
    cases = [(n, weidong if n % 2 else xinhua) for n in range(1, 9)]
    reviewers = [(10, [weidong]), (11, [xinhua]), (12, [xinhua + ".410402001"]), (13, [city])]
    assignment = services_review.peer_assign(cases=cases, reviewers=reviewers)
    own = {10: weidong, 11: xinhua, 12: xinhua}
    for case_id, reviewer in assignment.items():
        assert dict(cases)[case_id] != own.get(reviewer)
    assert set(assignment) == set(range(1, 9))
    counts = [list(assignment.values()).count(r) for r in (10, 11, 12, 13)]
    assert max(counts) - min(counts) <= 1
    assert services_review.peer_assign(cases=list(reversed(cases)), reviewers=reviewers) == assignment
    # A township evaluator is of the county around it: never reviews that county's case.
    assert services_review.peer_assign(cases=[(1, xinhua)], reviewers=[(12, [xinhua + ".410402001"])]) == {}


def peer_sample(data, clock):
    case, _hearing = with_hearing(data, clock)
    archive(data, case)
    sample = services.sample_draw(actor=data["evaluator"], centre_ids=[data["centre"].pk], period_start=ASSIGNED_ON,
                                  period_end=ASSIGNED_ON, rate="1", seed=3, peer_review=True)
    return case, sample


def test_a_peer_review_sample_goes_to_an_evaluator_from_another_county(data, clock):
    case, sample = peer_sample(data, clock)
    own_county = evaluator_in(data["regions"]["weidong"], "wd_peer")
    other_county = evaluator_in(data["regions"]["xinhua"], "xh_peer")

    with pytest.raises(ApplicationError) as error:
        services_review.sample_assign_peers(actor=data["evaluator"], sample=sample, reviewers=[own_county])
    assert (error.value.code, error.value.field) == ("no_peer", "reviewers")
    assert SampleCase.objects.get(sample=sample).reviewer is None

    services_review.sample_assign_peers(actor=data["evaluator"], sample=sample, reviewers=[own_county, other_county])
    assert SampleCase.objects.get(sample=sample).reviewer == other_county
    assert Notification.objects.filter(recipient=other_county, kind="quality.peer_review").count() == 1

    # The Xinhua reviewer may check a Weidong case of this sample, though it is outside their region…
    services.evaluation_record(actor=other_county, case=case, method="file_review", sample=sample,
                               scores=dict.fromkeys(CIVIL_FILE_ITEMS, 88))
    # …but nobody else records checks for it in this sample, not even the county's own evaluator.
    with pytest.raises(ApplicationError) as error:
        services.evaluation_record(actor=own_county, case=case, method="file_review", sample=sample,
                                   scores=dict.fromkeys(CIVIL_FILE_ITEMS, 100))
    assert (error.value.code, error.value.status) == ("not_assigned_reviewer", 403)
    outsider = evaluator_in(data["regions"]["xinhua"], "xh_other")
    with pytest.raises(ApplicationError) as error:
        services.evaluation_record(actor=outsider, case=case, method="file_review", sample=sample,
                                   scores=dict.fromkeys(CIVIL_FILE_ITEMS, 100))
    assert error.value.status == 404
    assert list(Evaluation.objects.filter(case=case).values_list("evaluator__username", flat=True)) == ["xh_peer"]


def test_peers_are_assigned_only_in_a_peer_review_sample(data, clock):
    case, _hearing = with_hearing(data, clock)
    sample = services.sample_draw(actor=data["evaluator"], centre_ids=[data["centre"].pk], period_start=ASSIGNED_ON,
                                  period_end=ASSIGNED_ON, rate="1", seed=3)
    with pytest.raises(ApplicationError) as error:
        services_review.sample_assign_peers(actor=data["evaluator"], sample=sample,
                                            reviewers=[evaluator_in(data["regions"]["xinhua"], "xh_peer")])
    assert error.value.code == "not_peer_review"


# --- hearing observation -----------------------------------------------------------------------

def test_an_observation_plan_is_linked_to_the_record_of_the_observed_hearing(data, clock):
    case, hearing = with_hearing(data, clock)
    colleague = evaluator_in(data["regions"]["weidong"], "wd_colleague")
    plan = services_review.observation_plan(actor=data["evaluator"], hearing=hearing, observer=colleague)
    assert services_review.observation_plan(actor=data["evaluator"], hearing=hearing, observer=colleague) == plan
    assert Notification.objects.filter(recipient=colleague, kind="quality.observation").count() == 1

    with pytest.raises(ApplicationError) as error:
        services_review.observation_plan(actor=data["lawyer"].user, hearing=hearing)
    assert error.value.status == 403

    record = services.evaluation_record(actor=colleague, case=case, method="hearing", hearing=hearing,
                                        scores={"hearing": 90})
    plan.refresh_from_db()
    assert plan.evaluation == record
    with pytest.raises(ApplicationError) as error:
        services_review.observation_cancel(actor=data["evaluator"], plan=plan)
    assert error.value.code == "observed"
    assert ObservationPlan.objects.filter(pk=plan.pk).exists()


# --- letters to the judicial organs ------------------------------------------------------------

def test_an_opinion_letter_is_numbered_and_its_reply_becomes_the_opinion_check(data, clock):
    case, _hearing = with_hearing(data, clock)
    first = services_review.opinion_letter_send(actor=data["evaluator"], case=case, organ="court",
                                                organ_name="平顶山市卫东区人民法院")
    second = services_review.opinion_letter_send(actor=data["evaluator"], case=case, organ="court",
                                                 organ_name="平顶山市卫东区人民法院")
    assert first.number == f"卫法援质询〔{clock.today.year}〕第001号"
    assert second.number.endswith("第002号")
    assert first.reply_due > clock.today

    with pytest.raises(ApplicationError) as error:
        services_review.opinion_letter_send(actor=data["evaluator"], case=case, organ="court", organ_name=" ")
    assert error.value.field == "organ_name"
    assert OpinionLetter.objects.count() == 2

    reply = services_review.opinion_letter_reply(
        actor=data["evaluator"], letter=first, organ_reply="承办律师按时出庭，辩论意见有针对性",
        scores={"written_opinion": 90, "hearing": 92, "legal_effect": 88})
    first.refresh_from_db()
    assert first.reply == reply
    assert (reply.method, reply.organ, reply.evidence) == ("opinion", "court", first.number)
    with pytest.raises(ApplicationError) as error:
        services_review.opinion_letter_reply(actor=data["evaluator"], letter=first, organ_reply="again",
                                             scores={"written_opinion": 1, "hearing": 1, "legal_effect": 1})
    assert error.value.code == "replied"
    assert Evaluation.objects.filter(case=case, method="opinion").count() == 1


# --- complaints and escalation -----------------------------------------------------------------

def test_a_complaint_opens_a_ticket_that_escalates_once_when_overdue(data, clock):
    case, _hearing = with_hearing(data, clock)
    with pytest.raises(ApplicationError) as error:
        services_review.complaint_record(actor=data["evaluator"], case=case, complaint="  ",
                                         correction="向受援人说明情况")
    assert error.value.field == "complaint"
    assert not Ticket.objects.exists()

    ticket = services_review.complaint_record(actor=data["evaluator"], case=case,
                                              complaint="受援人反映律师三周未联系", correction="联系受援人并报告进展")
    assert (ticket.reason, ticket.owner) == ("complaint", data["lawyer"].user)
    with pytest.raises(ApplicationError) as error:
        services_review.complaint_record(actor=data["evaluator"], case=case, complaint="再次投诉", correction="x")
    assert error.value.code == "ticket_open"

    assert services_review.tickets_escalate(today=ticket.deadline) == 0
    late = ticket.deadline + dt.timedelta(days=1)
    assert services_review.tickets_escalate(today=late) == 1
    assert services_review.tickets_escalate(today=late) == 0
    ticket.refresh_from_db()
    assert ticket.escalated_at is not None
    told = set(Notification.objects.filter(kind="quality.ticket_overdue").values_list("recipient__username",
                                                                                      flat=True))
    assert told == {"wd_director", "wd_evaluator"}  # the centre's director and the region's evaluator
    assert AuditEvent.objects.filter(action="quality.ticket_escalate", object_id=str(ticket.pk)).count() == 1
