"""The 卫东区 world of the mediation tests: a mediation committee in 东安路街道 with two mediators,
the mediator's and the judicial office's accounts, and a district-level staff member who may refer
a failed mediation to the district legal aid centre."""

import datetime as dt

import pytest

from open12348.legalaid.tests.factories import MAN, centre_setup, id_number
from open12348.legalaid.tests.test_cases_fixtures import Clock
from open12348.network.choices import InstitutionKind, PractitionerKind
from open12348.network.tests.factories import (
    InstitutionFactory,
    MembershipFactory,
    PractitionerFactory,
    UserFactory,
)

TODAY = dt.date(2026, 3, 2)
WOMAN = id_number("41040319920815124")


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch, TODAY)


@pytest.fixture
def world(clock):
    data = centre_setup()
    regions = data["regions"]
    committee = InstitutionFactory(kind=InstitutionKind.MEDIATION_COMMITTEE, name="东安路街道人民调解委员会",
                                   region=regions["weidong_township"])
    office = InstitutionFactory(kind=InstitutionKind.JUDICIAL_OFFICE, name="东安路司法所",
                                region=regions["weidong_township"])
    other_committee = InstitutionFactory(kind=InstitutionKind.MEDIATION_COMMITTEE, name="中兴路街道人民调解委员会",
                                         region=regions["xinhua_township"])
    mediator_user = UserFactory(username="t_mediator", real_name="马秀兰")
    MembershipFactory(user=mediator_user, institution=committee, role="mediator")
    station = UserFactory(username="t_station", real_name="韩梅")
    MembershipFactory(user=station, institution=office, role="station_staff")
    district = UserFactory(username="t_district_station")
    bureau = InstitutionFactory(kind=InstitutionKind.JUDICIAL_BUREAU, name="卫东区司法局调解科", region=regions["weidong"])
    MembershipFactory(user=district, institution=bureau, role="station_staff")
    xinhua_mediator = UserFactory(username="t_xh_mediator")
    MembershipFactory(user=xinhua_mediator, institution=other_committee, role="mediator")
    m1 = PractitionerFactory(kind=PractitionerKind.MEDIATOR, name="马秀兰", institution=committee,
                             licence_no="", region=regions["weidong_township"])
    m2 = PractitionerFactory(kind=PractitionerKind.MEDIATOR, name="周建国", institution=committee,
                             licence_no="", region=regions["weidong_township"])
    return {**data, "committee": committee, "other_committee": other_committee, "mediator": mediator_user,
            "station": station, "district": district, "xinhua_mediator": xinhua_mediator, "mediators": [m1, m2],
            "office": office}


def parties() -> list[dict]:
    return [
        {"side": "applicant", "name": "康建军", "id_number": MAN, "phone": "13803751234", "address": "卫东区建设路1号"},
        {"side": "applicant", "name": "康丽", "phone": "13803755678"},
        {"side": "respondent", "name": "王秀英", "id_number": WOMAN, "phone": "13903759876", "address": "卫东区建设路3号"},
    ]


def register(world, *, actor=None, **overrides):
    from open12348.mediation.services import dispute_register

    arguments = {"actor": actor or world["mediator"], "committee": world["committee"], "dispute_type": "neighbours",
                 "source": "walk_in", "facts": "两家因院墙滴水和排水沟堵塞发生争执，多次争吵。",
                 "parties": parties(), "mediators": world["mediators"], "received_on": TODAY}
    arguments.update(overrides)
    return dispute_register(**arguments)
