"""Review panels and exemplary cases, and the whole life of a sampled case: sample → the four checks
→ grade → exemplary (published anonymised) or ticket → corrected."""

from __future__ import annotations

import pytest

from open12348.audit.models import AuditEvent
from open12348.core.errors import ApplicationError
from open12348.legalaid.models import Case
from open12348.network.tests.factories import MembershipFactory, UserFactory
from open12348.quality import services, services_panels, services_review
from open12348.quality.models import ExemplaryCase, Nomination, PanelVote, Ticket

from .test_quality import (
    ASSIGNED_ON,
    archive,
    file_review,
    with_hearing,
)

pytestmark = pytest.mark.django_db


def panel_members(data, n: int = 3):
    members = [data["evaluator"]]
    for i in range(1, n):
        user = UserFactory(username=f"panel_{i}")
        MembershipFactory(user=user, institution=data["centre"], role="evaluator")
        members.append(user)
    return members


def graded(data, clock, n: int, score: int) -> Case:
    case, _hearing = with_hearing(data, clock, n)
    archive(data, case)
    file_review(data, case, score)
    services.case_grade(actor=data["evaluator"], case=case)
    case.refresh_from_db()
    return case


def test_anonymise_removes_names_id_numbers_and_phones():
    text = "申请人张三丰（身份证410403198503170011，电话13937512345）诉平顶山某某建筑有限公司拖欠工资，张三丰胜诉。"
    clean = services_panels.anonymise(text, names=["张三丰", "平顶山某某建筑有限公司"])
    assert "张三丰" not in clean and "张某" in clean
    assert "410403198503170011" not in clean and "13937512345" not in clean
    assert "某单位" in clean


def test_tally_needs_a_majority_of_all_members():
    assert services_panels.tally(members=5, votes=["yes", "yes", "yes"]) == "exemplary"
    assert services_panels.tally(members=5, votes=["yes", "yes", "abstain", "no"]) == "not_selected"
    assert services_panels.tally(members=4, votes=["yes", "yes"]) == "not_selected"


def test_panel_rules(data, clock):
    members = panel_members(data)
    with pytest.raises(ApplicationError) as error:
        services_panels.panel_create(actor=data["evaluator"], title="评审会", region=data["regions"]["weidong"],
                                     held_on=clock.today, members=members[:2])
    assert error.value.field == "members"
    session = services_panels.panel_create(actor=data["evaluator"], title="2026年度精品案件评审会",
                                           region=data["regions"]["weidong"], held_on=clock.today, members=members)
    weak = graded(data, clock, 1, 65)
    with pytest.raises(ApplicationError) as error:
        services_panels.nomination_propose(actor=data["evaluator"], session=session, case=weak, reason="代理规范")
    assert error.value.code == "case_not_nominable"
    strong = graded(data, clock, 2, 95)
    nomination = services_panels.nomination_propose(actor=data["evaluator"], session=session, case=strong,
                                                    reason="积极调查取证，为三名农民工追回工资")
    with pytest.raises(ApplicationError) as error:
        services_panels.nomination_propose(actor=data["evaluator"], session=session, case=strong, reason="again")
    assert error.value.code == "already_proposed"

    outsider = data["director"]  # not a member
    with pytest.raises(ApplicationError) as error:
        services_panels.panel_vote(actor=outsider, nomination=nomination, vote="yes")
    assert error.value.status == 403
    assert not PanelVote.objects.exists()
    services_panels.panel_vote(actor=members[0], nomination=nomination, vote="no")
    services_panels.panel_vote(actor=members[0], nomination=nomination, vote="yes")  # changes the vote
    assert PanelVote.objects.get(member=members[0]).vote == "yes"


