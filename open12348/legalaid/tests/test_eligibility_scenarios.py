"""The scenario table: one row per situation drawn from the Legal Aid Law, Henan's regulations and
Pingdingshan's green channels, each asserting the whole answer and the exact rule codes cited.

Defaults unless a row says otherwise: region 410402 (Pingdingshan, 新华区), date 2026-03-02, the
default layers (PRC-LAA-2021, HA-2010/HA-2026, PDS-GC) and the demo thresholds (41: 1000.00 from
2026, 700.00 in 2022–2025; 4104: 1100.00 from 2026).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

from open12348.legalaid.eligibility import Applicant, Facts, Household, RuleSet, evaluate

from .test_eligibility_support import (
    BEIJING_COUNTY,
    ON,
    PDS_COUNTY,
    POOR,
    RICH,
    ZHENGZHOU_COUNTY,
    declared,
    extra_province_layer,
    household,
    layers_with,
    person,
    thresholds,
)

ADULT = Applicant()  # nothing known but the matter: no group, no age
MAN_1980 = person(date(1980, 5, 17), "M")
WOMAN_1985 = person(date(1985, 9, 9), "F")
BOY_2012 = person(date(2012, 4, 1), "M")
MAN_60_TODAY = person(date(1966, 3, 2), "M")  # 60 on 2026-03-02
MAN_60_TOMORROW = person(date(1966, 3, 3), "M")  # still 59 on 2026-03-02


@dataclass(frozen=True)
class Row:
    matter: str
    applicant: Applicant
    household: Household | None
    in_scope: bool
    review: str
    eligible: bool | None
    priority: bool
    codes: frozenset[str]
    subtype: str | None = None
    region: str = PDS_COUNTY
    on: date = ON
    retrial_ordered: bool = False
    other_counsel: bool = False
    extra_layer: bool = False
    routing: tuple[str, ...] = ()
    threshold: tuple[str, str] | None = field(default=None)  # (amount, region) when the test used one


def row(id_: str, matter: str, applicant: Applicant, hh: Household | None, expected: tuple, codes: set[str],
        **kwargs: Any):
    in_scope, review, eligible, priority = expected
    return pytest.param(Row(matter, applicant, hh, in_scope, review, eligible, priority, frozenset(codes), **kwargs),
                        id=id_)


IN, OUT = True, False
NR, EX, PASS, FAIL, UNK = "not_required", "exempt", "passed", "failed", "unknown"
PDS_T = ("1100.00", "4104")
HENAN_T = ("1000.00", "41")
HENAN_2024_T = ("700.00", "41")
STD = {"HA-2026-ECON", "ECON-TEST"}
STD_2024 = {"HA-2010-ART12", "ECON-TEST"}

SCENARIOS = [
    # --- Criminal notification (Art. 25, 28): no economic condition, whatever the household -----------------
    row("cr-n-minor-rich", "CR-N-MINOR", BOY_2012, RICH, (IN, NR, True, True), {"CR-N-MINOR", "GC-MINOR"},
        routing=("minors_workstation",)),
    row("cr-n-minor-no-household", "CR-N-MINOR", BOY_2012, None, (IN, NR, True, True), {"CR-N-MINOR", "GC-MINOR"},
        routing=("minors_workstation",)),
    row("cr-n-sensory-rich", "CR-N-SENSORY", ADULT, RICH, (IN, NR, True, False), {"CR-N-SENSORY"}),
    row("cr-n-impaired-rich", "CR-N-IMPAIRED", ADULT, RICH, (IN, NR, True, False), {"CR-N-IMPAIRED"}),
    row("cr-n-life-death-rich", "CR-N-LIFE-DEATH", MAN_1980, RICH, (IN, NR, True, False),
        {"CR-N-LIFE-DEATH", "LAA-26"}, routing=("experienced_defender",)),
    row("cr-n-death-review-rich", "CR-N-DEATH-REVIEW", MAN_1980, RICH, (IN, NR, True, False),
        {"CR-N-DEATH-REVIEW", "LAA-26"}, routing=("experienced_defender",)),
    row("cr-n-absentia-rich", "CR-N-ABSENTIA", ADULT, RICH, (IN, NR, True, False), {"CR-N-ABSENTIA"}),
    row("cr-n-other-rich", "CR-N-OTHER", ADULT, RICH, (IN, NR, True, False), {"CR-N-OTHER"}),
    row("cr-n-discretionary-rich", "CR-N-DISCRETIONARY", ADULT, RICH, (IN, NR, True, False),
        {"CR-N-DISCRETIONARY"}),
    row("cm-n-forced-med-rich", "CM-N-FORCED-MED", ADULT, RICH, (IN, NR, True, False), {"CM-N-FORCED-MED"}),
    row("cr-n-sensory-woman-no-women-team", "CR-N-SENSORY", WOMAN_1985, RICH, (IN, NR, True, False),
        {"CR-N-SENSORY"}),
    row("cr-n-life-death-counsel-hired", "CR-N-LIFE-DEATH", MAN_1980, RICH, (IN, NR, False, False),
        {"CR-N-LIFE-DEATH", "COUNSEL-HIRED"}, other_counsel=True),
    # --- Criminal applications (Art. 24, 29) ----------------------------------------------------------------
    row("cr-a-def-poor-passes", "CR-A-DEF", MAN_1980, POOR, (IN, PASS, True, False), {"CR-A-DEF", *STD},
        threshold=PDS_T),
    row("cr-a-def-elderly-exempt", "CR-A-DEF", MAN_60_TODAY, RICH, (IN, EX, True, True),
        {"CR-A-DEF", "GC-ELDERLY"}),
    row("cr-a-def-military-not-required", "CR-A-DEF", declared("military"), RICH, (IN, NR, True, True),
        {"CR-A-DEF", "GC-MILITARY"}),
    row("cr-a-victim-rich-fails", "CR-A-VICTIM", MAN_1980, RICH, (IN, FAIL, False, False), {"CR-A-VICTIM", *STD},
        threshold=PDS_T),
    row("cr-a-victim-woman-routed", "CR-A-VICTIM", WOMAN_1985, POOR, (IN, PASS, True, False),
        {"CR-A-VICTIM", *STD, "GC-WOMEN"}, threshold=PDS_T, routing=("womens_rights_team",)),
    # --- Civil and administrative (Art. 31) and exemptions (Art. 42, green channels) -------------------------
    row("cv-05-wages-migrant-rich", "CV-05", declared("migrant_worker"), RICH, (IN, EX, True, True),
        {"CV-05", "EX-03", "GC-MIGRANT"}, subtype="wages"),
    row("cv-05-labour-relation-migrant-rich-fails", "CV-05", declared("migrant_worker"), RICH,
        (IN, FAIL, False, False), {"CV-05", *STD}, subtype="labour_relation", threshold=PDS_T),
    row("cv-05-no-subtype-migrant-is-tested", "CV-05", declared("migrant_worker"), POOR, (IN, PASS, True, False),
        {"CV-05", *STD}, threshold=PDS_T),
    row("cv-07-work-injury-migrant-rich", "CV-07", declared("migrant_worker"), RICH, (IN, EX, True, True),
        {"CV-07", "EX-03", "GC-MIGRANT"}, subtype="work_injury"),
    row("cv-07-traffic-migrant-rich-gc-only", "CV-07", declared("migrant_worker"), RICH, (IN, EX, True, True),
        {"CV-07", "GC-MIGRANT"}, subtype="traffic"),
    row("cv-07-traffic-non-migrant-rich-fails", "CV-07", MAN_1980, RICH, (IN, FAIL, False, False),
        {"CV-07", *STD}, subtype="traffic", threshold=PDS_T),
    row("cv-04-elderly-60-on-the-day", "CV-04", MAN_60_TODAY, RICH, (IN, EX, True, True), {"CV-04", "GC-ELDERLY"}),
    row("cv-04-59-day-before-birthday-fails", "CV-04", MAN_60_TOMORROW, RICH, (IN, FAIL, False, False),
        {"CV-04", *STD}, threshold=PDS_T),
    row("cv-04-elderly-no-fixed-income-ex01-and-gc", "CV-04", person(date(1950, 1, 1), "M", "no_fixed_income"),
        RICH, (IN, EX, True, True), {"CV-04", "EX-01", "GC-ELDERLY"}),
    row("cv-02-social-assistance-ex02", "CV-02", declared("social_assistance"), RICH, (IN, EX, True, False),
        {"CV-02", "EX-02"}),
    row("cv-03-military-benefit-ex02", "CV-03", declared("military_benefit"), RICH, (IN, EX, True, False),
        {"CV-03", "EX-02"}),
    row("cv-06-disabled-fails-but-priority", "CV-06", declared("disabled"), RICH, (IN, FAIL, False, True),
        {"CV-06", *STD, "GC-DISABLED"}, threshold=PDS_T, routing=("township_workstation", "home_visit")),
    row("cv-06-disabled-no-fixed-income-ex01", "CV-06", declared("disabled", "no_fixed_income"), None,
        (IN, EX, True, True), {"CV-06", "EX-01", "GC-DISABLED"}, routing=("township_workstation", "home_visit")),
    row("cv-no-fixed-income-alone-is-tested", "CV-08", declared("no_fixed_income"), POOR, (IN, PASS, True, False),
        {"CV-08", *STD}, threshold=PDS_T),
    row("cv-05-military-not-required", "CV-05", declared("military"), RICH, (IN, NR, True, True),
        {"CV-05", "GC-MILITARY"}, subtype="wages"),
    row("cv-01-state-compensation-passes", "CV-01", ADULT, POOR, (IN, PASS, True, False), {"CV-01", *STD},
        threshold=PDS_T),
    # --- The economic test: boundary, missing data, region, date ---------------------------------------------
    row("threshold-exactly-equal-passes", "CV-04", MAN_1980, household(3, "3300.00"), (IN, PASS, True, False),
        {"CV-04", *STD}, threshold=PDS_T),
    row("threshold-one-fen-above-fails", "CV-04", MAN_1980, household(1, "1100.01"), (IN, FAIL, False, False),
        {"CV-04", *STD}, threshold=PDS_T),
    row("threshold-one-fen-per-head-above-fails", "CV-04", MAN_1980, household(3, "3300.03"),
        (IN, FAIL, False, False), {"CV-04", *STD}, threshold=PDS_T),
    row("no-household-unknown", "CV-04", MAN_1980, None, (IN, UNK, None, False), {"CV-04", "HA-2026-ECON",
                                                                                   "ECON-UNKNOWN"},
        threshold=PDS_T),
    row("no-threshold-outside-henan-unknown", "CV-04", MAN_1980, POOR, (IN, UNK, None, False),
        {"CV-04", "ECON-NO-THRESHOLD"}, region=BEIJING_COUNTY),
    row("zhengzhou-province-standard-fails", "CV-04", MAN_1980, household(1, "1050.00"), (IN, FAIL, False, False),
        {"CV-04", *STD}, region=ZHENGZHOU_COUNTY, threshold=HENAN_T),
    row("pingdingshan-city-standard-passes", "CV-04", MAN_1980, household(1, "1050.00"), (IN, PASS, True, False),
        {"CV-04", *STD}, threshold=PDS_T),
    row("zhengzhou-migrant-traffic-no-green-channel", "CV-07", declared("migrant_worker"), RICH,
        (IN, FAIL, False, False), {"CV-07", *STD}, subtype="traffic", region=ZHENGZHOU_COUNTY, threshold=HENAN_T),
    row("padded-city-code-is-pingdingshan", "CV-07", declared("migrant_worker"), RICH, (IN, EX, True, True),
        {"CV-07", "GC-MIGRANT"}, subtype="traffic", region="410400"),
    row("2022-before-green-channels-migrant-wages", "CV-05", declared("migrant_worker"), RICH,
        (IN, EX, True, False), {"CV-05", "EX-03"}, subtype="wages", on=date(2022, 6, 1)),
    row("2022-before-green-channels-migrant-traffic-fails", "CV-07", declared("migrant_worker"), RICH,
        (IN, FAIL, False, False), {"CV-07", *STD_2024}, subtype="traffic", on=date(2022, 6, 1),
        threshold=HENAN_2024_T),
    row("2024-henan-2010-standard", "CV-04", MAN_1980, household(1, "700.00"), (IN, PASS, True, False),
        {"CV-04", *STD_2024}, on=date(2024, 6, 1), threshold=HENAN_2024_T),
    row("2024-henan-2010-standard-fails-at-2026-level", "CV-04", MAN_1980, household(1, "900.00"),
        (IN, FAIL, False, False), {"CV-04", *STD_2024}, on=date(2024, 6, 1), threshold=HENAN_2024_T),
    row("2024-woman-other-matter-in-scope-by-henan-2010", "CV-OTHER", WOMAN_1985, household(1, "600.00"),
        (IN, PASS, True, False), {"HA-2010-ART11-4", *STD_2024, "GC-WOMEN"}, on=date(2024, 6, 1),
        threshold=HENAN_2024_T, routing=("womens_rights_team",)),
    row("2026-woman-other-matter-out-of-scope", "CV-OTHER", WOMAN_1985, household(1, "600.00"),
        (OUT, NR, False, False), {"CV-OTHER"}),
    row("2021-before-the-law-out-of-scope", "CV-04", MAN_1980, POOR, (OUT, NR, False, False), {"CV-04"},
        on=date(2021, 6, 1)),
    # --- No economic condition (Art. 32) ---------------------------------------------------------------------
    row("nm-01-martyr-family-rich", "NM-01", ADULT, RICH, (IN, NR, True, False), {"NM-01"}),
    row("nm-02-bravery-rich", "NM-02", ADULT, RICH, (IN, NR, True, False), {"NM-02"}),
    row("nm-03-acquitted-compensation-rich", "NM-03", ADULT, RICH, (IN, NR, True, False), {"NM-03"}),
    row("nm-04-domestic-violence-rich-woman", "NM-04", WOMAN_1985, RICH, (IN, NR, True, False),
        {"NM-04", "GC-WOMEN"}, routing=("womens_rights_team",)),
    row("nm-04-counsel-hired", "NM-04", ADULT, RICH, (IN, NR, False, False), {"NM-04", "COUNSEL-HIRED"},
        other_counsel=True),
    row("nm-05-unlisted-out-of-scope", "NM-05", ADULT, RICH, (OUT, NR, False, False), {"NM-05"},
        subtype="abandoned_child"),
    row("nm-05-listed-by-province", "NM-05", ADULT, RICH, (IN, NR, True, False), {"HA-TEST-NM05-CARE"},
        subtype="abandoned_child", extra_layer=True),
    # --- Petition and retrial (Art. 33) ----------------------------------------------------------------------
    row("pet-retrial-ordered-passes", "PET-RETRIAL", MAN_1980, POOR, (IN, PASS, True, False),
        {"PET-RETRIAL", *STD}, retrial_ordered=True, threshold=PDS_T),
    row("pet-retrial-ordered-rich-fails", "PET-RETRIAL", MAN_1980, RICH, (IN, FAIL, False, False),
        {"PET-RETRIAL", *STD}, retrial_ordered=True, threshold=PDS_T),
    row("pet-retrial-not-ordered-out-of-scope", "PET-RETRIAL", MAN_1980, POOR, (OUT, NR, False, False),
        {"PET-RETRIAL"}),
    row("pet-retrial-not-ordered-military-family", "PET-RETRIAL", declared("military_family"), RICH,
        (IN, NR, True, True), {"GC-MILITARY"}),
    # --- Outside the lists: CV-OTHER, CV-09 ------------------------------------------------------------------
    row("cv-other-out-of-scope", "CV-OTHER", MAN_1980, POOR, (OUT, NR, False, False), {"CV-OTHER"}),
    row("cv-other-military-family-in-scope", "CV-OTHER", declared("military_family"), RICH, (IN, NR, True, True),
        {"GC-MILITARY"}),
    row("cv-09-unlisted-out-of-scope", "CV-09", MAN_1980, POOR, (OUT, NR, False, False), {"CV-09"},
        subtype="farm_inputs"),
    row("cv-09-listed-by-province-passes", "CV-09", MAN_1980, POOR, (IN, PASS, True, False),
        {"HA-TEST-CV09-INPUTS", *STD}, subtype="farm_inputs", extra_layer=True, threshold=PDS_T),
    row("cv-09-other-sub-matter-still-out", "CV-09", MAN_1980, POOR, (OUT, NR, False, False), {"CV-09"},
        subtype="bigamy_divorce", extra_layer=True),
    row("cv-09-unlisted-military-in-scope", "CV-09", declared("military"), RICH, (IN, NR, True, True),
        {"GC-MILITARY"}, subtype="bigamy_divorce"),
    # --- Routing and priority --------------------------------------------------------------------------------
    row("cv-04-woman-routed-to-womens-team", "CV-04", WOMAN_1985, POOR, (IN, PASS, True, False),
        {"CV-04", *STD, "GC-WOMEN"}, threshold=PDS_T, routing=("womens_rights_team",)),
    row("cv-04-minor-priority", "CV-04", BOY_2012, POOR, (IN, PASS, True, True), {"CV-04", *STD, "GC-MINOR"},
        threshold=PDS_T, routing=("minors_workstation",)),
    row("cv-04-minor-no-fixed-income-exempt", "CV-04", person(date(2012, 4, 1), "F", "no_fixed_income"), None,
        (IN, EX, True, True), {"CV-04", "EX-01", "GC-MINOR", "GC-WOMEN"},
        routing=("womens_rights_team", "minors_workstation")),
    row("cv-04-counsel-hired", "CV-04", MAN_1980, POOR, (IN, PASS, False, False), {"CV-04", "COUNSEL-HIRED", *STD},
        other_counsel=True, threshold=PDS_T),
    row("cv-04-minor-counsel-hired-no-priority", "CV-04", BOY_2012, POOR, (IN, PASS, False, False),
        {"CV-04", "COUNSEL-HIRED", *STD}, other_counsel=True, threshold=PDS_T),
]


def _decide(r: Row):
    layers = layers_with(extra_province_layer()) if r.extra_layer else layers_with()
    facts = Facts(matter=r.matter, subtype=r.subtype, region_code=r.region, on=r.on, applicant=r.applicant,
                  household=r.household, retrial_ordered=r.retrial_ordered, other_counsel=r.other_counsel)
    return evaluate(facts, RuleSet.build(layers, thresholds(), facts.region_code, facts.on))


def test_the_table_is_large_enough_and_ids_are_unique():
    ids = [p.id for p in SCENARIOS]
    assert len(ids) >= 45
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("r", SCENARIOS)
def test_scenario(r: Row):
    decision = _decide(r)
    answer = decision.to_dict()
    assert (answer["in_scope"], answer["economic_review"], answer["eligible"], answer["priority"]) == (
        r.in_scope, r.review, r.eligible, r.priority)
    assert set(decision.codes) == r.codes
    assert len(decision.codes) == len(set(decision.codes)), "a rule is cited once"
    assert tuple(hint["hint"] for hint in answer["routing"]) == r.routing
    if r.threshold is None:
        assert answer["threshold"] is None
    else:
        assert (answer["threshold"]["amount"], answer["threshold"]["region"]) == r.threshold
    for cited in answer["rules"]:
        assert cited["code"] and cited["title"] and cited["source"], cited
    json.dumps(answer, ensure_ascii=False)
