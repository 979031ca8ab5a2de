"""The guided interview as a pure module: no database, the default rule layers, a fixed day.

The property tests walk the interview with random answers. Whether a question was relevant is
judged here independently, from the eligibility engine and the answers given, not by asking the
interview's own conditions.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from open12348.legalaid.eligibility import Applicant, Facts, default_rulebook, evaluate
from open12348.legalaid.tests.factories import MAN, WOMAN_ELDERLY, id_number
from open12348.portal import interview as iv

ON = date(2026, 3, 2)
CTX = iv.InterviewContext(rulebook=default_rulebook(), on=ON, regions=(("410402", "新华区"), ("410403", "卫东区")))
GIRL = id_number("41040220120605122")  # 13 on ON
OLD_MAN = id_number("41040319500101123")  # 76 on ON
IDS = (MAN, WOMAN_ELDERLY, GIRL, OLD_MAN)
INCOME_KEYS = ("household_members", "monthly_income", "integrity_commitment")


def walk(script: dict) -> tuple[dict, list[str]]:
    """Answer each question from `script` (a missing key: the empty answer) until the review."""
    answers, asked = {}, []
    for _step in range(len(iv.QUESTIONS) + 1):
        question = iv.next_question(answers, CTX)
        if question is None:
            return answers, asked
        asked.append(question.key)
        answers = iv.record(answers, question.key, script.get(question.key, ""), CTX)
    raise AssertionError(f"the interview did not end: {asked}")


BASE = {"region": "410403", "for_whom": "self", "other_counsel": False, "applicant_name": "康建军",
        "applicant_id_number": MAN, "groups": [], "facts": "事情经过", "address": "平顶山市卫东区建设路1号",
        "materials": []}


def wage_claim(**extra) -> dict:
    return {**BASE, "topic": "work", "problem": "wages", "groups": ["migrant_worker"], "stage": "arbitration",
            "opposing_party": "平顶山某建筑公司", "amount_claimed": "36000", "people_count": 3, **extra}


def traffic(**extra) -> dict:
    return {**BASE, "topic": "injury", "problem": "traffic", "household_members": 3, "monthly_income": "2400",
            "integrity_commitment": True, "stage": "first_instance", "handling_organ": "卫东区人民法院", **extra}


# --- the two kinds of case the portal must handle ------------------------------------------

def test_green_channel_wage_claim_skips_income_and_explains_why():
    answers, asked = walk(wage_claim())
    assert not set(INCOME_KEYS) & set(asked)
    decision = iv.precheck(answers, CTX)
    assert decision["economic_review"] == "exempt" and decision["priority"] and decision["eligible"] is True
    explanation = iv.explain(decision, answers)
    reasons = " ".join(str(r) for r in explanation.reasons)
    assert explanation.tone == "good"
    assert "financial hardship" in reasons or "经济困难" in reasons
    assert "农民工" in reasons  # GC-MIGRANT's own title is the reason given
    assert "第四十二条第（三）项" in reasons  # and EX-03 with its article
    submitted = iv.submission(answers, CTX, phone="13803751234")
    assert submitted["household"] is None
    assert submitted["details"] | {"facts": ""} == {
        "matter": "CV-05", "matter_subtype": "wages", "category": "civil", "aid_form": "labour_arbitration",
        "stage": "arbitration", "cause": "", "opposing_party": "平顶山某建筑公司", "handling_organ": "",
        "facts": "", "amount_claimed": "36000", "people_count": 3, "retrial_ordered": False,
        "other_counsel": False,
    }
    assert submitted["applicant"]["phone"] == "13803751234"
    assert submitted["applicant"]["groups"] == ["migrant_worker"]


def test_ordinary_case_asks_income_and_tests_it_against_the_local_standard():
    answers, asked = walk(traffic())
    assert asked.index("groups") < asked.index("household_members") < asked.index("monthly_income")
    decision = iv.precheck(answers, CTX)
    assert decision["economic_review"] == "passed"  # 2400 / 3 = 800 ≤ 1100 (平顶山 2026)
    assert decision["threshold"]["amount"] == "1100.00"
    reasons = " ".join(str(r) for r in iv.explain(decision, answers).reasons)
    assert "800.00" in reasons and "1100.00" in reasons
    submitted = iv.submission(answers, CTX, phone="13803751234")
    assert submitted["household"] == {"members": 3, "monthly_income": "2400"}
    assert submitted["integrity_commitment"] is True
    assert submitted["details"]["aid_form"] == "civil_litigation"


def test_income_above_the_standard_fails_but_the_applicant_may_still_apply():
    answers, _asked = walk(traffic(household_members=2, monthly_income="9000"))
    decision = iv.precheck(answers, CTX)
    assert decision["economic_review"] == "failed" and decision["eligible"] is False
    explanation = iv.explain(decision, answers)
    assert explanation.tone == "bad"
    assert "4500.00" in " ".join(str(r) for r in explanation.reasons)
    assert iv.submission(answers, CTX, phone="13803751234")["household"]["monthly_income"] == "9000"


@pytest.mark.parametrize(("script", "review", "rule"), [
    (traffic(applicant_id_number=WOMAN_ELDERLY), "exempt", "GC-ELDERLY"),
    ({**BASE, "topic": "other", "problem": "other", "groups": ["military_family"], "stage": "first_instance"},
     "not_required", "GC-MILITARY"),
    ({**BASE, "topic": "family", "problem": "violence", "stage": "not_started"}, "not_required", "NM-04"),
    (traffic(groups=["social_assistance"]), "exempt", "EX-02"),
])
def test_no_income_questions_when_hardship_is_presumed_or_not_a_condition(script, review, rule):
    answers, asked = walk(script)
    assert not set(INCOME_KEYS) & set(asked)
    decision = iv.precheck(answers, CTX)
    assert decision["economic_review"] == review
    assert rule in {r["code"] for r in decision["rules"]}
    assert rule in " ".join(str(r) for r in iv.explain(decision, answers).reasons) or any(
        r["title"] in " ".join(str(x) for x in iv.explain(decision, answers).reasons) for r in decision["rules"]
        if r["code"] == rule)


def test_out_of_scope_matter_asks_no_income_and_says_so_plainly():
    answers, asked = walk({**BASE, "topic": "other", "problem": "other", "stage": "first_instance"})
    assert not set(INCOME_KEYS) & set(asked)
    explanation = iv.explain(iv.precheck(answers, CTX), answers)
    assert explanation.tone == "bad"
    assert "第三十一条" in str(explanation.reasons[0])


def test_a_hired_lawyer_makes_income_irrelevant():
    answers, asked = walk(traffic(other_counsel=True))
    assert not set(INCOME_KEYS) & set(asked)
    assert iv.precheck(answers, CTX)["eligible"] is False


def test_retrial_question_only_for_a_petition_and_it_decides_the_scope():
    _answers, asked = walk(traffic())
    assert "retrial_ordered" not in asked
    for ordered, in_scope in ((True, True), (False, False)):
        answers, asked = walk({**BASE, "topic": "other", "problem": "retrial", "retrial_ordered": ordered,
                               "household_members": 1, "monthly_income": "500", "integrity_commitment": True})
        assert "retrial_ordered" in asked and "stage" not in asked
        assert iv.precheck(answers, CTX)["in_scope"] is in_scope
        assert ("household_members" in asked) is in_scope
        details = iv.submission(answers, CTX, phone="13800000000")["details"]
        assert details["stage"] == "retrial" and details["retrial_ordered"] is ordered  # the centre's check agrees


def test_applying_for_a_relative_records_the_agent():
    answers, asked = walk(traffic(for_whom="other", agent_relationship="parent", agent_name="王芳",
                                  agent_id_number=WOMAN_ELDERLY, applicant_id_number=GIRL,
                                  applicant_phone="", applicant_name="王小"))
    assert asked[:5] == ["region", "for_whom", "agent_relationship", "agent_name", "agent_id_number"]
    assert "applicant_phone" in asked
    submitted = iv.submission(answers, CTX, phone="13803751234")
    assert submitted["agent"] == {"name": "王芳", "id_number": WOMAN_ELDERLY, "phone": "13803751234"}
    assert submitted["agent_relationship"] == "父母"
    assert submitted["applicant"]["phone"] == ""  # the verified phone is the agent's, not the child's


def test_three_no_elderly_is_offered_only_from_sixty():
    young = iv.QUESTION_BY_KEY["groups"].choices({"applicant_id_number": MAN}, CTX)
    old = iv.QUESTION_BY_KEY["groups"].choices({"applicant_id_number": OLD_MAN}, CTX)
    assert "three_no_elderly" not in {o.value for o in young}
    assert "three_no_elderly" in {o.value for o in old}


def test_changing_an_earlier_answer_drops_what_no_longer_belongs():
    answers, _asked = walk(traffic())
    assert "household_members" in answers
    changed = iv.record(answers, "groups", ["migrant_worker"], CTX)  # traffic injury: GC-MIGRANT applies
    assert not set(INCOME_KEYS) & set(changed)
    assert changed["stage"] == "first_instance"  # answers that still belong are kept
    moved = iv.record(answers, "topic", "family", CTX)
    assert "problem" not in moved and "stage" not in moved
    assert iv.next_question(moved, CTX).key == "problem"


def test_previous_question_follows_the_path_actually_taken():
    answers, asked = walk(wage_claim())
    assert iv.previous_key(iv.REVIEW, answers, CTX) == asked[-1]
    assert iv.previous_key("problem", answers, CTX) == "topic"
    assert iv.previous_key("region", answers, CTX) is None
    assert iv.is_current_or_earlier("stage", answers, CTX)
    assert not iv.is_current_or_earlier("household_members", answers, CTX)


def test_submission_refuses_an_unfinished_interview():
    with pytest.raises(ValueError):
        iv.submission({"region": "410403"}, CTX, phone="13800000000")


@pytest.mark.parametrize(("matter", "stage", "labour", "form"), [
    ("CR-A-DEF", "first_instance", False, "criminal_defence"),
    ("CR-A-VICTIM", "investigation", False, "criminal_representation"),
    ("CV-01", "not_started", False, "state_compensation"),
    ("CV-02", "reconsideration", False, "non_litigation"),
    ("CV-02", "first_instance", False, "administrative_litigation"),
    ("CV-05", "arbitration", True, "labour_arbitration"),
    ("CV-05", "first_instance", True, "civil_litigation"),
    ("CV-04", "mediation", False, "non_litigation"),
    ("CV-07", "not_started", False, "civil_litigation"),
])
def test_form_of_aid_follows_matter_and_stage(matter, stage, labour, form):
    assert iv.aid_form_for(matter, stage, labour=labour) == form


def test_materials_suggested_follow_the_pre_check():
    answers, _asked = walk(wage_claim())
    assert iv.suggested_materials(answers, iv.precheck(answers, CTX)) == ["id_copy", "status_proof", "evidence"]
    answers, _asked = walk(traffic(for_whom="other", agent_relationship="child", agent_name="王芳",
                                   agent_id_number=MAN, applicant_id_number=OLD_MAN, groups=[]))
    # 76 years old: GC-ELDERLY presumes hardship, so proof of status, not an economic statement
    assert iv.suggested_materials(answers, iv.precheck(answers, CTX)) == [
        "id_copy", "agent_proof", "status_proof", "evidence"]
    answers, _asked = walk(traffic())
    assert "economic_statement" in iv.suggested_materials(answers, iv.precheck(answers, CTX))


# --- properties over every reachable path --------------------------------------------------

TEXTS = ("张三", "平顶山某公司", "卫东区人民法院")


@st.composite
def an_answer(draw, question: iv.Question, answers: dict):
    kind = question.kind
    if kind in (iv.CHOICE, iv.REGION):
        return draw(st.sampled_from([o.value for o in question.choices(answers, CTX)]))
    if kind == iv.MULTI:
        return draw(st.lists(st.sampled_from([o.value for o in question.choices(answers, CTX)]), unique=True,
                             max_size=3))
    if kind == iv.YESNO:
        return draw(st.booleans())
    if kind == iv.CONFIRM:
        return True
    if kind == iv.ID_NUMBER:
        return draw(st.sampled_from(IDS))
    if kind == iv.PHONE:
        return draw(st.sampled_from(("", "13903751234")))
    if kind == iv.MONEY:
        amounts = ("0", "800", "2400.50", "30000")
        return draw(st.sampled_from(amounts if question.required else ("", *amounts)))
    if kind == iv.COUNT:
        return draw(st.integers(min_value=1, max_value=8)) if question.required else draw(
            st.one_of(st.none(), st.integers(min_value=1, max_value=8)))
    if kind == iv.UPLOAD:
        return []
    return draw(st.sampled_from(TEXTS)) if question.required else draw(st.sampled_from(("", *TEXTS)))


def engine_decision(answers: dict) -> dict:
    """The engine's own answer without any income: judged here, not through the interview."""
    problem = iv.PROBLEM_BY_VALUE[answers["problem"]]
    facts = Facts(matter=problem.matter, subtype=problem.subtype or None, region_code=answers["region"], on=ON,
                  applicant=Applicant(id_number=answers["applicant_id_number"],
                                      groups=frozenset(answers.get("groups") or ())),
                  retrial_ordered=answers.get("retrial_ordered") is True,
                  other_counsel=answers.get("other_counsel") is True)
    return evaluate(facts, CTX.rulebook.ruleset(facts.region_code, ON)).to_dict()


