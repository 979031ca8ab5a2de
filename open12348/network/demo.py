"""Demo data: Pingdingshan's public legal service network at the size the seed article reports.

Two steps. `demo_plan` builds the whole city as plain data from a seed, without touching the
database, so the same seed always gives the same city. `demo_seed` writes a plan in bulk and
creates one demo account per role. Numbers (seed article, 2020): 139 township stations, 2,345
village rooms, 243 partner legal aid workstations, 1,941 institutions, 5,741 practitioners.
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from faker import Faker

from open12348.accounts.roles import Role
from open12348.accounts.services import membership_grant, totp_device_preset, user_create
from open12348.audit.services import audit_record
from open12348.core.errors import ApplicationError
from open12348.core.idnumber import check_digit

from .choices import (
    REGION_LEVEL_DEPTH,
    InstitutionKind,
    PartnerBody,
    PractitionerKind,
    RegionLevel,
    ServicePointKind,
)
from .models import Institution, Practitioner, Region, ServicePoint, ServiceType, Specialty
from .pinyin import pinyin_keys
from .regions import DivisionRow, divisions_read_csv, divisions_subtree, regions_load
from .services import practitioner_derive_keys

DIVISIONS_FILE = Path(__file__).resolve().parent / "fixtures" / "henan-divisions-2023.csv"
CITY_CODE = "4104"
CITY_NAME = "平顶山市"
DEFAULT_SEED = 12348
DEMO_PASSWORD = "Demo@12348"  # noqa: S105  (documented in docs/demo.md; demo databases only)
# Every demo account's authenticator secret (TOTP second factor), published in docs/demo.md like
# the password, so one entry in an authenticator app signs in as any of them. Demo databases only.
DEMO_TOTP_SECRET = "OPENTWELVETHREEFOURDEMOSECRETKEY"  # noqa: S105
REFERENCE_YEAR = 2024  # "today" for ages and years of practice, fixed so that a seed gives one city
SCALES = ("city", "province")  # "province" is built by legalaid.province, not by demo_plan
_BATCH = 1000

# The ten county-level divisions of the seed; the file's two development zones are not counties
# of birth in anyone's ID number and host no partner workstations.
REAL_COUNTIES = (
    "410402",
    "410403",
    "410404",
    "410411",
    "410421",
    "410422",
    "410423",
    "410425",
    "410481",
    "410482",
)
URBAN_DISTRICTS = ("410402", "410403", "410404", "410411")

# --- how many of each (the first four are the seed article's numbers) ---------------------
STATIONS = 139
ROOMS = 2345  # one per generated village or community
AID_WORKSTATIONS = 243
LIAISON_POINTS = 320
LAW_FIRMS = {
    "410402": 30,
    "410403": 18,
    "410411": 14,
    "410404": 2,
    "410421": 5,
    "410422": 5,
    "410423": 5,
    "410425": 4,
    "410481": 5,
    "410482": 8,
}
LEGAL_SERVICE_OFFICES = 60
APPRAISAL_INSTITUTIONS = 18
INDUSTRY_MEDIATION_CITY = ("医疗纠纷", "道路交通事故", "劳动争议", "婚姻家庭", "物业纠纷", "消费纠纷")
INDUSTRY_MEDIATION_COUNTY = ("道路交通事故", "医疗纠纷", "婚姻家庭", "劳动争议")
INSTITUTIONS = 1941  # people's mediation committees in villages make up the difference
PRACTITIONERS = {
    PractitionerKind.LAWYER: 1503,
    PractitionerKind.LEGAL_WORKER: 310,
    PractitionerKind.NOTARY: 62,
    PractitionerKind.APPRAISER: 140,
    PractitionerKind.AID_STAFF: 86,
    PractitionerKind.LIAISON: LIAISON_POINTS,
    PractitionerKind.VOLUNTEER: 400,
    PractitionerKind.MEDIATOR: 2920,
}
SPEC_LAWYER_NAME = "王德洲"  # the spec's pinyin example (`wdz`): one lawyer in 新华区

SERVICE_TYPES = (
    ("consultation", "法律咨询"),
    ("legal-aid", "法律援助"),
    ("mediation", "人民调解"),
    ("notary", "公证"),
    ("appraisal", "司法鉴定"),
    ("arbitration", "仲裁"),
    ("publicity", "法治宣传"),
    ("lawyer", "律师服务"),
    ("grassroots", "基层法律服务"),
)
SPECIALTIES = (
    ("labour", "劳动争议"),
    ("family", "婚姻家庭"),
    ("criminal", "刑事辩护"),
    ("traffic", "交通事故"),
    ("work-injury", "工伤赔偿"),
    ("contract", "合同纠纷"),
    ("minors", "未成年人保护"),
    ("women", "妇女权益"),
    ("administrative", "行政诉讼"),
    ("property", "房产纠纷"),
    ("medical", "医疗纠纷"),
    ("neighbour", "邻里纠纷"),
    ("debt", "债务纠纷"),
    ("land", "农村土地纠纷"),
    ("corporate", "公司法务"),
    ("ip", "知识产权"),
)
_SPECIALTIES_BY_KIND = {
    PractitionerKind.LAWYER: tuple(code for code, _name in SPECIALTIES if code != "neighbour"),
    PractitionerKind.LEGAL_WORKER: ("labour", "family", "traffic", "contract", "debt", "property", "land"),
    PractitionerKind.MEDIATOR: ("family", "neighbour", "land", "traffic", "medical", "labour", "property"),
    PractitionerKind.AID_STAFF: ("labour", "work-injury", "family", "minors", "women", "criminal"),
}
_SERVICES_BY_INSTITUTION = {
    InstitutionKind.JUDICIAL_BUREAU: ("consultation", "publicity"),
    InstitutionKind.LEGAL_AID_CENTRE: ("legal-aid", "consultation"),
    InstitutionKind.LAW_FIRM: ("lawyer", "consultation"),
    InstitutionKind.LEGAL_SERVICE_OFFICE: ("grassroots", "consultation", "mediation"),
    InstitutionKind.NOTARY_OFFICE: ("notary", "consultation"),
    InstitutionKind.APPRAISAL_INSTITUTION: ("appraisal",),
    InstitutionKind.MEDIATION_COMMITTEE: ("mediation",),
    InstitutionKind.ARBITRATION_BODY: ("arbitration", "mediation"),
    InstitutionKind.JUDICIAL_OFFICE: ("mediation", "consultation", "legal-aid", "publicity"),
}
_SERVICES_BY_POINT = {
    ServicePointKind.CENTRE: ("consultation", "legal-aid", "mediation", "publicity", "lawyer", "notary"),
    ServicePointKind.STATION: ("consultation", "legal-aid", "mediation", "publicity"),
    ServicePointKind.ROOM: ("consultation", "mediation", "publicity"),
    ServicePointKind.AID_WORKSTATION: ("legal-aid", "consultation"),
    ServicePointKind.LIAISON_POINT: ("legal-aid",),
}
# Who works where: kind, kind of institution, at least this many per institution, share of men,
# and how unequal institutions are in size (the sigma of a log-normal: law firms vary most).
_STAFFING = (
    (PractitionerKind.LAWYER, InstitutionKind.LAW_FIRM, 3, 0.68, 1.0),
    (PractitionerKind.LEGAL_WORKER, InstitutionKind.LEGAL_SERVICE_OFFICE, 2, 0.7, 0.4),
    (PractitionerKind.NOTARY, InstitutionKind.NOTARY_OFFICE, 2, 0.5, 0.4),
    (PractitionerKind.APPRAISER, InstitutionKind.APPRAISAL_INSTITUTION, 3, 0.6, 0.5),
    (PractitionerKind.AID_STAFF, InstitutionKind.LEGAL_AID_CENTRE, 4, 0.5, 0.3),
    (PractitionerKind.MEDIATOR, InstitutionKind.MEDIATION_COMMITTEE, 1, 0.62, 0.6),
)
_PARTNERS = (  # body, name inside a county, where it sits
    (PartnerBody.TRADE_UNION, "总工会", "工人文化宫一楼"),
    (PartnerBody.YOUTH_LEAGUE, "团委", "青少年活动中心"),
    (PartnerBody.WOMENS_FEDERATION, "妇联", "妇女儿童活动中心"),
    (PartnerBody.DISABLED_FEDERATION, "残联", "残疾人服务中心"),
    (PartnerBody.COURT, "人民法院", "诉讼服务中心"),
    (PartnerBody.PROCURATORATE, "人民检察院", "检察服务大厅"),
    (PartnerBody.LABOUR_ARBITRATION, "劳动人事争议仲裁院", "仲裁庭接待室"),
    (PartnerBody.VETERANS_AFFAIRS, "退役军人事务局", "退役军人服务中心"),
    (PartnerBody.DETENTION_CENTRE, "看守所", "律师会见室旁"),
)
_TOWNSHIP_PARTNERS = (
    (PartnerBody.TRADE_UNION, "工会"),
    (PartnerBody.WOMENS_FEDERATION, "妇联"),
    (PartnerBody.DISABLED_FEDERATION, "残联"),
    (PartnerBody.YOUTH_LEAGUE, "团委"),
)

# --- words for names and addresses ---------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_CITY_ROADS = _words(
    "建设路 中兴路 光明路 矿工路 开源路 湛河路 姚孟路 体育路 南环路 新华路 凌云路 和平路 卫东路 东环路 优越路 "
    "平安大道 长青路 曙光街 五一路 胜利街 联盟路 园林路 劳动路 稻香路 文化路 公园路 神马大道 育英路 焦店路 "
    "诸葛庙街"
)
_TOWN_ROADS = _words("人民路 文化路 解放路 中心街 新华街 建设街 商贸街 育才路 振兴路 府前街")
_COMMUNITY_WORDS = _words(
    "幸福 和平 光明 曙光 新华 朝阳 青年 文化 东风 建设 团结 胜利 红旗 振兴 育英 矿建 园林 五一 新城 东湖 "
    "锦绣 翠园 鹰城 湛南 西苑 北渡 南苑 英才 兴华 凯旋 明珠 长安 水岸 阳光 丰收 友谊 公园 红星"
)
_VILLAGE_SURNAMES = tuple(
    "张李王刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢"
)
_VILLAGE_SUFFIXES = tuple("庄湾营寨楼店沟岗坡洼集屯堂园桥庙铺岭河口台窑坟套林")
_VILLAGE_PREFIXES = ("", "", "", "", *"东西南北前后大小")  # most villages have no direction prefix
_FIRM_WORDS = _words(
    "鹰城 平安 正义 金石 明德 中原 天平 博阳 豫鹰 鼎正 至诚 公信 君道 诚信 恒信 昭阳 尧山 沙河 湛河 龙山 "
    "鲁阳 应国 昆阳 香山 同德 弘法 泰和 华盛 正衡 德润 仁和 永正 鼎立 方圆 立言 公正 鸿业 众和 百川 衡平 "
    "信达 润泽 睿智 远见 天元 宏博 英泰 广德 金鹰 中鼎 坤元 启元 海纳 知行 和信 嘉禾 佳和 嵩岳 伏牛 汝河 "
    "白龟 石漫 舞阳 卫宁 建业"
)
_MALE_MIDDLE = "建国志德文永海晓宏俊家新振立长春金玉明东红子世光天学云永庆成"
_FEMALE_MIDDLE = "秀丽玉春美晓雅淑桂凤艳慧静文红海雪佳梦欣书思小"
_MOBILE_PREFIXES = _words(
    "130 131 132 135 136 137 138 139 150 151 152 155 156 157 158 "
    "159 176 177 178 180 182 183 185 186 187 188 189 199"
)
_OFFICE_HOURS = "周一至周五 8:30-12:00 14:30-17:30"
_FIRM_HOURS = "周一至周五 9:00-17:30"
_ROOM_HOURS = "每周二、周五 9:00-11:30"

# --- plan ----------------------------------------------------------------------------------


@dataclass(slots=True)
class PointPlan:
    key: str
    kind: str
    name: str
    region: str
    address: str
    phone: str
    opening_hours: str
    partner_body: str = ""
    run_by: str = ""  # key of the institution that runs it


@dataclass(slots=True)
class InstitutionPlan:
    key: str
    kind: str
    name: str
    region: str
    address: str
    phone: str
    opening_hours: str
    point: str = ""
    description: str = ""


@dataclass(slots=True)
class PractitionerPlan:
    kind: str
    name: str
    sex: str
    region: str
    institution: str
    point: str
    licence_no: str
    practice_since: int
    languages: list[str]
    specialties: list[str]
    id_number: str
    mobile: str
    profile: str = ""
    duty_hours: str = ""


@dataclass(frozen=True, slots=True)
class AccountPlan:
    username: str
    role: str
    institution: str
    real_name: str


@dataclass
class DemoPlan:
    seed: int
    villages: list[DivisionRow] = field(default_factory=list)
    points: list[PointPlan] = field(default_factory=list)
    institutions: list[InstitutionPlan] = field(default_factory=list)
    practitioners: list[PractitionerPlan] = field(default_factory=list)
    accounts: list[AccountPlan] = field(default_factory=list)

    def fingerprint(self) -> str:
        """A digest of everything a person would recognise: names, codes, licences."""
        digest = hashlib.sha256()
        for v in self.villages:
            digest.update(f"v|{v.code}|{v.name}\n".encode())
        for p in self.points:
            digest.update(f"s|{p.kind}|{p.name}|{p.region}\n".encode())
        for i in self.institutions:
            digest.update(f"i|{i.kind}|{i.name}|{i.region}|{i.phone}\n".encode())
        for r in self.practitioners:
            digest.update(
                f"p|{r.kind}|{r.name}|{r.licence_no}|{r.region}|{r.institution}|{r.id_number}\n".encode()
            )
        return digest.hexdigest()


def allocate(total: int, weights: Sequence[float], *, minimum: int = 0) -> list[int]:
    """Split `total` into whole shares proportional to `weights`, each at least `minimum`."""
    rest = total - minimum * len(weights)
    if rest < 0:
        raise ValueError("total is smaller than the minimum shares")
    scale = sum(weights)
    raw = [w * rest / scale for w in weights]
    shares = [int(x) for x in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: (shares[i] - raw[i], i))
    for i in by_remainder[: rest - sum(shares)]:
        shares[i] += 1
    return [minimum + s for s in shares]


class _Planner:
    """Builds a DemoPlan. One instance per plan; every random choice comes from `self.rng`."""

    def __init__(self, *, seed: int, divisions: Sequence[DivisionRow]) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(seed)
        self.plan = DemoPlan(seed=seed)
        self.counties = [r for r in divisions if r.level == RegionLevel.COUNTY and r.parent_code == CITY_CODE]
        county_codes = {c.code for c in self.counties}
        self.townships = [
            r for r in divisions if r.level == RegionLevel.TOWNSHIP and r.parent_code in county_codes
        ]
        self.county_name = {c.code: c.name for c in self.counties}
        self.townships_of: dict[str, list[DivisionRow]] = defaultdict(list)
        for t in self.townships:
            self.townships_of[t.parent_code].append(t)
        self.villages_of: dict[str, list[DivisionRow]] = defaultdict(list)
        self.township_of: dict[str, DivisionRow] = {t.code: t for t in self.townships}
        self.institution_by_key: dict[str, InstitutionPlan] = {}
        self.used_licences: set[tuple[str, str]] = set()
        self.used_ids: set[str] = set()
        self.used_mobiles: set[str] = set()
        self.used_phones: set[str] = set()

    # -- small helpers
    def county_of(self, region_code: str) -> str:
        return region_code[:6]

    def place(self, county: str) -> str:
        name = self.county_name[county]
        if name.startswith(CITY_NAME[:3]) or name.endswith(("县", "市")):
            return name
        return f"{CITY_NAME}{name}"

    def street_address(self, township: DivisionRow) -> str:
        roads = _CITY_ROADS if _is_street(township.name) else _TOWN_ROADS
        return f"{self.place(township.parent_code)}{township.name}{self.rng.choice(roads)}{self.rng.randint(1, 399)}号"

    def phone(self) -> str:
        while True:
            number = f"0375-{self.rng.choice('234567678')}{self.rng.randint(0, 999999):06d}"
            if number not in self.used_phones:
                self.used_phones.add(number)
                return number

    def add_point(self, point: PointPlan) -> PointPlan:
        self.plan.points.append(point)
        return point

    def add_institution(self, institution: InstitutionPlan) -> InstitutionPlan:
        self.plan.institutions.append(institution)
        self.institution_by_key[institution.key] = institution
        return institution

    # -- regions
    def villages(self) -> None:
        weights = []
        for t in self.townships:
            base = 8 if _is_street(t.name) else (17 if t.name.endswith("乡") else 20)
            weights.append(base * self.rng.uniform(0.7, 1.3))
        for township, count in zip(self.townships, allocate(ROOMS, weights, minimum=3), strict=True):
            names = self._community_names(count) if _is_street(township.name) else self._village_names(count)
            first = 1 if _is_street(township.name) else 201
            for offset, name in enumerate(names):
                row = DivisionRow(
                    row=0,
                    code=f"{township.code}{first + offset:03d}",
                    name=name,
                    level=RegionLevel.VILLAGE,
                    parent_code=township.code,
                )
                self.plan.villages.append(row)
                self.villages_of[township.code].append(row)

    def _community_names(self, count: int) -> list[str]:
        pool = [f"{w}社区" for w in _COMMUNITY_WORDS] + [f"{r}社区" for r in _CITY_ROADS]
        return self.rng.sample(pool, count)

    def _village_names(self, count: int) -> list[str]:
        names: list[str] = []
        while len(names) < count:
            name = (
                f"{self.rng.choice(_VILLAGE_PREFIXES)}{self.rng.choice(_VILLAGE_SURNAMES)}"
                f"{self.rng.choice(_VILLAGE_SUFFIXES)}村"
            )
            if name not in names:
                names.append(name)
        return names

    # -- the four-level network and the partner workstations
    def network(self) -> None:
        city_bureau = self.add_institution(
            InstitutionPlan(
                key=f"bureau:{CITY_CODE}",
                kind=InstitutionKind.JUDICIAL_BUREAU,
                name=f"{CITY_NAME}司法局",
                region=CITY_CODE,
                address=f"{CITY_NAME}新华区建设路西段128号",
                phone="0375-2661106",
                opening_hours=_OFFICE_HOURS,
                point=f"centre:{CITY_CODE}",
            )
        )
        self.add_point(
            PointPlan(
                key=f"centre:{CITY_CODE}",
                kind=ServicePointKind.CENTRE,
                name=f"{CITY_NAME}公共法律服务中心",
                region=CITY_CODE,
                address=f"{CITY_NAME}新华区建设路西段128号一楼",
                phone="0375-12348",
                opening_hours="周一至周日 8:30-17:30（12348热线全天）",
                run_by=city_bureau.key,
            )
        )
        self.add_institution(
            InstitutionPlan(
                key=f"aid:{CITY_CODE}",
                kind=InstitutionKind.LEGAL_AID_CENTRE,
                name=f"{CITY_NAME}法律援助中心",
                region=CITY_CODE,
                address=f"{CITY_NAME}新华区建设路西段128号一楼",
                phone="0375-2662148",
                opening_hours=_OFFICE_HOURS,
                point=f"centre:{CITY_CODE}",
            )
        )
        for county in self.counties:
            address = f"{self.place(county.code)}{self.rng.choice(_CITY_ROADS)}{self.rng.randint(1, 299)}号"
            bureau = self.add_institution(
                InstitutionPlan(
                    key=f"bureau:{county.code}",
                    kind=InstitutionKind.JUDICIAL_BUREAU,
                    name=f"{county.name}司法局",
                    region=county.code,
                    address=address,
                    phone=self.phone(),
                    opening_hours=_OFFICE_HOURS,
                    point=f"centre:{county.code}",
                )
            )
            self.add_point(
                PointPlan(
                    key=f"centre:{county.code}",
                    kind=ServicePointKind.CENTRE,
                    name=f"{county.name}公共法律服务中心",
                    region=county.code,
                    address=f"{address}一楼",
                    phone=self.phone(),
                    opening_hours=_OFFICE_HOURS,
                    run_by=bureau.key,
                )
            )
            self.add_institution(
                InstitutionPlan(
                    key=f"aid:{county.code}",
                    kind=InstitutionKind.LEGAL_AID_CENTRE,
                    name=f"{county.name}法律援助中心",
                    region=county.code,
                    address=f"{address}一楼",
                    phone=self.phone(),
                    opening_hours=_OFFICE_HOURS,
                    point=f"centre:{county.code}",
                )
            )
        with_station = {t.code for t in self.rng.sample(self.townships, STATIONS)}
        for township in self.townships:
            address = self.street_address(township)
            has_station = township.code in with_station
            office = self.add_institution(
                InstitutionPlan(
                    key=f"office:{township.code}",
                    kind=InstitutionKind.JUDICIAL_OFFICE,
                    name=f"{township.name}司法所",
                    region=township.code,
                    address=address,
                    phone=self.phone(),
                    opening_hours=_OFFICE_HOURS,
                    point=f"station:{township.code}" if has_station else "",
                )
            )
            if has_station:
                self.add_point(
                    PointPlan(
                        key=f"station:{township.code}",
                        kind=ServicePointKind.STATION,
                        name=f"{township.name}公共法律服务工作站",
                        region=township.code,
                        address=address,
                        phone=office.phone,
                        opening_hours=_OFFICE_HOURS,
                        run_by=office.key,
                    )
                )
            for village in self.villages_of[township.code]:
                self.add_point(
                    PointPlan(
                        key=f"room:{village.code}",
                        kind=ServicePointKind.ROOM,
                        name=f"{village.name}公共法律服务工作室",
                        region=village.code,
                        address=f"{self.place(township.parent_code)}{township.name}{village.name}"
                        f"{'党群服务中心' if village.name.endswith('社区') else '村委会'}",
                        phone="",
                        opening_hours=_ROOM_HOURS,
                        run_by=office.key,
                    )
                )
        self._aid_workstations()
        self._liaison_points()

    def _aid_workstations(self) -> None:
        for county in REAL_COUNTIES:
            for body, body_name, where in _PARTNERS:
                self.add_point(
                    PointPlan(
                        key=f"aidws:{county}:{body}",
                        kind=ServicePointKind.AID_WORKSTATION,
                        name=f"{self.county_name[county]}{body_name}法律援助工作站",
                        region=county,
                        address=f"{self.place(county)}{body_name}{where}",
                        phone=self.phone(),
                        opening_hours=_OFFICE_HOURS,
                        partner_body=body,
                        run_by=f"aid:{county}",
                    )
                )
        candidates = [
            (t, body, name)
            for t in self.townships
            if t.parent_code in REAL_COUNTIES
            for body, name in _TOWNSHIP_PARTNERS
        ]
        at_county_level = len(REAL_COUNTIES) * len(_PARTNERS)
        for township, body, body_name in self.rng.sample(candidates, AID_WORKSTATIONS - at_county_level):
            self.add_point(
                PointPlan(
                    key=f"aidws:{township.code}:{body}",
                    kind=ServicePointKind.AID_WORKSTATION,
                    name=f"{township.name}{body_name}法律援助工作站",
                    region=township.code,
                    address=self.street_address(township),
                    phone=self.phone(),
                    opening_hours=_OFFICE_HOURS,
                    partner_body=body,
                    run_by=f"aid:{township.parent_code}",
                )
            )

    def _liaison_points(self) -> None:
        villages = [v for v in self.plan.villages if v.code[:6] in REAL_COUNTIES]
        for village in sorted(self.rng.sample(villages, LIAISON_POINTS), key=lambda v: v.code):
            township = self.township_of[village.parent_code]
            self.add_point(
                PointPlan(
                    key=f"liaison:{village.code}",
                    kind=ServicePointKind.LIAISON_POINT,
                    name=f"{village.name}法律援助联络点",
                    region=village.code,
                    address=f"{self.place(township.parent_code)}{township.name}{village.name}",
                    phone="",
                    opening_hours=_ROOM_HOURS,
                    run_by=f"aid:{township.parent_code}",
                )
            )

    # -- institutions that are not part of the four levels
    def institutions(self) -> None:
        self._law_firms()
        for township in self.rng.sample(
            [t for t in self.townships if t.parent_code in REAL_COUNTIES], LEGAL_SERVICE_OFFICES
        ):
            self.add_institution(
                InstitutionPlan(
                    key=f"lso:{township.code}",
                    kind=InstitutionKind.LEGAL_SERVICE_OFFICE,
                    name=f"{township.name}法律服务所",
                    region=township.code,
                    address=self.street_address(township),
                    phone=self.phone(),
                    opening_hours=_OFFICE_HOURS,
                )
            )
        notaries = (
            [(CITY_CODE, "河南省平顶山市公证处"), (CITY_CODE, "河南省平顶山市鹰城公证处")]
            + [
                (c, f"河南省{self.county_name[c]}公证处")
                for c in REAL_COUNTIES
                if c not in ("410404", "410411", "410403")
            ]
            + [("410403", "河南省平顶山市卫东公证处"), ("410411", "河南省平顶山市湛河公证处")]
        )
        for n, (county, name) in enumerate(notaries):
            self.add_institution(
                self._county_level(f"notary:{n}", InstitutionKind.NOTARY_OFFICE, name, county)
            )
        words = self.rng.sample(_FIRM_WORDS, APPRAISAL_INSTITUTIONS)
        forms = (
            "平顶山{w}法医临床司法鉴定所",
            "河南{w}司法鉴定中心",
            "平顶山{w}物证司法鉴定所",
            "平顶山{w}精神疾病司法鉴定所",
        )
        for n, word in enumerate(words):
            name = forms[n % len(forms)].format(w=word)
            county = self.rng.choice(URBAN_DISTRICTS)
            self.add_institution(
                self._township_level(f"appraisal:{n}", InstitutionKind.APPRAISAL_INSTITUTION, name, county)
            )
        self.add_institution(
            self._county_level("arb:city", InstitutionKind.ARBITRATION_BODY, "平顶山仲裁委员会", CITY_CODE)
        )
        self.add_institution(
            self._county_level(
                "arb:labour",
                InstitutionKind.ARBITRATION_BODY,
                f"{CITY_NAME}劳动人事争议仲裁委员会",
                CITY_CODE,
            )
        )
        for county in REAL_COUNTIES:
            self.add_institution(
                self._county_level(
                    f"arb:{county}",
                    InstitutionKind.ARBITRATION_BODY,
                    f"{self.county_name[county]}劳动人事争议仲裁委员会",
                    county,
                )
            )
        self._mediation_committees()

    def _county_level(self, key: str, kind: str, name: str, region: str) -> InstitutionPlan:
        county = region if region != CITY_CODE else self.rng.choice(URBAN_DISTRICTS)
        address = f"{self.place(county)}{self.rng.choice(_CITY_ROADS)}{self.rng.randint(1, 299)}号"
        hours = (
            _FIRM_HOURS
            if kind in (InstitutionKind.NOTARY_OFFICE, InstitutionKind.LAW_FIRM)
            else _OFFICE_HOURS
        )
        return InstitutionPlan(
            key=key,
            kind=kind,
            name=name,
            region=region,
            address=address,
            phone=self.phone(),
            opening_hours=hours,
        )

    def _township_level(self, key: str, kind: str, name: str, county: str) -> InstitutionPlan:
        townships = self.townships_of[county]
        streets = [t for t in townships if _is_street(t.name)] or townships
        township = self.rng.choice(streets)
        return InstitutionPlan(
            key=key,
            kind=kind,
            name=name,
            region=township.code,
            address=self.street_address(township),
            phone=self.phone(),
            opening_hours=_FIRM_HOURS,
        )

    def _law_firms(self) -> None:
        names = [f"河南{w}律师事务所" for w in _FIRM_WORDS] + [f"平顶山{w}律师事务所" for w in _FIRM_WORDS]
        names = self.rng.sample(names, sum(LAW_FIRMS.values()))
        n = 0
        for county, count in LAW_FIRMS.items():
            for _i in range(count):
                firm = self._township_level(f"firm:{n}", InstitutionKind.LAW_FIRM, names[n], county)
                firm.description = (
                    f"{names[n]}是经{CITY_NAME}司法局审核、河南省司法厅批准设立的合伙制律师事务所。"
                )
                self.add_institution(firm)
                n += 1

    def _mediation_committees(self) -> None:
        for township in self.townships:
            self.add_institution(
                InstitutionPlan(
                    key=f"med:{township.code}",
                    kind=InstitutionKind.MEDIATION_COMMITTEE,
                    name=f"{township.name}人民调解委员会",
                    region=township.code,
                    address=self.institution_by_key[f"office:{township.code}"].address,
                    phone=self.phone(),
                    opening_hours=_OFFICE_HOURS,
                )
            )
        for topic in INDUSTRY_MEDIATION_CITY:
            self.add_institution(
                self._county_level(
                    f"med:{CITY_CODE}:{topic}",
                    InstitutionKind.MEDIATION_COMMITTEE,
                    f"{CITY_NAME}{topic}人民调解委员会",
                    CITY_CODE,
                )
            )
        for county in REAL_COUNTIES:
            for topic in INDUSTRY_MEDIATION_COUNTY:
                self.add_institution(
                    self._county_level(
                        f"med:{county}:{topic}",
                        InstitutionKind.MEDIATION_COMMITTEE,
                        f"{self.county_name[county]}{topic}人民调解委员会",
                        county,
                    )
                )
        remaining = INSTITUTIONS - len(self.plan.institutions)
        for village in sorted(self.rng.sample(self.plan.villages, remaining), key=lambda v: v.code):
            township = self.township_of[village.parent_code]
            kind_word = "居民委员会" if village.name.endswith("社区") else "村民委员会"
            self.add_institution(
                InstitutionPlan(
                    key=f"med:{village.code}",
                    kind=InstitutionKind.MEDIATION_COMMITTEE,
                    name=f"{township.name}{village.name}人民调解委员会",
                    region=village.code,
                    address=f"{self.place(township.parent_code)}{township.name}{village.name}{kind_word}",
                    phone=self.phone(),
                    opening_hours=_ROOM_HOURS,
                    point=f"room:{village.code}",
                    description=f"{village.name}{kind_word}下设的人民调解委员会。",
                )
            )

    # -- people
    def person_name(self, sex: str) -> str:
        while True:
            surname = self.fake.last_name()
            if self.rng.random() < 0.35:
                given = self.fake.first_name_male() if sex == "M" else self.fake.first_name_female()
            else:
                middle = self.rng.choice(_MALE_MIDDLE if sex == "M" else _FEMALE_MIDDLE)
                last = (self.fake.first_name_male() if sex == "M" else self.fake.first_name_female())[-1]
                given = middle + last
            if surname + given != SPEC_LAWYER_NAME:
                return surname + given

    def id_number(self, *, sex: str, born: date, home: str) -> str:
        while True:
            sequence = self.rng.randint(0, 99) * 10 + self.rng.choice(
                (1, 3, 5, 7, 9) if sex == "M" else (0, 2, 4, 6, 8)
            )
            first17 = f"{home}{born:%Y%m%d}{sequence:03d}"
            value = first17 + check_digit(first17)
            if value not in self.used_ids:
                self.used_ids.add(value)
                return value

    def mobile(self) -> str:
        while True:
            value = f"{self.rng.choice(_MOBILE_PREFIXES)}{self.rng.randint(0, 99_999_999):08d}"
            if value not in self.used_mobiles:
                self.used_mobiles.add(value)
                return value

    def licence(self, kind: str, *, since: int, sex: str) -> str:
        while True:
            if kind == PractitionerKind.LAWYER:
                # category, issuing region, first year, qualification type, sex, serial: 17 digits
                value = f"1{CITY_CODE}{since}1{0 if sex == 'M' else 1}{self.rng.randint(0, 999_999):06d}"
            elif kind == PractitionerKind.LEGAL_WORKER:
                value = f"3{CITY_CODE}{since}{self.rng.randint(0, 99_999):05d}"
            elif kind == PractitionerKind.NOTARY:
                value = f"2{CITY_CODE}{since}{self.rng.randint(0, 9_999):04d}"
            elif kind == PractitionerKind.APPRAISER:
                value = f"41{since}{self.rng.randint(0, 999_999):06d}"
            else:
                return ""
            if (kind, value) not in self.used_licences:
                self.used_licences.add((kind, value))
                return value

    def languages(self, kind: str) -> list[str]:
        spoken = ["普通话"]
        if self.rng.random() < 0.35:
            spoken.append("河南方言")
        if self.rng.random() < (0.08 if kind == PractitionerKind.LAWYER else 0.02):
            spoken.append("英语")
        if self.rng.random() < 0.01:
            spoken.append("手语")
        return spoken

    def person(
        self,
        kind: str,
        *,
        region: str,
        institution: str = "",
        point: str = "",
        male_share: float = 0.6,
        name: str = "",
        sex: str = "",
    ) -> PractitionerPlan:
        sex = sex or ("M" if self.rng.random() < male_share else "F")
        name = name or self.person_name(sex)
        age_started, age_range = {
            PractitionerKind.LIAISON: (35, (45, 68)),
            PractitionerKind.MEDIATOR: (30, (30, 68)),
            PractitionerKind.VOLUNTEER: (20, (21, 65)),
        }.get(kind, (24, (26, 62)))
        age = self.rng.randint(*age_range)
        born = date(REFERENCE_YEAR - age, 1, 1) + timedelta(days=self.rng.randint(0, 364))
        first_year = max(born.year + age_started, 2015 if kind == PractitionerKind.VOLUNTEER else 1985)
        since = self.rng.randint(first_year, REFERENCE_YEAR)
        county = (
            self.county_of(region)
            if self.county_of(region) in REAL_COUNTIES
            else self.rng.choice(REAL_COUNTIES)
        )
        home = county if self.rng.random() < 0.8 else self.rng.choice(REAL_COUNTIES)
        pool = _SPECIALTIES_BY_KIND.get(kind, ())
        specialties = (
            self.rng.sample(pool, self.rng.randint(1, 3 if kind == PractitionerKind.LAWYER else 2))
            if pool
            else []
        )
        plan = PractitionerPlan(
            kind=kind,
            name=name,
            sex=sex,
            region=region,
            institution=institution,
            point=point,
            licence_no=self.licence(kind, since=since, sex=sex),
            practice_since=since,
            languages=self.languages(kind),
            specialties=sorted(specialties),
            id_number=self.id_number(sex=sex, born=born, home=home),
            mobile=self.mobile(),
        )
        self.plan.practitioners.append(plan)
        return plan

    def people(self) -> None:
        by_kind: dict[str, list[InstitutionPlan]] = defaultdict(list)
        for inst in self.plan.institutions:
            by_kind[inst.kind].append(inst)
        for kind, where, minimum, male_share, spread in _STAFFING:
            self._staff(kind, by_kind[where], minimum=minimum, male_share=male_share, spread=spread)
        for point in (p for p in self.plan.points if p.kind == ServicePointKind.LIAISON_POINT):
            liaison = self.person(
                PractitionerKind.LIAISON,
                region=point.region,
                institution=point.run_by,
                point=point.key,
                male_share=0.75,
            )
            liaison.duty_hours = _ROOM_HOURS
        hosts = [p for p in self.plan.points if p.kind in (ServicePointKind.CENTRE, ServicePointKind.STATION)]
        for _i in range(PRACTITIONERS[PractitionerKind.VOLUNTEER]):
            point = self.rng.choice(hosts)
            self.person(PractitionerKind.VOLUNTEER, region=point.region, point=point.key, male_share=0.45)
        self._profiles()

    def _staff(
        self,
        kind: str,
        institutions: list[InstitutionPlan],
        *,
        minimum: int,
        male_share: float,
        spread: float,
    ) -> None:
        weights = [self.rng.lognormvariate(0, spread) for _i in institutions]
        spec_firm = (
            next(i.key for i in institutions if i.region.startswith("410402"))
            if kind == PractitionerKind.LAWYER
            else None
        )
        for inst, count in zip(
            institutions, allocate(PRACTITIONERS[kind], weights, minimum=minimum), strict=True
        ):
            for n in range(count):
                spec = inst.key == spec_firm and n == 0
                self.person(
                    kind,
                    region=inst.region,
                    institution=inst.key,
                    male_share=male_share,
                    point=inst.point,
                    name=SPEC_LAWYER_NAME if spec else "",
                    sex="M" if spec else "",
                )

    def _profiles(self) -> None:
        spec_names = dict(SPECIALTIES)
        for person in self.plan.practitioners:
            fields = "、".join(spec_names[s] for s in person.specialties)
            if person.kind == PractitionerKind.LAWYER:
                firm = self.institution_by_key[person.institution].name
                person.profile = f"{firm}执业律师，{person.practice_since}年起执业" + (
                    f"，主要办理{fields}案件。" if fields else "。"
                )
            elif person.kind == PractitionerKind.LEGAL_WORKER and fields:
                person.profile = f"基层法律服务工作者，主要办理{fields}等法律事务。"
            elif person.kind == PractitionerKind.MEDIATOR and fields:
                person.profile = f"人民调解员，擅长{fields}方面的调解。"
            if person.kind in (PractitionerKind.MEDIATOR, PractitionerKind.AID_STAFF):
                person.duty_hours = _OFFICE_HOURS

    def accounts(self) -> None:
        firm = next(p.institution for p in self.plan.practitioners if p.name == SPEC_LAWYER_NAME)
        mediation = f"med:{self.townships_of['410403'][0].code}"
        city, weidong = CITY_CODE, "410403"
        self.plan.accounts = [
            AccountPlan("window", Role.WINDOW_STAFF, f"aid:{weidong}", "赵敏"),
            AccountPlan("reviewer", Role.REVIEWER, f"aid:{weidong}", "孙建国"),
            AccountPlan("director", Role.DIRECTOR, f"aid:{weidong}", "周慧"),
            AccountPlan("lawyer", Role.LAWYER, firm, SPEC_LAWYER_NAME),
            AccountPlan("hotline", Role.HOTLINE_OPERATOR, f"aid:{city}", "刘娜"),
            AccountPlan("hotlinelead", Role.HOTLINE_SUPERVISOR, f"aid:{city}", "王静"),
            AccountPlan("dutylawyer", Role.DUTY_LAWYER, f"aid:{weidong}", "陈刚"),
            AccountPlan("evaluator", Role.EVALUATOR, f"aid:{city}", "杨帆"),
            AccountPlan("mediator", Role.MEDIATOR, mediation, "马秀兰"),
            AccountPlan("station", Role.STATION_STAFF, f"office:{self.townships_of['410403'][0].code}", "韩梅"),
            AccountPlan("admin", Role.BUREAU_ADMIN, f"bureau:{city}", "郑伟"),
            AccountPlan("county_admin", Role.BUREAU_ADMIN, f"bureau:{weidong}", "何强"),
            AccountPlan("leader", Role.LEADER, f"bureau:{city}", "李明"),
            AccountPlan("sysadmin", Role.SYSTEM_ADMIN, f"bureau:{city}", "高翔"),
            AccountPlan("secadmin", Role.SECURITY_ADMIN, f"bureau:{city}", "罗静"),
            AccountPlan("auditor", Role.AUDIT_ADMIN, f"bureau:{city}", "徐丽"),
        ]


def _is_street(name: str) -> bool:
    return "街道" in name or name.endswith("办事处")


def demo_divisions() -> list[DivisionRow]:
    """The city's rows of the bundled division file, with the province above it."""
    return divisions_subtree(rows=divisions_read_csv(path=DIVISIONS_FILE), root=CITY_CODE)


