"""Case quality: schemes as versioned data, the four checks, the grade rule, sampling, tickets and
the subsidy effect, on cases built with the legal aid case helpers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from open12348.audit.models import AuditEvent
from open12348.core.errors import ApplicationError
from open12348.legalaid import services_cases
from open12348.legalaid.models import Subsidy
from open12348.legalaid.tests.factories import id_number, wage_claim
from open12348.legalaid.tests.test_cases_fixtures import (
    ASSIGNED_ON,
    at,
    closed,
    full_checklist,
    granted,
    in_progress,
    lawyer,
)
from open12348.network.tests.factories import staff_in
from open12348.quality import selectors, services
from open12348.quality.models import CaseGrade, Evaluation, Sample, SampleCase, Scheme, Ticket
from open12348.quality.schemes import DEFAULT_SCHEMES

pytestmark = pytest.mark.django_db

CIVIL_FILE_ITEMS = ["meeting", "evidence", "written_opinion", "closing_file", "legal_effect", "client_contact"]


def claim(n: int) -> dict:
    """A distinct wage claim for the n-th applicant (distinct names and ID numbers)."""
    payload = wage_claim()
    payload["applicant"] = {**payload["applicant"], "name": f"申请人{n}",
                            "id_number": id_number(f"41040319850317{n:03d}")}
    return payload


def with_hearing(data, clock, n: int = 1):
    """A civil case with one hearing recorded, closed by its lawyer; returns (case, hearing)."""
    case = in_progress(data, clock, granted(data, claim(n)))
    hearing = services_cases.progress_add(actor=data["lawyer"].user, case=case, kind="hearing",
                                          occurred_on=clock.today, hearing_at=at(clock.today, 9),
                                          court="卫东区劳动人事争议仲裁委员会")
    services_cases.case_close(actor=data["lawyer"].user, case=case, how_ended="arbitral_award",
                              ended_on=clock.today, outcome="裁决支付工资", amount_recovered="36000",
                              people_aided=3, hearings=1, checklist=full_checklist(case))
    case.refresh_from_db()
    return case, hearing


def archive(data, case, rating: str = "合格"):
    services_cases.archive_review(actor=data["director"], case=case, passed=True, file_rating=rating)
    case.refresh_from_db()
    return case


def file_review(data, case, score: int, **kwargs):
    return services.evaluation_record(actor=data["evaluator"], case=case, method="file_review",
                                      scores=dict.fromkeys(CIVIL_FILE_ITEMS, score), **kwargs)


def observation(data, case, hearing, score: int):
    return services.evaluation_record(actor=data["evaluator"], case=case, method="hearing", hearing=hearing,
                                      scores={"hearing": score})


# --- schemes ---------------------------------------------------------------------------------

def test_default_schemes_are_loaded_with_weights_adding_to_100():
    schemes = Scheme.objects.filter(is_current=True).prefetch_related("items")
    assert {s.code for s in schemes} == {d["code"] for d in DEFAULT_SCHEMES} == {
        "criminal_defence", "victim_representation", "civil", "administrative", "non_litigation", "duty_lawyer"}
    for scheme in schemes:
        assert scheme.version == 1
        assert sum(i.weight for i in scheme.items.all()) == 100
        assert [b["grade"] for b in scheme.bands] == ["优秀", "良好", "合格", "不合格"]
        assert [b["min"] for b in scheme.bands] == [85, 75, 60, 0]


def civil_v2(**overrides) -> dict:
    data = {"code": "civil", "category": "civil", "title": "民事案件质量评估标准（2027）",
            "effective_from": "2027-01-01",
            "bands": [{"grade": "优秀", "min": 90}, {"grade": "良好", "min": 80}, {"grade": "合格", "min": 70},
                      {"grade": "不合格", "min": 0}],
            "items": [{"code": "hearing", "title": "出庭", "weight": 40, "methods": ["hearing"]},
                      {"code": "closing_file", "title": "结案归档", "weight": 60, "methods": ["file_review"]}]}
    data.update(overrides)
    return data


def test_publishing_a_version_never_changes_past_evaluations(data, clock):
    case, hearing = with_hearing(data, clock)
    first = file_review(data, case, 80)
    v1 = first.scheme
    assert (v1.code, v1.version) == ("civil", 1)

    v2 = services.scheme_publish(actor=data["bureau_admin"], data=civil_v2())

    v1.refresh_from_db()
    first.refresh_from_db()
    assert (v2.version, v2.is_current, v1.is_current) == (2, True, False)
    assert first.scheme_id == v1.pk and first.score == Decimal("80.00")
    assert sorted(first.item_scores) == sorted(CIVIL_FILE_ITEMS)
    assert sorted(i.code for i in v1.items.all()) == sorted(
        ["meeting", "evidence", "written_opinion", "hearing", "closing_file", "legal_effect", "client_contact"])
    # The next check uses version 2, whose file review scores one item only.
    second = services.evaluation_record(actor=data["evaluator"], case=case, method="file_review",
                                        scores={"closing_file": 70})
    assert second.scheme_id == v2.pk
    # An explicit old version can still be used (a check done on paper before the change).
    third = file_review(data, case, 85, scheme_version=v1)
    assert third.scheme_id == v1.pk
    assert [s.version for s in selectors.scheme_versions(code="civil")] == [2, 1]
    assert AuditEvent.objects.filter(action="quality.scheme_publish", object_id=str(v2.pk)).exists()


@pytest.mark.parametrize("bad, code", [
    ({"items": [{"code": "a", "title": "A", "weight": 50, "methods": ["file_review"]}]}, "weights_not_100"),
    ({"items": [{"code": "a", "title": "A", "weight": 100, "methods": ["guess"]}]}, "item_methods_invalid"),
    ({"items": [{"code": "a", "title": "A", "weight": 50, "methods": ["file_review"]},
                {"code": "a", "title": "B", "weight": 50, "methods": ["file_review"]}]}, "item_duplicate"),
    ({"bands": [{"grade": "优秀", "min": 60}, {"grade": "良好", "min": 75}, {"grade": "合格", "min": 85},
                {"grade": "不合格", "min": 0}]}, "bands_invalid"),
])
def test_an_invalid_scheme_is_refused_and_the_current_version_stays(data, bad, code):
    with pytest.raises(ApplicationError) as error:
        services.scheme_publish(actor=data["bureau_admin"], data=civil_v2(**bad))
    assert error.value.code == code
    assert list(Scheme.objects.filter(code="civil").values_list("version", "is_current")) == [(1, True)]


def test_an_evaluator_cannot_publish_a_scheme(data):
    with pytest.raises(ApplicationError) as error:
        services.scheme_publish(actor=data["evaluator"], data=civil_v2())
    assert error.value.status == 403
    assert Scheme.objects.filter(code="civil").count() == 1


# --- evaluation records ------------------------------------------------------------------------

def test_scores_are_checked_against_the_scheme_version(data, clock):
    case, _hearing = with_hearing(data, clock)
    scores = dict.fromkeys(CIVIL_FILE_ITEMS, 80)
    for bad, code in (({**scores, "hearing": 80}, "item_unknown"),
                      ({k: v for k, v in scores.items() if k != "evidence"}, "item_missing"),
                      ({**scores, "evidence": 101}, "score_invalid"),
                      ({**scores, "evidence": "80"}, "score_invalid")):
        with pytest.raises(ApplicationError) as error:
            services.evaluation_record(actor=data["evaluator"], case=case, method="file_review", scores=bad)
        assert error.value.code == code
    assert not Evaluation.objects.exists()


def test_the_weighted_mean_of_a_record_uses_the_item_weights(data, clock):
    case, _hearing = with_hearing(data, clock)
    # civil: meeting 10, evidence 20, written_opinion 15, closing_file 10, legal_effect 15, client_contact 15
    scores = {"meeting": 100, "evidence": 50, "written_opinion": 100, "closing_file": 100, "legal_effect": 100,
              "client_contact": 100}
    record = services.evaluation_record(actor=data["evaluator"], case=case, method="file_review", scores=scores)
    assert record.score == Decimal("88.24")  # (65*100 + 20*50) / 85


def test_a_file_is_reviewed_only_after_the_closing_file(data, clock):
    case = in_progress(data, clock, granted(data, claim(1)))
    with pytest.raises(ApplicationError) as error:
        file_review(data, case, 80)
    assert error.value.code == "file_not_closed"
    assert not Evaluation.objects.exists()


def test_hearing_observation_needs_a_hearing_of_the_case(data, clock):
    case, hearing = with_hearing(data, clock)
    other, _h = with_hearing(data, clock, n=2)
    for wrong in (None, _h):
        with pytest.raises(ApplicationError) as error:
            observation(data, case, wrong, 90)
        assert error.value.code == "hearing_required"
    record = observation(data, case, hearing, 90)
    assert record.hearing_id == hearing.pk and record.score == Decimal("90.00")
    assert other.pk != case.pk


def test_follow_up_and_opinion_record_their_answers(data, clock):
    case, _hearing = with_hearing(data, clock)
    with pytest.raises(ApplicationError) as error:
        services.evaluation_record(actor=data["evaluator"], case=case, method="follow_up", contact_mode="phone",
                                   satisfaction=6, scores={"meeting": 80, "client_contact": 80})
    assert error.value.code == "satisfaction_invalid"
    with pytest.raises(ApplicationError) as error:
        services.evaluation_record(actor=data["evaluator"], case=case, method="opinion", organ="court",
                                   organ_reply=" ", scores={})
    assert error.value.code == "required"
    follow = services.evaluation_record(actor=data["evaluator"], case=case, method="follow_up",
                                        contact_mode="visit", satisfaction=2, lawyer_met_client=True,
                                        risks_explained=False, money_asked=True,
                                        scores={"meeting": 70, "client_contact": 50})
    assert (follow.money_asked, follow.satisfaction, follow.contact_mode) == (True, 2, "visit")
    opinion = services.evaluation_record(actor=data["evaluator"], case=case, method="opinion",
                                         organ="court", organ_reply="律师出庭认真",
                                         scores={"written_opinion": 90, "hearing": 90, "legal_effect": 90})
    assert opinion.organ_reply == "律师出庭认真" and opinion.score == Decimal("90.00")


def test_a_lawyer_cannot_evaluate_and_nothing_is_recorded(data, clock):
    case, _hearing = with_hearing(data, clock)
    with pytest.raises(ApplicationError) as error:
        services.evaluation_record(actor=data["lawyer"].user, case=case, method="file_review",
                                   scores=dict.fromkeys(CIVIL_FILE_ITEMS, 100))
    assert error.value.status == 403
    outsider = staff_in(data["regions"]["xinhua"], role="evaluator", username="xinhua_evaluator")
    with pytest.raises(ApplicationError) as error:
        services.evaluation_record(actor=outsider, case=case, method="file_review",
                                   scores=dict.fromkeys(CIVIL_FILE_ITEMS, 100))
    assert error.value.status == 404
    with pytest.raises(ApplicationError) as error:  # reviewers handle applications, not quality
        services.evaluation_record(actor=data["reviewer"], case=case, method="file_review",
                                   scores=dict.fromkeys(CIVIL_FILE_ITEMS, 100))
    assert error.value.status == 403
    assert not Evaluation.objects.exists()


# --- the grade rule ----------------------------------------------------------------------------

def test_grade_is_the_weighted_mean_of_the_methods(data, clock):
    case, hearing = with_hearing(data, clock)
    file_review(data, case, 80)
    file_review(data, case, 70)  # two file reviews: their mean, 75, counts
    observation(data, case, hearing, 95)
    grade = services.case_grade(actor=data["evaluator"], case=case)
    assert grade.score == Decimal("82.50")  # (75*5 + 95*3) / 8
    assert grade.grade == "良好"
    assert grade.detail["caps"] == []
    assert not Ticket.objects.exists()


def test_money_asked_caps_the_grade_at_qualified(data, clock):
    case, hearing = with_hearing(data, clock)
    file_review(data, case, 95)
    observation(data, case, hearing, 95)
    services.evaluation_record(actor=data["evaluator"], case=case, method="follow_up", contact_mode="phone",
                               satisfaction=4, lawyer_met_client=True, risks_explained=True, money_asked=True,
                               scores={"meeting": 90, "client_contact": 90})
    grade = services.case_grade(actor=data["evaluator"], case=case)
    assert grade.score == Decimal("94.44")  # (95*5 + 95*3 + 90*1) / 9
    assert grade.grade == "合格"
    assert grade.detail["from_bands"] == "优秀" and grade.detail["caps"] == ["money_asked"]


def test_grade_needs_a_scored_check(data, clock):
    case, _hearing = with_hearing(data, clock)
    with pytest.raises(ApplicationError) as error:
        services.case_grade(actor=data["evaluator"], case=case)
    assert error.value.code == "no_scores"
    assert not CaseGrade.objects.exists()


def test_bands_come_from_the_scheme_version_used(data, clock):
    case, _hearing = with_hearing(data, clock)
    services.scheme_publish(actor=data["bureau_admin"], data=civil_v2())  # 合格 from 70
    services.evaluation_record(actor=data["evaluator"], case=case, method="file_review",
                               scores={"closing_file": 65})
    assert services.case_grade(actor=data["evaluator"], case=case).grade == "不合格"


# --- sampling ------------------------------------------------------------------------------------

def test_sample_pick_is_reproducible_stratified_and_keeps_the_lawyer_minimum():
    cases = [(n, "civil" if n % 3 else "criminal", 1 if n < 20 else 2) for n in range(1, 31)]
    first = services.sample_pick(cases=cases, rate=Decimal("0.1"), min_per_lawyer=3, seed=42)
    again = services.sample_pick(cases=list(reversed(cases)), rate=Decimal("0.1"), min_per_lawyer=3, seed=42)
    assert first == again
    strata = {c for _id, c, extra in first if not extra}
    assert strata == {"civil", "criminal"}  # ceil(0.1 × 20) civil + ceil(0.1 × 10) criminal
    assert sum(1 for _id, c, extra in first if not extra and c == "civil") == 2
    assert sum(1 for _id, c, extra in first if not extra and c == "criminal") == 1
    lawyer_of = {n: lawyer for n, _c, lawyer in cases}
    for who in (1, 2):
        assert sum(1 for case_id, _c, _e in first if lawyer_of[case_id] == who) >= 3
    others = {services.sample_pick(cases=cases, rate=Decimal("0.1"), min_per_lawyer=0, seed=s)[0] for s in range(8)}
    assert len(others) > 1  # a different seed draws differently


def test_sample_draw_records_its_seed_and_the_same_seed_gives_the_same_cases(data, clock):
    second = lawyer(data["firm"], name="赵律师", username="lawyer_zhao")
    cases = [closed(data, clock, granted(data, claim(n))) for n in range(1, 5)]
    cases.append(services_cases.case_assign(actor=data["director"], application=granted(data, claim(9)),
                                            lawyer=second))
    open_case = cases[-1]
    kwargs = {"centre_ids": [data["centre"].pk], "period_start": ASSIGNED_ON, "period_end": ASSIGNED_ON,
              "rate": "0.25", "min_per_lawyer": 1, "seed": 20261}
    one = services.sample_draw(actor=data["evaluator"], **kwargs)
    two = services.sample_draw(actor=data["evaluator"], **kwargs)
    picked = list(SampleCase.objects.filter(sample=one).values_list("case_id", flat=True))
    assert picked == list(SampleCase.objects.filter(sample=two).values_list("case_id", flat=True))
    assert len(picked) == 1 and open_case.pk not in picked  # only closed cases are sampled
    assert one.seed == 20261
    assert AuditEvent.objects.filter(action="quality.sample_draw", object_id=str(one.pk)).exists()
    unseeded = services.sample_draw(actor=data["evaluator"], **{**kwargs, "seed": None})
    assert unseeded.seed is not None


def test_sample_draw_is_refused_without_the_capability(data, clock):
    closed(data, clock, granted(data, claim(1)))
    with pytest.raises(ApplicationError) as error:
        services.sample_draw(actor=data["lawyer"].user, centre_ids=[data["centre"].pk], period_start=ASSIGNED_ON,
                             period_end=ASSIGNED_ON, rate="0.5", min_per_lawyer=1, seed=1)
    assert error.value.status == 403
    with pytest.raises(ApplicationError) as error:
        services.sample_draw(actor=data["evaluator"], centre_ids=[data["centre"].pk], period_start=ASSIGNED_ON,
                             period_end=ASSIGNED_ON, rate="1.5", min_per_lawyer=1, seed=1)
    assert error.value.code == "rate_invalid"
    assert not Sample.objects.exists()


# --- end to end: sample → evaluate → grade → ticket → subsidy → close -----------------------------

def test_end_to_end_unqualified_case(data, clock):
    case, hearing = with_hearing(data, clock)
    case = archive(data, case)
    subsidy = Subsidy.objects.get(case=case)
    assert subsidy.amount == Decimal("1200.00")

    sample = services.sample_draw(actor=data["evaluator"], centre_ids=[data["centre"].pk],
                                  period_start=ASSIGNED_ON, period_end=ASSIGNED_ON, rate="1", min_per_lawyer=1,
                                  seed=7)
    assert list(sample.cases.all()) == [case]

    file_review(data, case, 50, sample=sample, comments="会见笔录缺失")
    observation(data, case, hearing, 55)
    services.evaluation_record(actor=data["evaluator"], case=case, method="follow_up", contact_mode="phone",
                               satisfaction=2, lawyer_met_client=True, risks_explained=False, money_asked=False,
                               scores={"meeting": 60, "client_contact": 50})
    services.evaluation_record(actor=data["evaluator"], case=case, method="opinion", organ="court",
                               organ_reply="代理意见较简单", scores={"written_opinion": 60, "hearing": 60,
                                                                   "legal_effect": 60})
    grade = services.case_grade(actor=data["evaluator"], case=case)
    assert grade.grade == "不合格"
    assert set(grade.detail["methods"]) == {"file_review", "hearing", "follow_up", "opinion"}
    case.refresh_from_db()  # the archived case's life ends with its grade
    assert case.status == "evaluated"
    assert case.events.filter(kind="evaluated").count() == 1

    ticket = Ticket.objects.get(case=case, status="open")
    assert ticket.owner == data["lawyer"].user
    assert "evidence" in ticket.correction and ticket.deadline > clock.today

    subsidy.refresh_from_db()
    assert subsidy.amount == Decimal("600.00")  # unqualified_factor 0.5
    assert subsidy.computation["quality"]["amount_before"] == "1200.00"
    assert AuditEvent.objects.filter(action="quality.subsidy_reduce", object_id=str(subsidy.pk)).count() == 1

    # Grading again neither opens a second ticket nor reduces the subsidy twice.
    services.case_grade(actor=data["evaluator"], case=case)
    assert case.events.filter(kind="evaluated").count() == 1
    subsidy.refresh_from_db()
    assert subsidy.amount == Decimal("600.00")
    assert Ticket.objects.filter(case=case).count() == 1

    assert list(selectors.tickets_overdue(user=data["evaluator"], today=ticket.deadline)) == []
    late = ticket.deadline + dt.timedelta(days=1)
    assert list(selectors.tickets_overdue(user=data["evaluator"], today=late)) == [ticket]
    assert list(selectors.tickets_overdue(user=data["xinhua_reviewer"], today=late)) == []

    with pytest.raises(ApplicationError) as error:
        services.ticket_close(actor=data["lawyer"].user, ticket=ticket, evidence="  ")
    assert error.value.field == "evidence"
    with pytest.raises(ApplicationError) as error:
        services.ticket_close(actor=data["other_lawyer"].user, ticket=ticket, evidence="已补正")
    assert error.value.status == 403
    ticket.refresh_from_db()
    assert ticket.status == "open"

    services.ticket_close(actor=data["lawyer"].user, ticket=ticket, evidence="已补充会见笔录并重新装订卷宗")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.closed_by) == ("closed", data["lawyer"].user)
    assert list(selectors.tickets_overdue(user=data["evaluator"], today=late)) == []
    with pytest.raises(ApplicationError) as error:
        services.ticket_close(actor=data["evaluator"], ticket=ticket, evidence="again")
    assert error.value.code == "ticket_closed"


def test_a_paid_subsidy_is_not_reduced(data, clock):
    case, hearing = with_hearing(data, clock)
    case = archive(data, case)
    services_cases.subsidy_pay(actor=data["director"], case=case, paid_on=clock.today)
    file_review(data, case, 40)
    assert services.case_grade(actor=data["evaluator"], case=case).grade == "不合格"
    subsidy = Subsidy.objects.get(case=case)
    assert (subsidy.amount, subsidy.status) == (Decimal("1200.00"), "paid")
    assert "quality" not in subsidy.computation
    assert Ticket.objects.filter(case=case, status="open").count() == 1


def test_a_file_already_rated_unqualified_is_not_reduced_twice(data, clock):
    case, _hearing = with_hearing(data, clock)
    case = archive(data, case, rating="不合格")
    assert Subsidy.objects.get(case=case).amount == Decimal("600.00")
    file_review(data, case, 40)
    services.case_grade(actor=data["evaluator"], case=case)
    assert Subsidy.objects.get(case=case).amount == Decimal("600.00")
