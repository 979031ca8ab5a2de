"""Bad facts are refused with one error type that names the field, as the public pre-check reports it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from open12348.legalaid.eligibility import (
    Applicant,
    EligibilityInputError,
    Facts,
    Household,
    normalise_region,
)

from .test_eligibility_support import id_number

BORN = date(1990, 1, 1)
VALID_ID = id_number(BORN, sex="F")


def _facts(**overrides):
    kwargs = {"matter": "CV-04", "region_code": "410402", "on": date(2026, 3, 2), "applicant": Applicant()}
    kwargs.update(overrides)
    return Facts(**kwargs)


@pytest.mark.parametrize(
    ("build", "field", "code"),
    [
        pytest.param(lambda: _facts(matter="CV-99"), "matter", "unknown_matter", id="unknown-matter"),
        pytest.param(lambda: _facts(matter=None), "matter", "unknown_matter", id="missing-matter"),
        pytest.param(lambda: _facts(subtype="shipwreck", matter="CV-07"), "subtype", "unknown_subtype",
                     id="unknown-subtype"),
        pytest.param(lambda: _facts(subtype="wages"), "subtype", "unknown_subtype", id="subtype-on-plain-matter"),
        pytest.param(lambda: Applicant(id_number="41040219900101001"), "applicant.id_number", "invalid_id_number",
                     id="id-17-digits"),
        pytest.param(lambda: Applicant(id_number=VALID_ID[:-1] + ("0" if VALID_ID[-1] != "0" else "1")),
                     "applicant.id_number", "invalid_id_number", id="id-bad-check-digit"),
        pytest.param(lambda: Applicant(id_number="41040219901301001X"), "applicant.id_number", "invalid_id_number",
                     id="id-month-13"),
        pytest.param(lambda: Applicant(id_number=VALID_ID, birth_date=date(1990, 1, 2)), "applicant.birth_date",
                     "id_mismatch", id="birth-date-contradicts-id"),
        pytest.param(lambda: Applicant(id_number=VALID_ID, sex="M"), "applicant.sex", "id_mismatch",
                     id="sex-contradicts-id"),
        pytest.param(lambda: Applicant(sex="X"), "applicant.sex", "invalid_sex", id="sex-not-m-or-f"),
        pytest.param(lambda: Applicant(groups=frozenset({"pirate"})), "applicant.groups", "unknown_group",
                     id="unknown-group"),
        pytest.param(lambda: _facts(applicant=Applicant(id_number=VALID_ID, groups=frozenset({"elderly"}))),
                     "applicant.groups", "contradicts_age", id="declared-elderly-at-36"),
        pytest.param(lambda: _facts(applicant=Applicant(birth_date=BORN, groups=frozenset({"minor"}))),
                     "applicant.groups", "contradicts_age", id="declared-minor-at-36"),
        pytest.param(lambda: _facts(applicant=Applicant(sex="M", groups=frozenset({"woman"}))),
                     "applicant.groups", "contradicts_sex", id="declared-woman-but-male"),
        pytest.param(lambda: Household(members=2, monthly_income=Decimal("-0.01")), "household.monthly_income",
                     "negative_amount", id="negative-income"),
        pytest.param(lambda: Household(members=2, monthly_income="lots"), "household.monthly_income",
                     "invalid_amount", id="income-not-a-number"),
        pytest.param(lambda: Household(members=2, monthly_income="NaN"), "household.monthly_income",
                     "invalid_amount", id="income-nan"),
        pytest.param(lambda: Household(members=0, monthly_income=Decimal(1)), "household.members", "invalid_members",
                     id="members-zero"),
        pytest.param(lambda: Household(members=-3, monthly_income=Decimal(1)), "household.members",
                     "invalid_members", id="members-negative"),
        pytest.param(lambda: Household(members=True, monthly_income=Decimal(1)), "household.members",
                     "invalid_members", id="members-bool"),
        pytest.param(lambda: _facts(region_code="41040"), "region", "invalid_region", id="region-5-digits"),
        pytest.param(lambda: _facts(region_code="4104O2"), "region", "invalid_region", id="region-letter"),
        pytest.param(lambda: _facts(on="2026-03-02"), "date", "invalid_date", id="date-as-text"),
        pytest.param(lambda: _facts(applicant=Applicant(birth_date=date(2026, 5, 1))), "date", "before_birth",
                     id="date-before-birth"),
        pytest.param(lambda: _facts(channel="pigeon"), "channel", "unknown_channel", id="unknown-channel"),
        pytest.param(lambda: _facts(category="maritime"), "category", "unknown_category", id="unknown-category"),
    ],
)
def test_bad_input_names_its_field(build, field, code):
    with pytest.raises(EligibilityInputError) as caught:
        build()
    assert (caught.value.field, caught.value.code) == (field, code)
    assert str(caught.value.message), "a message the citizen can read"
    assert caught.value.status == 400


def test_the_id_number_gives_birth_date_and_sex():
    applicant = Applicant(id_number=VALID_ID.lower() if VALID_ID.endswith("X") else VALID_ID)
    assert (applicant.birth_date, applicant.sex) == (BORN, "F")
    facts = _facts(applicant=applicant)
    assert facts.age == 36
    assert {"woman"} <= facts.groups and not {"minor", "elderly"} & facts.groups


def test_a_matching_declaration_is_accepted():
    applicant = Applicant(id_number=VALID_ID, birth_date=BORN, sex="F", groups=frozenset({"woman", "laid_off"}))
    assert applicant.groups == frozenset({"woman", "laid_off"})


def test_region_codes_lose_their_padding():
    assert [normalise_region(c) for c in ("410000", "410400", "410402", "410402000", "410402001000", "41")] == [
        "41", "4104", "410402", "410402", "410402001", "41"]


def test_from_dict_reports_every_bad_field_at_once():
    with pytest.raises(EligibilityInputError) as caught:
        Facts.from_dict({
            "matter": "XX",
            "region": "abc",
            "date": "2026-02-30",
            "applicant": {"id_number": "123"},
            "household": {"members": 0, "monthly_income": -5},
        })
    assert set(caught.value.as_dict()) == {"matter", "region", "date", "applicant.id_number", "household.members"}


def test_from_dict_builds_the_facts_of_the_public_pre_check():
    facts = Facts.from_dict({
        "matter": "CV-05", "subtype": "wages", "region": "410402", "date": "2026-03-02",
        "applicant": {"id_number": VALID_ID, "groups": ["migrant_worker"]},
        "household": {"members": 3, "monthly_income": "3300.00"},
    })
    assert facts.household == Household(members=3, monthly_income=Decimal("3300.00"))
    assert facts.groups == frozenset({"migrant_worker", "woman"})
    assert facts.category == "civil"


def test_from_dict_refuses_a_non_object():
    with pytest.raises(EligibilityInputError) as caught:
        Facts.from_dict(["CV-04"])
    assert caught.value.field == "non_field_errors"


def test_messages_carry_their_numbers_when_shown():
    with pytest.raises(EligibilityInputError) as caught:
        Household(members=101, monthly_income=Decimal(1))
    assert "100" in str(caught.value.message)
    assert caught.value.as_dict()["household.members"][0]["code"] == "invalid_members"