def check_relevant(key: str, answers: dict) -> None:
    """Fail if the interview asks `key` although nothing answered so far makes it matter."""
    problem = iv.PROBLEM_BY_VALUE.get(answers.get("problem", ""))
    if key in INCOME_KEYS:
        decision = engine_decision(answers)
        assert decision["in_scope"], "income asked for a matter legal aid does not cover"
        assert answers["other_counsel"] is False, "income asked although a lawyer is hired"
        assert decision["economic_review"] not in ("exempt", "not_required"), \
            f"income asked although the economic review is {decision['economic_review']}"
    if key in ("agent_relationship", "agent_name", "agent_id_number", "applicant_phone"):
        assert answers["for_whom"] == "other"
    if key == "retrial_ordered":
        assert problem.matter == "PET-RETRIAL"
    if key == "stage":
        assert problem.matter != "PET-RETRIAL"
    if key == "handling_organ":
        assert answers["stage"] != "not_started"
    if key == "cause":
        assert problem.matter.startswith("CR-")
    if key == "amount_claimed":
        assert problem.matter in iv.MONEY_MATTERS
    if key == "people_count":
        assert problem.value == "wages"
    if key == "opposing_party":
        assert problem.matter not in ("CR-A-DEF", "CV-06")


def random_walk(data) -> tuple[dict, list[str]]:
    answers: dict = {}
    asked: list[str] = []
    for _step in range(len(iv.QUESTIONS) + 1):
        question = iv.next_question(answers, CTX)
        if question is None:
            return answers, asked
        assert question.key not in asked, f"{question.key} asked twice"
        check_relevant(question.key, answers)
        if question.key == "groups" and (iv.age_of(answers, ON) or 0) < 60:
            assert "three_no_elderly" not in {o.value for o in question.choices(answers, CTX)}
        asked.append(question.key)
        answers = iv.record(answers, question.key, data.draw(an_answer(question, answers), label=question.key), CTX)
    raise AssertionError(f"no review after {len(asked)} questions: {asked}")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_path_ends_at_the_review_and_asks_only_what_matters(data):
    answers, asked = random_walk(data)
    assert iv.next_question(answers, CTX) is None
    assert {k for k in answers if k in iv.QUESTION_BY_KEY} == set(asked)
    decision = engine_decision(answers)
    # ...and nothing that matters was left out: income whenever the engine needs it.
    needs_income = (decision["in_scope"] and not answers["other_counsel"]
                    and decision["economic_review"] not in ("exempt", "not_required"))
    assert ("monthly_income" in asked) is needs_income
    submitted = iv.submission(answers, CTX, phone="13803751234")
    assert (submitted["household"] is not None) is needs_income
    assert iv.precheck(answers, CTX) is not None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_going_back_and_changing_an_answer_still_leads_to_the_review(data):
    answers, asked = random_walk(data)
    key = data.draw(st.sampled_from(asked), label="changed")
    question = iv.QUESTION_BY_KEY[key]
    earlier = {k: v for k, v in answers.items() if iv.ORDER.get(k, -1) < iv.ORDER[key]}
    answers = iv.record(answers, key, data.draw(an_answer(question, earlier), label="new answer"), CTX)
    for _step in range(len(iv.QUESTIONS) + 1):
        question = iv.next_question(answers, CTX)
        if question is None:
            break
        check_relevant(question.key, answers)
        answers = iv.record(answers, question.key, data.draw(an_answer(question, answers)), CTX)
    assert iv.next_question(answers, CTX) is None
    # No stale answer survived the change: every answer kept belongs to a question the finished path asks.
    assert {k for k in answers if k in iv.QUESTION_BY_KEY} == {q.key for q in iv.path(answers, CTX)}


