"""A small world for video consultation: the 东安路街道 judicial office in 卫东区 asks, the 卫东区 legal
aid centre serves; a 新华区 reviewer and a lawyer at a firm are outsiders unless invited."""

from __future__ import annotations

import pytest

from open12348.network.choices import InstitutionKind
from open12348.network.tests.factories import InstitutionFactory, MembershipFactory, UserFactory, pingdingshan


def make_world() -> dict:
    regions = pingdingshan()
    office = InstitutionFactory(kind=InstitutionKind.JUDICIAL_OFFICE, name="东安路街道司法所",
                                region=regions["weidong_township"])
    centre = InstitutionFactory(kind=InstitutionKind.LEGAL_AID_CENTRE, name="卫东区法律援助中心",
                                region=regions["weidong"])
    city_centre = InstitutionFactory(kind=InstitutionKind.LEGAL_AID_CENTRE, name="平顶山市法律援助中心",
                                     region=regions["city"])
    other_centre = InstitutionFactory(kind=InstitutionKind.LEGAL_AID_CENTRE, name="新华区法律援助中心",
                                      region=regions["xinhua"])
    firm = InstitutionFactory(kind=InstitutionKind.LAW_FIRM, name="河南鹰城律师事务所", region=regions["weidong"])
    bureau = InstitutionFactory(kind=InstitutionKind.JUDICIAL_BUREAU, name="平顶山市司法局", region=regions["city"])

    def user(username: str, real_name: str, institution, role: str):
        u = UserFactory(username=username, real_name=real_name)
        MembershipFactory(user=u, institution=institution, role=role)
        return u

    return {
        **regions, "office": office, "centre": centre, "city_centre": city_centre, "other_centre": other_centre,
        "firm": firm, "bureau": bureau,
        "station": user("station", "韩梅", office, "station_staff"),
        "reviewer": user("reviewer", "孙建国", centre, "reviewer"),
        "director": user("director", "周慧", centre, "director"),
        "outsider": user("outsider", "钱多", other_centre, "reviewer"),
        "lawyer": user("lawyer", "王律师", firm, "lawyer"),
        "admin": user("admin", "郑伟", bureau, "bureau_admin"),
    }


@pytest.fixture
def world(db) -> dict:
    return make_world()


def request_now(world, **kwargs):
    from open12348.video import services

    data = {"actor": world["station"], "requesting_point": world["office"], "serving_point": world["centre"],
            "mode": "on_demand", "visitor_name": "李大爷", "visitor_phone": "13803751234",
            "topic": "儿子不给赡养费，想问怎么办。"}
    data.update(kwargs)
    return services.session_request(**data)


@pytest.fixture(autouse=True)
def _no_persistent_connections():
    """The consumer's and the test server's threads open their own connections; with persistent
    connections (CONN_MAX_AGE) they would outlive the test and keep PostgreSQL's test database busy."""
    from django.db import connections

    settings_dict = connections.settings["default"]
    previous = settings_dict.get("CONN_MAX_AGE", 0)
    settings_dict["CONN_MAX_AGE"] = 0
    yield
    settings_dict["CONN_MAX_AGE"] = previous