def test_a_sampled_case_checked_four_ways_is_named_exemplary_and_published_anonymised(data, clock, client):
    case, hearing = with_hearing(data, clock)
    archive(data, case, rating="优秀")
    applicant = case.application.applicant.name

    sample = services.sample_draw(actor=data["evaluator"], centre_ids=[data["centre"].pk], period_start=ASSIGNED_ON,
                                  period_end=ASSIGNED_ON, rate="1", seed=11)
    assert list(sample.cases.all()) == [case]
    file_review(data, case, 92, sample=sample)
    plan = services_review.observation_plan(actor=data["evaluator"], hearing=hearing)
    services.evaluation_record(actor=data["evaluator"], case=case, method="hearing", hearing=hearing,
                               scores={"hearing": 95})
    services.evaluation_record(actor=data["evaluator"], case=case, method="follow_up", contact_mode="visit",
                               satisfaction=5, lawyer_met_client=True, risks_explained=True, money_asked=False,
                               scores={"meeting": 95, "client_contact": 90})
    letter = services_review.opinion_letter_send(actor=data["evaluator"], case=case, organ="court",
                                                 organ_name="卫东区劳动人事争议仲裁委员会")
    services_review.opinion_letter_reply(actor=data["evaluator"], letter=letter, organ_reply="代理意见充分",
                                         scores={"written_opinion": 90, "hearing": 90, "legal_effect": 95})
    grade = services.case_grade(actor=data["evaluator"], case=case)
    assert grade.grade == "优秀"
    assert set(grade.detail["methods"]) == {"file_review", "hearing", "follow_up", "opinion"}
    plan.refresh_from_db()
    assert plan.evaluation is not None
    assert not Ticket.objects.filter(case=case).exists()

    members = panel_members(data)
    session = services_panels.panel_create(actor=data["evaluator"], title="第四季度精品案件评审会",
                                           region=data["regions"]["weidong"], held_on=clock.today, members=members)
    nomination = services_panels.nomination_propose(
        actor=data["evaluator"], session=session, case=case, reason=f"{applicant}等三人工资全部追回")
    for member, vote in zip(members, ["yes", "yes", "no"], strict=True):
        services_panels.panel_vote(actor=member, nomination=nomination, vote=vote)
    [exemplary] = services_panels.panel_close(actor=data["evaluator"], session=session)
    nomination.refresh_from_db()
    assert nomination.outcome == "exemplary"
    assert applicant not in exemplary.summary + exemplary.significance
    assert exemplary.published_at is None
    with pytest.raises(ApplicationError) as error:
        services_panels.panel_vote(actor=members[2], nomination=nomination, vote="yes")
    assert error.value.code == "panel_closed"

    services_panels.exemplary_publish(actor=data["evaluator"], exemplary=exemplary, title="农民工追讨欠薪案",
                                      summary=f"{applicant}等三名农民工被拖欠工资，联系电话13937512345。",
                                      significance="调查取证扎实")
    exemplary.refresh_from_db()
    assert exemplary.published_at is not None
    assert applicant not in exemplary.summary and "13937512345" not in exemplary.summary
    assert AuditEvent.objects.filter(action="quality.exemplary_publish", object_id=str(exemplary.pk)).exists()
    assert list(ExemplaryCase.objects.filter(published_at__isnull=False)) == [exemplary]


def test_a_panel_is_run_only_by_evaluators_of_its_region(data, clock):
    members = panel_members(data)
    with pytest.raises(ApplicationError) as error:
        services_panels.panel_create(actor=data["xinhua_reviewer"], title="评审会",
                                     region=data["regions"]["xinhua"], held_on=clock.today, members=members)
    assert error.value.status == 403
    session = services_panels.panel_create(actor=data["evaluator"], title="评审会",
                                           region=data["regions"]["weidong"], held_on=clock.today, members=members)
    xinhua_evaluator = UserFactory(username="xh_eval")
    MembershipFactory(user=xinhua_evaluator, institution=data["other_centre"], role="evaluator")
    with pytest.raises(ApplicationError) as error:
        services_panels.panel_close(actor=xinhua_evaluator, session=session)
    assert error.value.status == 404
    session.refresh_from_db()
    assert session.status == "open"
    assert not Nomination.objects.exists()