# --- the applicant's township (for the dashboard's figures by township) ---------------------

TOWNS = iv.InterviewContext(rulebook=default_rulebook(), on=ON, regions=CTX.regions, townships=(
    ("410403", "410403001", "东安路街道"), ("410403", "410403002", "五一路街道"), ("410402", "410402001", "中兴路街道")))


def walk_in(ctx: iv.InterviewContext, script: dict) -> tuple[dict, list[str]]:
    answers, asked = {}, []
    for _step in range(len(iv.QUESTIONS) + 1):
        question = iv.next_question(answers, ctx)
        if question is None:
            return answers, asked
        asked.append(question.key)
        answers = iv.record(answers, question.key, script.get(question.key, ""), ctx)
    raise AssertionError(f"the interview did not end: {asked}")


def test_the_township_is_asked_among_the_chosen_countys_and_may_be_left_empty():
    question = iv.QUESTION_BY_KEY["township"]
    assert [o.value for o in question.choices({"region": "410403"}, TOWNS)] == ["410403001", "410403002"]
    answers, asked = walk_in(TOWNS, wage_claim(township="410403002"))
    assert "township" in asked and iv.submission(answers, TOWNS, phone="13803751234")["residence"] == "410403002"
    answers, asked = walk_in(TOWNS, wage_claim())  # left empty: answered, and nothing sent
    assert "township" in asked and "residence" not in iv.submission(answers, TOWNS, phone="13803751234")
    # A township of another county is not an answer to this question: it is asked again.
    answers = iv.record(walk_in(TOWNS, wage_claim())[0], "township", "410402001", TOWNS)
    assert iv.next_question(answers, TOWNS).key == "township"
    # Without townships for the county (CTX has none) the question is not asked at all.
    assert "township" not in walk(wage_claim())[1]
