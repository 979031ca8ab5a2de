"""The check-up tests' world: the 卫东区 legal aid centre (legalaid's centre_setup), the judicial
office of its first township with 韩梅 (station staff), the city and 新华区 bureaus, and a city-wide
campaign."""

from __future__ import annotations

import datetime as dt

from open12348.accounts.models import Membership
from open12348.legalaid.tests.factories import centre_setup
from open12348.network.choices import InstitutionKind, PractitionerKind
from open12348.network.tests.factories import InstitutionFactory, PractitionerFactory, UserFactory

from .. import services
from ..choices import ProblemKind
from ..credit_code import credit_code_make

VISITED_ON = dt.date(2026, 3, 10)
TODAY = dt.date(2026, 3, 20)


def member(username: str, institution, role: str, real_name: str = ""):
    user = UserFactory(username=username, real_name=real_name or username)
    Membership.objects.create(user=user, institution=institution, role=role)
    return user


def world() -> dict:
    data = centre_setup()
    regions = data["regions"]
    office = InstitutionFactory(kind=InstitutionKind.JUDICIAL_OFFICE, name="东安路司法所",
                                region=regions["weidong_township"])
    city_bureau = InstitutionFactory(kind=InstitutionKind.JUDICIAL_BUREAU, name="平顶山市司法局", region=regions["city"])
    xinhua_bureau = InstitutionFactory(kind=InstitutionKind.JUDICIAL_BUREAU, name="新华区司法局",
                                       region=regions["xinhua"])
    firm = InstitutionFactory(kind=InstitutionKind.LAW_FIRM, name="河南鹰城律师事务所", region=regions["weidong"])
    data.update(
        office=office, city_bureau=city_bureau, firm=firm,
        station=member("wd_station", office, "station_staff", "韩梅"),
        city_admin=member("city_admin", city_bureau, "bureau_admin", "郑伟"),
        xinhua_admin=member("xh_admin", xinhua_bureau, "bureau_admin", "何强"),
        team_lawyer=PractitionerFactory(kind=PractitionerKind.LAWYER, name="王德洲", institution=firm),
    )
    data["campaign"] = services.campaign_create(
        actor=data["city_admin"], name="农民工劳动合同法治体检", starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 6, 30), organiser=city_bureau, region=regions["city"], goal_enterprises=250)
    return data


def code(n: int, county: str = "410403") -> str:
    """A valid credit code of a company registered in `county`."""
    return credit_code_make(f"91{county}MA{n:07d}")


def enterprise(data: dict, *, n: int = 1, region=None, name: str = "平顶山市鹰城建筑劳务有限公司", **overrides) -> dict:
    values = {"name": name, "credit_code": code(n), "sector": "construction", "size": "small",
              "region": region or data["regions"]["weidong_township"], "address": "建设路18号",
              "contact_name": "刘经理", "contact_phone": "13903750001"}
    values.update(overrides)
    return values


def findings(**found: tuple[int, str]) -> dict:
    """{kind: (workers_affected, note)} for each problem found; the others not found."""
    return {kind: {"found": kind in found, "workers_affected": found.get(kind, (0, ""))[0],
                   "note": found.get(kind, (0, ""))[1]} for kind in ProblemKind.values}


def visited(data: dict, *, actor=None, n: int = 1, region=None, workers: int = 12, opinion: str = "建议补签劳动合同。",
            problems: dict | None = None, visited_on: dt.date = VISITED_ON, **kwargs):
    return services.visit_save(
        actor=actor or data["director"], campaign=data["campaign"],
        enterprise=enterprise(data, n=n, region=region, **kwargs), planned_on=visited_on, visited_on=visited_on,
        workers_interviewed=workers, findings=findings(**(problems if problems is not None else {
            "written_contract": (5, "5人未签书面劳动合同"), "wages_on_time": (3, "拖欠3人两个月工资")})),
        opinion=opinion, recommendations="一个月内补签合同，结清工资。", team_users=[data["director"]],
        team_practitioners=[data["team_lawyer"]], today=max(TODAY, visited_on))
