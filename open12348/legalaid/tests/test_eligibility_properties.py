"""Properties of the engine over generated facts (hypothesis), with the default rules."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from open12348.legalaid.eligibility import (
    MATTER_INFO,
    Applicant,
    Facts,
    Group,
    Household,
    RuleBook,
    default_rulebook,
    evaluate,
)
from open12348.legalaid.eligibility.codes import OPEN_SUBTYPES

from .test_eligibility_support import extra_province_layer, layers_with, thresholds

BOOK = default_rulebook()
EXTENDED_BOOK = RuleBook(layers_with(extra_province_layer()), thresholds())
REGIONS = ["410402", "410102", "4104", "41", "110105", "410402001"]
# Groups that can be declared freely when the birth date and sex are unknown.
ALL_GROUPS = sorted(Group.values)
ECONOMIC_RULES = {"ECON-TEST", "ECON-UNKNOWN", "ECON-NO-THRESHOLD"}
HYPO = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def matter_and_subtype(draw):
    matter = draw(st.sampled_from(sorted(MATTER_INFO)))
    subtypes = MATTER_INFO[matter].subtypes
    if subtypes is OPEN_SUBTYPES:
        subtype = draw(st.sampled_from([None, "farm_inputs", "abandoned_child", "bigamy_divorce"]))
    else:
        subtype = draw(st.none() | st.sampled_from(sorted(subtypes))) if subtypes else None
    return matter, subtype


incomes = st.decimals(min_value=0, max_value=200000, places=2, allow_nan=False, allow_infinity=False)
households = st.none() | st.builds(Household, members=st.integers(1, 8), monthly_income=incomes)
days = st.dates(min_value=date(2021, 6, 1), max_value=date(2027, 12, 31))


group_sets = st.frozensets(st.sampled_from(ALL_GROUPS), max_size=4)


@st.composite
def facts(draw):
    matter, subtype = draw(matter_and_subtype())
    return {
        "matter": matter, "subtype": subtype, "region_code": draw(st.sampled_from(REGIONS)), "on": draw(days),
        "applicant": Applicant(groups=draw(group_sets)), "household": draw(households),
        "retrial_ordered": draw(st.booleans()), "other_counsel": draw(st.booleans()),
    }


def decide(kwargs: dict, book=BOOK):
    f = Facts(**kwargs)
    return evaluate(f, book.ruleset(f.region_code, f.on))


@HYPO
@given(facts(), st.sampled_from(ALL_GROUPS), st.booleans())
def test_adding_a_group_never_turns_eligible_into_ineligible(kwargs, extra, extended):
    book = EXTENDED_BOOK if extended else BOOK
    before = decide(kwargs, book)
    applicant = kwargs["applicant"]
    more = {**kwargs, "applicant": Applicant(groups=applicant.groups | {extra})}
    after = decide(more, book)
    if before.eligible is True:
        assert after.eligible is True
    if before.in_scope:
        assert after.in_scope
    if before.priority:
        assert after.priority


@HYPO
@given(facts(), st.sampled_from(sorted(c for c, i in MATTER_INFO.items() if i.notification)))
def test_criminal_notification_never_has_an_economic_test(kwargs, matter):
    decision = decide({**kwargs, "matter": matter, "subtype": None})
    if decision.in_scope:  # before 2022-01-01 no law is in force in the table above
        assert decision.economic_review == "not_required"
        assert decision.eligible is (not kwargs["other_counsel"])
        assert decision.threshold is None
        assert not ECONOMIC_RULES & set(decision.codes)
    else:
        assert kwargs["on"] < date(2022, 1, 1)


@HYPO
@given(facts(), incomes, st.integers(1, 8))
def test_raising_income_never_turns_failed_into_passed(kwargs, income, members):
    low = {**kwargs, "household": Household(members=members, monthly_income=income)}
    high = {**kwargs, "household": Household(members=members, monthly_income=income + Decimal("0.01"))}
    rank = {"passed": 0, "failed": 1}
    before, after = decide(low), decide(high)
    assert before.in_scope == after.in_scope
    if before.economic_review in rank and after.economic_review in rank:
        assert rank[after.economic_review] >= rank[before.economic_review]
    else:
        assert before.economic_review == after.economic_review
    if before.eligible is False:
        assert after.eligible is False


@HYPO
@given(facts())
def test_the_decision_is_deterministic_and_serialisable(kwargs):
    first = decide(kwargs)
    again = decide(dict(kwargs))
    assert first == again
    text = json.dumps(first.to_dict(), ensure_ascii=False, sort_keys=True)
    assert json.loads(text) == json.loads(json.dumps(again.to_dict(), ensure_ascii=False, sort_keys=True))


@HYPO
@given(facts())
def test_eligible_follows_from_scope_counsel_and_review(kwargs):
    d = decide(kwargs)
    assert d.rules, "every decision cites at least one rule"
    if not d.in_scope or kwargs["other_counsel"]:
        assert d.eligible is False
    elif d.economic_review == "unknown":
        assert d.eligible is None
    else:
        assert d.eligible is (d.economic_review in ("not_required", "exempt", "passed"))
    if d.economic_review in ("passed", "failed"):
        assert d.threshold is not None and "ECON-TEST" in d.codes
    if not d.in_scope:
        assert not d.priority and not d.routing


def _birthday(born: date, years: int) -> date:
    """The day a person reaches `years`; someone born on 29 February reaches it on 1 March."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return date(born.year + years, 3, 1)


@HYPO
@given(st.dates(min_value=date(1930, 1, 1), max_value=date(2026, 12, 31)), days)
def test_age_groups_follow_the_birthday(born, on):
    if born > on:
        return
    f = Facts(matter="CV-04", region_code="410402", on=on, applicant=Applicant(birth_date=born))
    assert ("elderly" in f.groups) == (on >= _birthday(born, 60))
    assert ("minor" in f.groups) == (on < _birthday(born, 18))
    eve = _birthday(born, 60) - timedelta(days=1)
    if eve >= born:
        assert "elderly" not in Facts(matter="CV-04", region_code="410402", on=eve,
                                      applicant=Applicant(birth_date=born)).groups
