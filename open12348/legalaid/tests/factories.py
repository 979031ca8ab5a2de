"""Test helpers for legal aid: a centre in 卫东区 with its staff, and valid applicant data."""

from __future__ import annotations

from open12348.core.idnumber import check_digit
from open12348.legalaid.models import CentreProfile
from open12348.network.choices import InstitutionKind
from open12348.network.tests.factories import InstitutionFactory, MembershipFactory, UserFactory, pingdingshan


def id_number(first17: str) -> str:
    return first17 + check_digit(first17)


# A man born 1985-03-17 in 卫东区, and a woman born 1960-05-01 (66 in 2026).
MAN = id_number("41040319850317123")
WOMAN_ELDERLY = id_number("41040219600501122")


def centre_setup() -> dict:
    regions = pingdingshan()
    centre = InstitutionFactory(kind=InstitutionKind.LEGAL_AID_CENTRE, name="卫东区法律援助中心",
                                region=regions["weidong"])
    CentreProfile.objects.create(centre=centre, number_prefix="卫法援")
    other = InstitutionFactory(kind=InstitutionKind.LEGAL_AID_CENTRE, name="新华区法律援助中心",
                               region=regions["xinhua"])
    bureau = InstitutionFactory(kind=InstitutionKind.JUDICIAL_BUREAU, name="卫东区司法局", region=regions["weidong"])
    staff = {}
    for role in ("window_staff", "reviewer", "director"):
        user = UserFactory(username=f"wd_{role}")
        MembershipFactory(user=user, institution=centre, role=role)
        staff[role] = user
    staff["bureau_admin"] = UserFactory(username="wd_bureau")
    MembershipFactory(user=staff["bureau_admin"], institution=bureau, role="bureau_admin")
    staff["xinhua_reviewer"] = UserFactory(username="xh_reviewer")
    MembershipFactory(user=staff["xinhua_reviewer"], institution=other, role="reviewer")
    return {"regions": regions, "centre": centre, "other_centre": other, **staff}


def wage_claim(**overrides) -> dict:
    """A migrant worker owed wages: in scope, hardship presumed (EX-03 / GC-MIGRANT)."""
    data = {
        "applicant": {"name": "康建军", "id_number": MAN, "phone": "13803751234", "groups": ["migrant_worker"],
                      "address": "平顶山市卫东区建设路1号"},
        "details": {"matter": "CV-05", "matter_subtype": "wages", "category": "civil",
                    "aid_form": "labour_arbitration", "stage": "arbitration", "cause": "追索劳动报酬",
                    "opposing_party": "平顶山某建筑公司", "facts": "节日加班未支付加班工资", "amount_claimed": "36000",
                    "people_count": 3},
        "household": {"members": 3, "monthly_income": "2400"},
    }
    for key, value in overrides.items():
        data[key] = value
    return data


def contract_dispute() -> dict:
    """An ordinary contract dispute (CV-OTHER): outside legal aid's scope for an ordinary applicant."""
    return {
        "applicant": {"name": "李明", "id_number": id_number("41040319900101123"), "phone": "13903751234"},
        "details": {"matter": "CV-OTHER", "category": "civil", "aid_form": "civil_litigation",
                    "stage": "first_instance", "cause": "买卖合同纠纷", "opposing_party": "某商贸公司"},
        "household": {"members": 2, "monthly_income": "3000"},
    }