def demo_plan(
    *, seed: int = DEFAULT_SEED, scale: str = "city", divisions: Sequence[DivisionRow] | None = None
) -> DemoPlan:
    """The whole demo city as plain data. The same seed gives the same plan."""
    if scale not in SCALES:
        raise ApplicationError(
            _("Unknown demo scale: %(scale)s.") % {"scale": scale}, code="scale", field="scale"
        )
    planner = _Planner(seed=seed, divisions=divisions if divisions is not None else demo_divisions())
    planner.villages()
    planner.network()
    planner.institutions()
    planner.people()
    planner.accounts()
    return planner.plan


# --- writing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoSeedResult:
    seed: int
    fingerprint: str
    counts: dict[str, int]


def demo_database_is_empty() -> bool:
    return not Institution.objects.exists()


@transaction.atomic
def demo_seed(*, seed: int = DEFAULT_SEED, scale: str = "city") -> DemoSeedResult:
    """Write the demo city into an empty database, with one demo account per role."""
    if not demo_database_is_empty():
        raise ApplicationError(
            _("The database already holds institutions; demo data only goes into an empty one."),
            code="not_empty",
        )
    divisions = demo_divisions()
    plan = demo_plan(seed=seed, scale=scale, divisions=divisions)
    regions_load(actor=None, rows=divisions, source=DIVISIONS_FILE.name)
    regions = _write_villages(plan)
    services = _vocabulary(ServiceType, SERVICE_TYPES)
    specialties = _vocabulary(Specialty, SPECIALTIES)
    points = _write_points(plan, regions=regions, services=services)
    institutions = _write_institutions(plan, regions=regions, points=points, services=services)
    _link_points_to_institutions(plan, points=points, institutions=institutions)
    _write_practitioners(
        plan, regions=regions, points=points, institutions=institutions, specialties=specialties
    )
    for account in plan.accounts:
        user = user_create(
            actor=None, username=account.username, password=DEMO_PASSWORD, real_name=account.real_name
        )
        membership_grant(
            actor=None, user=user, institution=institutions[account.institution], role=account.role
        )
        totp_device_preset(actor=None, user=user, secret=DEMO_TOTP_SECRET)
    counts = demo_counts()
    fingerprint = plan.fingerprint()
    audit_record(
        actor=None,
        action="demo.seed",
        object_type="network.region",
        object_id=CITY_CODE,
        object_repr=CITY_NAME,
        extra={"seed": seed, "scale": scale, "fingerprint": fingerprint, **counts},
    )
    return DemoSeedResult(seed=seed, fingerprint=fingerprint, counts=counts)


def _link_points_to_institutions(plan: DemoPlan, *, points, institutions) -> None:
    # One UPDATE per institution: a few hundred small statements beat one huge CASE expression.
    run: dict[str, list[int]] = defaultdict(list)
    for p in plan.points:
        if p.run_by:
            run[p.run_by].append(points[p.key].pk)
    for key, ids in run.items():
        for start in range(0, len(ids), _BATCH):
            ServicePoint.objects.filter(pk__in=ids[start : start + _BATCH]).update(
                institution=institutions[key]
            )


def demo_counts() -> dict[str, int]:
    counts = {
        f"points_{kind}": ServicePoint.objects.filter(kind=kind).count() for kind in ServicePointKind.values
    }
    counts.update(
        regions=Region.objects.count(),
        villages=Region.objects.filter(level=RegionLevel.VILLAGE).count(),
        institutions=Institution.objects.count(),
        practitioners=Practitioner.objects.count(),
    )
    return counts


def _vocabulary(model, entries) -> dict[str, object]:
    model.objects.bulk_create(
        [model(code=code, name=name, sort_order=n) for n, (code, name) in enumerate(entries)],
        ignore_conflicts=True,
    )
    return {obj.code: obj for obj in model.objects.all()}


def _write_villages(plan: DemoPlan) -> dict[str, Region]:
    city_path = Region.objects.values_list("path", flat=True).get(code=CITY_CODE)
    regions = {r.code: r for r in Region.objects.filter(path__startswith=city_path)}
    villages = [
        Region(
            code=v.code,
            name=v.name,
            level=RegionLevel.VILLAGE,
            parent=regions[v.parent_code],
            path=f"{regions[v.parent_code].path}{v.code}/",
            depth=REGION_LEVEL_DEPTH[RegionLevel.VILLAGE],
        )
        for v in plan.villages
    ]
    Region.objects.bulk_create(villages, batch_size=_BATCH)
    regions.update({r.code: r for r in villages})
    return regions


def _through_rows(through, owner_field: str, target_field: str, pairs):
    return [through(**{f"{owner_field}_id": owner, f"{target_field}_id": target}) for owner, target in pairs]


def _write_points(plan: DemoPlan, *, regions, services) -> dict[str, ServicePoint]:
    points = {
        p.key: ServicePoint(
            kind=p.kind,
            name=p.name,
            region=regions[p.region],
            partner_body=p.partner_body,
            address=p.address,
            phone=p.phone,
            opening_hours=p.opening_hours,
        )
        for p in plan.points
    }
    ServicePoint.objects.bulk_create(points.values(), batch_size=_BATCH)
    through = ServicePoint.services.through
    pairs = [
        (points[p.key].pk, services[code].pk) for p in plan.points for code in _SERVICES_BY_POINT[p.kind]
    ]
    through.objects.bulk_create(
        _through_rows(through, "servicepoint", "servicetype", pairs), batch_size=_BATCH
    )
    return points


def _write_institutions(plan: DemoPlan, *, regions, points, services) -> dict[str, Institution]:
    institutions = {}
    for i in plan.institutions:
        pinyin, initials = pinyin_keys(i.name)
        institutions[i.key] = Institution(
            kind=i.kind,
            name=i.name,
            name_pinyin=pinyin,
            name_initials=initials,
            region=regions[i.region],
            service_point=points.get(i.point),
            address=i.address,
            phone=i.phone,
            opening_hours=i.opening_hours,
            description=i.description,
        )
    Institution.objects.bulk_create(institutions.values(), batch_size=_BATCH)
    through = Institution.services.through
    pairs = [
        (institutions[i.key].pk, services[code].pk)
        for i in plan.institutions
        for code in _SERVICES_BY_INSTITUTION[i.kind]
    ]
    through.objects.bulk_create(
        _through_rows(through, "institution", "servicetype", pairs), batch_size=_BATCH
    )
    return institutions


def _write_practitioners(plan: DemoPlan, *, regions, points, institutions, specialties) -> None:
    people = []
    for p in plan.practitioners:
        person = Practitioner(
            kind=p.kind,
            name=p.name,
            sex=p.sex,
            licence_no=p.licence_no,
            institution=institutions.get(p.institution),
            region=regions[p.region],
            service_point=points.get(p.point),
            practice_since=p.practice_since,
            languages=p.languages,
            duty_hours=p.duty_hours,
            profile=p.profile,
            id_number=p.id_number,
            mobile=p.mobile,
        )
        practitioner_derive_keys(person)
        people.append(person)
    Practitioner.objects.bulk_create(people, batch_size=_BATCH)
    through = Practitioner.specialties.through
    pairs = [
        (person.pk, specialties[code].pk)
        for person, p in zip(people, plan.practitioners, strict=True)
        for code in p.specialties
    ]
    through.objects.bulk_create(_through_rows(through, "practitioner", "specialty", pairs), batch_size=_BATCH)
