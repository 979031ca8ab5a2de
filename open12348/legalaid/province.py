"""A province of legal aid work for scale tests: `manage.py seed_demo --scale province [--cases N]`.

Henan's 18 prefecture-level units, 181 county-level units and 2,586 townships come from the
bundled division file. Each county gets a legal aid centre (with its document number prefix),
the province a few hundred law firms with about five lawyers each, and then N granted
applications, each with its case, assignment, timeline (`CaseEvent`), progress entries and, as
far as the case had got by `AS_OF`, its closing report, archive review, subsidy or termination.

Why it is not written through the services: a million cases through `case_assign` and friends
would take many hours. The rows are generated in plain Python and written in batches (COPY on
PostgreSQL, `bulk_create` on SQLite) with every constraint and index left on, one transaction per
batch. The data still follows the workflow table: every timeline is a walk through
`workflow.CASE_TRANSITIONS`, and the deadlines come from the `DeadlineRule` rows on the legal-day
clock. Encrypting is the costly part, so facts, households, phones and progress notes are
encrypted once for a small pool of values and the ciphertexts reused; ID numbers are unique per
person (the blind index is unique), so each is encrypted and hashed once.

Deterministic: every random choice comes from a generator seeded with the seed and the number of
the chunk of cases being made, and dates run up to the fixed `AS_OF` rather than today.
"""

from __future__ import annotations

import datetime as dt
import json
import queue
import random
import threading
import time
from bisect import bisect_right
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate
from zoneinfo import ZoneInfo

from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.models import F, Max, Value
from django.utils.translation import gettext as _

from open12348.accounts.models import User
from open12348.accounts.roles import Role
from open12348.accounts.services import membership_grant, user_create
from open12348.audit.services import audit_record
from open12348.core.calendar import due_date
from open12348.core.calendar_store import legal_calendar
from open12348.core.crypto import blind_index, encrypt
from open12348.core.errors import ApplicationError
from open12348.core.fields import EncryptedJSONField, EncryptedTextField
from open12348.core.idnumber import check_digit
from open12348.network.choices import InstitutionKind, PractitionerKind, RegionLevel
from open12348.network.demo import DEMO_PASSWORD, DIVISIONS_FILE, SPECIALTIES, allocate
from open12348.network.models import Institution, Practitioner, Region, Specialty
from open12348.network.pinyin import pinyin_keys
from open12348.network.regions import divisions_read_csv, regions_load
from open12348.network.services import practitioner_derive_keys

from . import workflow
from .choices import ApplicationStatus, ArchiveResult, CaseStatus, SubsidyStatus
from .demo import GIVEN, SURNAMES
from .models import (
    Application,
    ApplicationEvent,
    ArchiveReview,
    Assignment,
    Case,
    CaseEvent,
    CentreProfile,
    ClosingReport,
    DeadlineRule,
    NumberSequence,
    Person,
    ProgressEntry,
    Subsidy,
    TerminationRecord,
)

PROVINCE_CODE = "41"
PROVINCE_NAME = "河南省"
DEFAULT_CASES = 1_000_000
FIRST_DAY = dt.date(2019, 1, 1)
AS_OF = dt.date(2026, 10, 31)  # "today" of the generated data, fixed so that a seed gives one province
TZ = ZoneInfo("Asia/Shanghai")
LAW_FIRMS = 320
CHUNK = 1000  # cases per random generator: the unit that makes the data independent of batch sizes
BATCH_CHUNKS = {"postgresql": 20, "other": 2}  # chunks per write transaction

# Accounts the benchmark (and a demo) signs in with; the password is the demo one (docs/demo.md).
PROVINCE_USER = "prov_admin"  # bureau administrator at the provincial department: sees every case
COUNTY_USER = "prov_reviewer"  # reviewer at 中原区's centre: sees that county's cases
LAWYER_USER = "prov_lawyer"  # a lawyer in 中原区: sees their own cases
COUNTY_USER_REGION = "410102"

DEFAULT_DEADLINES = {"assignment": 3, "agreement": 5, "closing": 30, "subsidy": 30}
REVIEW_DAYS = 7
SUBSIDY_BASE = {"criminal": "1500.00", "civil": "1200.00", "administrative": "1200.00", "non_litigation": "600.00"}
SUBSIDY_PER_EXTRA_HEARING = Decimal("200.00")


@dataclass(frozen=True)
class Scenario:
    weight: int
    matter: str
    subtype: str
    category: str
    aid_form: str
    stage: str
    cause: str
    groups: tuple[str, ...]
    ages: tuple[int, int]
    male_share: float
    opposing: str
    channel: str
    economic_review: str  # required / not_required / exempt
    rules: tuple[str, ...]
    days: tuple[int, int]  # how long the matter runs once the lawyer has begun
    facts: tuple[str, ...]


SCENARIOS = (
    Scenario(16, "CV-05", "wages", "civil", "labour_arbitration", "arbitration", "追索劳动报酬", ("migrant_worker",),
             (22, 58), 0.75, "某建筑劳务有限公司", "workstation", "exempt", ("CV-05", "EX-03", "GC-MIGRANT"), (30, 150),
             ("在工地务工八个月，工程完工后包工头拖欠工资。", "在厂里打工半年，老板以经营困难为由拒发工资。")),
    Scenario(8, "CV-07", "work_injury", "civil", "civil_litigation", "first_instance", "工伤赔偿", ("migrant_worker",),
             (25, 55), 0.85, "某矿业有限责任公司", "window", "exempt", ("CV-07", "EX-03", "GC-MIGRANT"), (60, 240),
             ("作业时受伤，已认定工伤，单位拒绝赔偿。", "在车间操作机器时手部受伤，单位未缴工伤保险。")),
    Scenario(8, "CV-07", "traffic", "civil", "civil_litigation", "first_instance", "机动车交通事故责任纠纷", (),
             (30, 70), 0.55, "某运输有限公司", "window", "required", ("CV-07",), (60, 220),
             ("骑电动车被货车撞伤，肇事方拒绝赔偿医疗费。", "步行时被车辆撞伤致残，保险公司拒赔。")),
    Scenario(5, "CV-04", "", "civil", "civil_litigation", "not_started", "赡养费纠纷", ("elderly",),
             (62, 85), 0.4, "申请人子女", "hotline", "required", ("CV-04", "GC-ELDERLY"), (30, 120),
             ("年老体弱无经济来源，子女不履行赡养义务。",)),
    Scenario(4, "CV-04", "", "civil", "civil_litigation", "not_started", "抚养费纠纷", (),
             (25, 45), 0.1, "孩子父亲", "window", "required", ("CV-04",), (30, 120),
             ("离婚后对方拒付孩子抚养费。",)),
    Scenario(4, "NM-04", "", "civil", "civil_litigation", "not_started", "离婚纠纷（家庭暴力）", (),
             (24, 50), 0.05, "申请人配偶", "window", "not_required", ("NM-04", "GC-WOMEN"), (40, 180),
             ("长期遭受配偶殴打，已报警并有伤情鉴定。",)),
    Scenario(3, "CV-02", "", "civil", "non_litigation", "not_started", "社会保险待遇", (),
             (45, 70), 0.6, "某人力资源和社会保障局", "window", "required", ("CV-02",), (10, 60),
             ("单位未依法缴纳养老保险，退休待遇无法领取。",)),
    Scenario(2, "CV-OTHER", "", "administrative", "administrative_litigation", "first_instance", "行政强制拆除",
             ("military_family",), (35, 65), 0.6, "某镇人民政府", "window", "exempt", ("GC-MILITARY",), (60, 200),
             ("现役军人家属，房屋被强制拆除未获补偿。",)),
    Scenario(5, "CV-OTHER", "", "non_litigation", "drafting", "not_started", "代写法律文书", (),
             (30, 70), 0.5, "", "window", "required", ("CV-OTHER",), (3, 20),
             ("需要代写民事起诉状。", "需要代写劳动仲裁申请书。")),
    Scenario(14, "CR-A-DEF", "", "criminal", "criminal_defence", "prosecution_review", "盗窃罪", (),
             (19, 45), 0.9, "", "detention_forwarding", "required", ("CR-A-DEF",), (20, 120),
             ("犯罪嫌疑人家庭困难，无力委托辩护人。",)),
    Scenario(13, "CR-N-OTHER", "", "criminal", "criminal_defence", "first_instance", "故意伤害罪", (),
             (20, 55), 0.9, "", "notification", "not_required", ("CR-N-OTHER",), (20, 150),
             ("人民法院通知辩护：被告人可能被判处三年以上有期徒刑且无辩护人。",)),
    Scenario(6, "CR-N-DISCRETIONARY", "", "criminal", "criminal_defence", "first_instance", "危险驾驶罪", (),
             (20, 60), 0.9, "", "notification", "not_required", ("CR-N-DISCRETIONARY",), (15, 90),
             ("适用普通程序审理，人民法院通知指派律师辩护。",)),
    Scenario(3, "CR-N-MINOR", "", "criminal", "criminal_defence", "investigation", "寻衅滋事罪", ("minor",),
             (15, 17), 0.85, "", "notification", "not_required", ("CR-N-MINOR", "GC-MINOR"), (20, 120),
             ("犯罪嫌疑人系未成年人，公安机关通知辩护。",)),
    Scenario(1, "CR-N-LIFE-DEATH", "", "criminal", "criminal_defence", "first_instance", "故意杀人罪", (),
             (25, 60), 0.9, "", "notification", "not_required", ("CR-N-LIFE-DEATH",), (60, 300),
             ("被告人可能被判处无期徒刑、死刑，人民法院通知辩护。",)),
    Scenario(4, "CR-A-VICTIM", "", "criminal", "criminal_representation", "first_instance", "故意伤害案被害人代理", (),
             (25, 70), 0.6, "被告人", "window", "required", ("CR-A-VICTIM",), (30, 150),
             ("被他人殴打致轻伤二级，需要代理附带民事诉讼。",)),
)
# Timeline kinds as services_cases writes them, for each step of the workflow table (plus the first assignment).
EVENT_KINDS = {
    "assign": "assigned", "reassign": "reassigned", "sign_agreement": "agreement_signed", "begin": "begun",
    "progress": "progress", "close": "closed", "archive_return": "archive_returned", "resubmit": "resubmitted",
    "archive_pass": "archived", "pay_subsidy": "subsidy_paid", "terminate": "terminated",
}
_CASE_CHANGES = frozenset({"reassign", "sign_agreement", "begin", "close", "archive_return", "resubmit",
                           "archive_pass", "pay_subsidy", "terminate"})
_NOTIFYING = {"investigation": "public_security", "prosecution_review": "procuratorate"}
_CHANNEL_DETAIL = {"workstation": "总工会法律援助工作站", "detention_forwarding": "看守所"}
_HOW_ENDED = {
    "criminal": ("judgment", "judgment", "judgment", "non_prosecution", "case_dropped"),
    "civil": ("judgment", "mediation", "mediation", "settlement", "arbitral_award", "withdrawal"),
    "administrative": ("judgment", "ruling", "settlement"),
    "non_litigation": ("document_delivered", "document_delivered", "settlement"),
}
_OUTCOMES = {
    "judgment": "法院判决支持受援人主要诉求。",
    "ruling": "法院裁定结案。",
    "mediation": "经调解双方达成协议，受援人获得赔偿。",
    "settlement": "双方和解，对方当事人履行完毕。",
    "arbitral_award": "仲裁委员会裁决支持受援人请求。",
    "withdrawal": "受援人撤回申请。",
    "non_prosecution": "检察院作出不起诉决定。",
    "case_dropped": "办案机关撤销案件。",
    "document_delivered": "法律文书已代写并交付受援人。",
}
_PROGRESS = {
    "criminal": ("meeting", "file_reading", "file_reading", "opinion", "hearing", "report_to_client"),
    "civil": ("meeting", "evidence", "evidence", "mediation", "hearing", "report_to_client"),
    "administrative": ("meeting", "evidence", "hearing", "opinion", "report_to_client"),
    "non_litigation": ("meeting", "report_to_client", "other"),
}
_PROGRESS_NOTES = {
    "meeting": ("会见受援人，了解案情并告知权利义务。", "与受援人面谈，核实证据材料。"),
    "file_reading": ("到检察院阅卷，复制案卷材料。", "查阅全部案卷，整理辩护要点。"),
    "evidence": ("调取工资发放记录和考勤记录。", "向证人了解情况并制作笔录。"),
    "hearing": ("出庭参加庭审，发表代理意见。", "参加开庭审理，发表辩护意见。"),
    "opinion": ("提交书面辩护意见。", "提交书面代理意见。"),
    "mediation": ("参与调解，双方初步达成意向。",),
    "report_to_client": ("电话告知受援人案件进展。",),
    "other": ("整理材料并准备法律文书。",),
}
_TERMINATION_REPORTS = {
    "T5": "案件已撤诉，法律援助终止。",
    "T6": "受援人已自行委托律师，申请终止法律援助。",
    "T7": "受援人以正当理由要求终止法律援助。",
    "T4": "受援人经济状况发生变化，不再符合法律援助条件。",
}
def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_FIRM_WORDS = _words(
    "正义 金石 明德 中原 天平 豫信 鼎正 至诚 公信 君道 诚信 恒信 同德 弘法 泰和 华盛 正衡 德润 仁和 永正 鼎立 方圆 "
    "立言 公正 鸿业 众和 百川 衡平 信达 润泽 睿智 远见 天元 宏博 英泰 广德 中鼎 坤元 启元 海纳 知行 和信 嘉禾 佳和 "
    "嵩岳 伏牛 黄河 太行 大河 豫坤 中州 华夏 长城 汇智 国基 宏图 东方 新纪元 大成 明理"
)
_ROADS = _words("人民路 文化路 解放路 中心街 新华路 建设路 商贸街 育才路 振兴路 府前街 黄河路 中州大道")
_MOBILE_PREFIXES = _words("130 131 132 135 136 137 138 139 150 151 152 155 156 157 158 159 176 177 180 182 186 187 188 189")
_OCCUPATIONS = ("务工", "务农", "无业", "个体经营", "退休", "")
_EDUCATION = ("primary", "junior", "junior", "senior", "college", "none")


# --- the network: regions, centres, firms, lawyers, accounts -----------------------------------


@dataclass
class _Centre:
    id: int
    region_id: int
    county: str
    county_name: str
    city_name: str
    prefix: str
    townships: list[str]
    weight: float
    lawyers: list[tuple[int, int, int | None]] = field(default_factory=list)  # practitioner, firm, user
    # The county's townships (region ids, their names) and how likely each is home to an applicant
    # (cumulative weights): the county seat's streets more than the mountain townships.
    residences: list[tuple[int, str]] = field(default_factory=list)
    residence_weights: list[float] = field(default_factory=list)

    def residence(self, key: int) -> tuple[int, str] | None:
        return residence_for(self.residences, self.residence_weights, key)


def residence_for(residences: list[tuple[int, str]], weights: list[float], key: int) -> tuple[int, str] | None:
    """The applicant's township for a record key, or None (one in twelve not recorded). Derived from the
    key, not drawn from a generator's random stream, so the rest of the generated data is unchanged."""
    if not residences:
        return None
    u = (key * 2654435761 % 4294967296) / 4294967296
    if u < 1 / 12:
        return None
    u = (u - 1 / 12) * 12 / 11
    return residences[min(bisect_right(weights, u * weights[-1]), len(residences) - 1)]


def township_weights(townships: list[tuple[int, str, str]]) -> tuple[list[tuple[int, str]], list[float]]:
    """(region id, name) of each township with cumulative weights: streets (街道) of the county seat
    weigh more, each township a stable random factor of its code."""
    weights = [random.Random(f"residence/{code}").lognormvariate(0, 0.7) * (2.0 if name.endswith("街道") else 1.0)
               for _pk, code, name in townships]
    return [(pk, name) for pk, _code, name in townships], list(accumulate(weights))


@dataclass
class _Network:
    centres: list[_Centre]
    lawyers: int
    firms: int
    counts: dict[str, int]


def _short(name: str) -> str:
    for suffix in ("回族区", "区", "县", "市"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def _prefix(*, city: str, county_code: str, county: str, used: set[str]) -> str:
    """卫东区 in 平顶山市 → 平卫东法援; a clash (three 郑州… development zones) adds the code's last digits."""
    prefix = f"{city[0]}{_short(county)[:2]}法援"
    if prefix in used:
        prefix = f"{city[0]}{_short(county)[:2]}{county_code[-2:]}法援"
    used.add(prefix)
    return prefix


def _id_number(rng: random.Random, *, region: str, born: dt.date, male: bool) -> str:
    serial = rng.randint(0, 99) * 10 + rng.choice((1, 3, 5, 7, 9) if male else (0, 2, 4, 6, 8))
    first17 = f"{region}{born:%Y%m%d}{serial:03d}"
    return first17 + check_digit(first17)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _i in range(rng.choice((1, 2, 2))))


def _mobile(rng: random.Random) -> str:
    return f"{rng.choice(_MOBILE_PREFIXES)}{rng.randint(0, 99_999_999):08d}"


@transaction.atomic
def _network(*, seed: int) -> _Network:
    rng = random.Random(f"{seed}/network")
    rows = divisions_read_csv(path=DIVISIONS_FILE)
    regions_load(actor=None, rows=rows, source=DIVISIONS_FILE.name)
    regions = {r.code: r for r in Region.objects.filter(path__startswith=f"{PROVINCE_CODE}/")}
    cities = {row.code: row.name for row in rows if row.level == RegionLevel.CITY}
    counties = [row for row in rows if row.level == RegionLevel.COUNTY]
    townships: dict[str, list[str]] = defaultdict(list)
    township_rows: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for row in rows:
        if row.level == RegionLevel.TOWNSHIP:
            townships[row.parent_code].append(row.name)
            if row.code in regions:
                township_rows[row.parent_code].append((regions[row.code].pk, row.code, row.name))

    bureau = _institution(kind=InstitutionKind.JUDICIAL_BUREAU, name=f"{PROVINCE_NAME}司法厅",
                          region=regions[PROVINCE_CODE], address="郑州市金水区经三路19号")
    existing_centres = {}
    for centre in Institution.objects.filter(kind=InstitutionKind.LEGAL_AID_CENTRE,
                                             region__level=RegionLevel.COUNTY).order_by("id"):
        existing_centres.setdefault(centre.region_id, centre)
    used_prefixes = set(CentreProfile.objects.values_list("number_prefix", flat=True))
    centres: list[_Centre] = []
    for county in counties:
        region = regions[county.code]
        city = cities[county.parent_code]
        centre = existing_centres.get(region.pk) or _institution(
            kind=InstitutionKind.LEGAL_AID_CENTRE, name=f"{county.name}法律援助中心", region=region,
            address=f"{city}{county.name}{rng.choice(_ROADS)}{rng.randint(1, 299)}号",
        )
        profile = CentreProfile.objects.filter(centre=centre).first()
        if profile is None:
            prefix = _prefix(city=city, county_code=county.code, county=county.name, used=used_prefixes)
            profile = CentreProfile.objects.create(centre=centre, number_prefix=prefix)
        urban = county.name.endswith("区")
        centres.append(_Centre(
            id=centre.pk, region_id=region.pk, county=county.code, county_name=county.name, city_name=city,
            prefix=profile.number_prefix, townships=townships[county.code] or [county.name],
            weight=rng.lognormvariate(0, 0.5) * (1.4 if urban else 1.0),
            **dict(zip(("residences", "residence_weights"), township_weights(township_rows[county.code]),
                       strict=True)),
        ))
    firms, lawyers = _firms_and_lawyers(rng=rng, centres=centres, regions=regions)
    _accounts(bureau=bureau, centres=centres)
    by_user = dict(Practitioner.objects.filter(pk__in=[p for c in centres for p, _f, _u in c.lawyers],
                                               user__isnull=False).values_list("pk", "user_id"))
    for centre in centres:
        centre.lawyers = [(p, f, by_user.get(p)) for p, f, _u in centre.lawyers]
    return _Network(centres=centres, lawyers=lawyers, firms=firms,
                    counts={"centres": len(centres), "law_firms": firms, "lawyers": lawyers})


def _institution(*, kind: str, name: str, region: Region, address: str) -> Institution:
    existing = Institution.objects.filter(kind=kind, region=region, name=name).first()
    if existing:
        return existing
    pinyin, initials = pinyin_keys(name)
    return Institution.objects.create(kind=kind, name=name, name_pinyin=pinyin, name_initials=initials,
                                      region=region, address=address, opening_hours="周一至周五 8:30-17:30")


def _firms_and_lawyers(*, rng: random.Random, centres: list[_Centre], regions) -> tuple[int, int]:
    """One firm per county at least, the rest where the work is; 3 to 8 lawyers each."""
    shares = allocate(LAW_FIRMS, [c.weight for c in centres], minimum=1)
    used_names: set[str] = set(Institution.objects.filter(kind=InstitutionKind.LAW_FIRM).values_list("name", flat=True))
    used_licences = set(Practitioner.objects.filter(kind=PractitionerKind.LAWYER).values_list("licence_no", flat=True))
    firms: list[tuple[_Centre, Institution]] = []
    for centre, count in zip(centres, shares, strict=True):
        for _i in range(count):
            while True:
                name = f"河南{rng.choice(_FIRM_WORDS)}{rng.choice(('', '', '（' + _short(centre.county_name)[:2] + '）'))}律师事务所"
                if name not in used_names:
                    used_names.add(name)
                    break
            pinyin, initials = pinyin_keys(name)
            firms.append((centre, Institution(
                kind=InstitutionKind.LAW_FIRM, name=name, name_pinyin=pinyin, name_initials=initials,
                region=regions[centre.county], address=f"{centre.city_name}{centre.county_name}{rng.choice(_ROADS)}"
                f"{rng.randint(1, 399)}号", phone=f"0371-{rng.randint(20_000_000, 69_999_999)}",
                opening_hours="周一至周五 9:00-17:30",
            )))
    Institution.objects.bulk_create([f for _c, f in firms], batch_size=500)
    firm_objs = [f for _c, f in firms]
    if firm_objs and firm_objs[0].pk is None:  # a backend that cannot return ids from bulk inserts
        by_name = dict(Institution.objects.filter(name__in=[f.name for f in firm_objs]).values_list("name", "pk"))
        for firm in firm_objs:
            firm.pk = by_name[firm.name]
    specialties = {s.code: s for s in Specialty.objects.all()}
    for n, (code, name) in enumerate(SPECIALTIES):
        if code not in specialties:
            specialties[code] = Specialty.objects.create(code=code, name=name, sort_order=n)
    codes = [code for code, _name in SPECIALTIES if code != "neighbour"]
    lawyers: list[tuple[_Centre, Institution, Practitioner, list[str]]] = []
    for centre, firm in firms:
        for _i in range(rng.randint(3, 8)):
            male = rng.random() < 0.68
            age = rng.randint(26, 62)
            born = dt.date(AS_OF.year - age, rng.randint(1, 12), rng.randint(1, 28))
            since = rng.randint(max(born.year + 24, 1990), AS_OF.year - 1)
            while True:
                licence = f"1{centre.county[:4]}{since}1{0 if male else 1}{rng.randint(0, 999_999):06d}"
                if licence not in used_licences:
                    used_licences.add(licence)
                    break
            person = Practitioner(
                kind=PractitionerKind.LAWYER, name=_name(rng), sex="M" if male else "F", licence_no=licence,
                institution=firm, region=firm.region, practice_since=since,
                languages=["普通话", "河南方言"] if rng.random() < 0.35 else ["普通话"],
                profile=f"{firm.name}执业律师，{since}年起执业。",
                id_number=_id_number(rng, region=centre.county, born=born, male=male), mobile=_mobile(rng),
            )
            practitioner_derive_keys(person)
            lawyers.append((centre, firm, person, rng.sample(codes, rng.randint(1, 3))))
    Practitioner.objects.bulk_create([p for _c, _f, p, _s in lawyers], batch_size=500)
    if lawyers and lawyers[0][2].pk is None:
        by_licence = dict(Practitioner.objects.filter(kind=PractitionerKind.LAWYER).values_list("licence_no", "pk"))
        for _c, _f, person, _s in lawyers:
            person.pk = by_licence[person.licence_no]
    through = Practitioner.specialties.through
    through.objects.bulk_create(
        [through(practitioner_id=p.pk, specialty_id=specialties[code].pk) for _c, _f, p, chosen in lawyers
         for code in chosen], batch_size=1000,
    )
    for centre, firm, person, _s in lawyers:
        centre.lawyers.append((person.pk, firm.pk, None))
    return len(firms), len(lawyers)


def _accounts(*, bureau: Institution, centres: list[_Centre]) -> None:
    """Three accounts for the benchmark and the demo: province, county and lawyer (skipped if present)."""
    county = next(c for c in centres if c.county == COUNTY_USER_REGION)
    lawyer_id, firm_id, _user = county.lawyers[0]
    wanted = (
        (PROVINCE_USER, Role.BUREAU_ADMIN, bureau.pk, "省厅管理员"),
        (COUNTY_USER, Role.REVIEWER, county.id, "中原区审查员"),
        (LAWYER_USER, Role.LAWYER, firm_id, Practitioner.objects.get(pk=lawyer_id).name),
    )
    for username, role, institution_id, real_name in wanted:
        if User.objects.filter(username=username).exists():
            continue
        user = user_create(actor=None, username=username, password=DEMO_PASSWORD, real_name=real_name)
        membership_grant(actor=None, user=user, institution=Institution.objects.get(pk=institution_id), role=role)
        if role == Role.LAWYER:
            Practitioner.objects.filter(pk=lawyer_id).update(user=user)


# --- writing rows in bulk -----------------------------------------------------------------------

_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    kind = type(value)
    if kind is str:
        return value.translate(_COPY_ESCAPES) if ("\\" in value or "\n" in value or "\t" in value) else value
    if kind is int:
        return str(value)
    if kind is bool:
        return "t" if value else "f"
    if kind is dt.datetime or kind is dt.date:
        return value.isoformat()
    if kind is dict or kind is list:
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_COPY_ESCAPES)
    return str(value)


class _Table:
    """Rows for one model, written in bulk. Columns the generator leaves out get the field's default.

    Encrypted columns receive ciphertext already (from the pools), so nothing is encrypted per row.
    """

    def __init__(self, model: type[models.Model], *, copy: bool) -> None:
        self.model = model
        self.copy = copy
        self.fields = list(model._meta.concrete_fields)
        self.encrypted = {f.attname for f in self.fields if isinstance(f, EncryptedTextField | EncryptedJSONField)}
        self.defaults = {}
        for f in self.fields:
            value = f.get_default()
            if f.attname in self.encrypted:
                value = f.get_prep_value(value)
            self.defaults[f.attname] = value
        self.default_text = {name: _copy_text(value) for name, value in self.defaults.items()}
        self.attnames = [f.attname for f in self.fields]
        self.rows: list[dict] = []
        self.written = 0

    def add(self, row: dict) -> None:
        self.rows.append(row)

    def render(self) -> tuple[str, str] | None:
        """The batch as a COPY statement and its data (PostgreSQL), and forget the rows."""
        if not self.rows:
            return None
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.fields)
        names, default_text = self.attnames, self.default_text
        lines = ["\t".join(_copy_text(row[n]) if n in row else default_text[n] for n in names) for row in self.rows]
        self.written += len(self.rows)
        self.rows = []
        return f"COPY {quote(self.model._meta.db_table)} ({columns}) FROM STDIN", "\n".join(lines) + "\n"

    def bulk_create(self) -> None:
        if not self.rows:
            return
        self._bulk_create()
        self.written += len(self.rows)
        self.rows = []

    def _bulk_create(self) -> None:
        text = models.TextField()
        objects = []
        for row in self.rows:
            values = {**self.defaults, **row}
            for name in self.encrypted:  # already ciphertext: keep the field from encrypting it again
                values[name] = Value(values[name], output_field=text)
            objects.append(self.model(**values))
        self.model.objects.bulk_create(objects, batch_size=500)


# --- the cases --------------------------------------------------------------------------------


@dataclass
class ProvinceSeedResult:
    seed: int
    cases: int
    seconds: float
    counts: dict[str, int]


@dataclass
class _Pools:
    facts: dict[Scenario, list[str]]
    households: list[tuple[int, int, str]]  # members, monthly income, ciphertext
    phones: list[tuple[str, str]]  # ciphertext, blind index
    notes: dict[str, list[str]]
    empty: str


def _pools(rng: random.Random) -> _Pools:
    households = []
    for members in range(1, 6):
        for per_head in (600, 900, 1200, 1500, 1800, 2200):
            income = per_head * members
            households.append((members, income, encrypt(json.dumps(
                {"members": members, "monthly_income": str(income)}, ensure_ascii=False, sort_keys=True))))
    phones = []
    for _i in range(400):
        number = _mobile(rng)
        phones.append((encrypt(number), blind_index(number, purpose="phone")))
    return _Pools(
        facts={s: [encrypt(text) for text in s.facts] for s in SCENARIOS},
        households=households, phones=phones,
        notes={kind: [encrypt(text) for text in texts] for kind, texts in _PROGRESS_NOTES.items()},
        empty="",
    )


class _Deadlines:
    """Legal-day deadlines, computed once per (start, days): a few thousand distinct pairs in all."""

    def __init__(self) -> None:
        self.calendar = legal_calendar()
        days = dict(DeadlineRule.objects.values_list("kind", "days"))
        self.days = {kind: days.get(kind, default) for kind, default in DEFAULT_DEADLINES.items()}
        self.cache: dict[tuple[dt.date, int], dt.date] = {}

    def due(self, start: dt.date, kind: str) -> dt.date:
        days = REVIEW_DAYS if kind == "review" else self.days[kind]
        key = (start, days)
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = due_date(start=start, days=days, calendar=self.calendar).due
        return found


class _Ids:
    def __init__(self, models_: Iterable[type[models.Model]]) -> None:
        self.next = {m: (m.objects.aggregate(top=Max("pk"))["top"] or 0) + 1 for m in models_}

    def take(self, model: type[models.Model]) -> int:
        value = self.next[model]
        self.next[model] = value + 1
        return value


_TABLES = (Person, Application, ApplicationEvent, Case, Assignment, CaseEvent, ProgressEntry, ClosingReport, ArchiveReview,
           Subsidy, TerminationRecord)


class _Generator:
    def __init__(self, *, seed: int, network: _Network, copy: bool) -> None:
        self.seed = seed
        self.copy = copy
        self.centres = network.centres
        self.tables = {m: _Table(m, copy=copy) for m in _TABLES}
        self.ids = _Ids(_TABLES)
        self.deadlines = _Deadlines()
        self.pools = _pools(random.Random(f"{seed}/pools"))
        self.scenario_weights = list(accumulate(s.weight for s in SCENARIOS))
        self.used_hashes = set(Person.objects.exclude(id_number_hash="").values_list("id_number_hash", flat=True))
        self.recent: dict[int, deque[tuple[int, str]]] = defaultdict(lambda: deque(maxlen=40))
        self.sequence: dict[tuple[int, int], int] = {
            (s.centre_id, s.year): s.last for s in NumberSequence.objects.filter(kind="application")
        }
        self.cutoff = dt.datetime.combine(AS_OF, dt.time(23, 59), tzinfo=TZ)

    # -- the skeleton: when each case came in and where, in time order
    def skeleton(self, total: int) -> list[int]:
        rng = random.Random(f"{self.seed}/skeleton")
        weights = list(accumulate(c.weight for c in self.centres))
        top = weights[-1]
        span = (AS_OF - FIRST_DAY).days - 8  # the latest ones still get their lawyer by AS_OF
        keys = []
        for _i in range(total):
            day = int(span * rng.random() ** 0.85)  # more work in later years, as aid has grown
            seconds = day * 86_400 + 30_600 + rng.randint(0, 32_400)  # 8:30 to 17:30
            centre = bisect_right(weights, rng.random() * top)
            keys.append(seconds << 8 | min(centre, len(self.centres) - 1))
        keys.sort()
        return keys

    def chunk(self, index: int, keys: list[int]) -> None:
        rng = random.Random(f"{self.seed}/{index}")
        start = dt.datetime.combine(FIRST_DAY, dt.time(), tzinfo=TZ)
        for key in keys:
            centre = self.centres[key & 0xFF]
            received = start + dt.timedelta(seconds=key >> 8)
            scenario = SCENARIOS[bisect_right(self.scenario_weights, rng.random() * self.scenario_weights[-1])]
            self.case(rng, centre=centre, received=received, scenario=scenario)

    # -- one case and everything that hangs off it
    def person(self, rng: random.Random, *, centre: _Centre, scenario: Scenario, at: dt.datetime,
               township_name: str | None = None) -> int:
        recent = self.recent[centre.id]
        if recent and rng.random() < 0.12:  # someone who has had legal aid here before
            return rng.choice(recent)[0]
        male = rng.random() < scenario.male_share
        age = rng.randint(*scenario.ages)
        born = dt.date(at.year - age, rng.randint(1, 12), rng.randint(1, 28))
        home = centre.county if rng.random() < 0.85 else rng.choice(self.centres).county
        while True:
            id_number = _id_number(rng, region=home, born=born, male=male)
            digest = blind_index(id_number, purpose="id_number")
            if digest not in self.used_hashes:
                self.used_hashes.add(digest)
                break
        phone, phone_hash = rng.choice(self.pools.phones)
        pk = self.ids.take(Person)
        township = rng.choice(centre.townships)
        township = township_name or township
        self.tables[Person].add({
            "id": pk, "created_at": at, "updated_at": at, "name": _name(rng), "sex": "M" if male else "F",
            "birth_date": born, "ethnicity": "汉族" if rng.random() < 0.98 else "回族",
            "id_number": encrypt(id_number), "id_number_hash": digest, "phone": phone, "phone_hash": phone_hash,
            "home_region_code": home,
            "address": encrypt(f"{centre.city_name}{centre.county_name}{township}{rng.choice(_ROADS)}{rng.randint(1, 300)}号"),
            "occupation": "务工" if "migrant_worker" in scenario.groups else rng.choice(_OCCUPATIONS),
            "education": rng.choice(_EDUCATION), "health": "healthy" if rng.random() < 0.9 else "disabled",
            "groups": list(scenario.groups),
        })
        recent.append((pk, home))
        return pk

    def number(self, centre: _Centre, year: int) -> str:
        key = (centre.id, year)
        last = self.sequence.get(key, 0) + 1
        self.sequence[key] = last
        return f"{centre.prefix}〔{year}〕第{last:05d}号"

    def case(self, rng: random.Random, *, centre: _Centre, received: dt.datetime, scenario: Scenario) -> None:
        residence = centre.residence(int(received.timestamp()))
        applicant = self.person(rng, centre=centre, scenario=scenario, at=received,
                                township_name=residence[1] if residence else None)
        notified = scenario.channel == "notification"
        number = self.number(centre, received.year)
        story = _story(rng, received=received, scenario=scenario, cutoff=self.cutoff)
        lawyers = centre.lawyers
        lawyer, firm, lawyer_user = rng.choice(lawyers)
        first = None
        if story.reassigned_at:
            first = (lawyer, firm)
            lawyer, firm, lawyer_user = rng.choice([entry for entry in lawyers if entry[0] != lawyer] or lawyers)
        people = rng.choice((1, 1, 1, 1, 2, 3, 12)) if scenario.matter == "CV-05" else 1
        application_id, case_id = self.ids.take(Application), self.ids.take(Case)
        members, income, household = rng.choice(self.pools.households)
        granted = story.at["granted"]
        self.tables[Application].add({
            "id": application_id, "created_at": received, "updated_at": granted, "number": number,
            "centre_id": centre.id, "region_id": centre.region_id, "channel": scenario.channel,
            "residence_id": residence[0] if residence else None,
            "channel_detail": (f"{centre.county_name}{_CHANNEL_DETAIL[scenario.channel]}"
                               if scenario.channel in _CHANNEL_DETAIL else ""),
            "notifying_organ": _NOTIFYING.get(scenario.stage, "court") if notified else "",
            "notice_number": f"{_short(centre.county_name)[:1]}法刑通字〔{received.year}〕{rng.randint(1, 999)}号"
            if notified else "",
            "applicant_id": applicant, "groups": list(scenario.groups), "matter": scenario.matter,
            "matter_subtype": scenario.subtype, "category": scenario.category, "aid_form": scenario.aid_form,
            "stage": scenario.stage, "cause": scenario.cause, "opposing_party": scenario.opposing,
            "facts": rng.choice(self.pools.facts[scenario]),
            "amount_claimed": Decimal(rng.randint(5, 200) * 1000) if scenario.category == "civil" else None,
            "household": household if not notified else self.pools.empty,
            "integrity_commitment": not notified,
            "people_count": people,
            "status": ApplicationStatus.NOTIFIED if notified else ApplicationStatus.APPROVED,
            "priority": "GC-MIGRANT" in scenario.rules or "GC-MINOR" in scenario.rules,
            "eligibility": _eligibility(scenario, members=members, income=income),
            "ruleset_version": "LAA-2021@1+HA-2023@1", "received_at": received,
            "review_due": None if notified else self.deadlines.due(received.date(), "review"),
            "assignment_due": self.deadlines.due(granted.date(), "assignment"),
            "decision": "" if notified else "grant", "decision_reasons": "" if notified else "经审查，符合法律援助条件。",
            "decided_at": None if notified else granted,
        })
        status = ApplicationStatus.NOTIFIED if notified else ApplicationStatus.APPROVED
        self.tables[ApplicationEvent].add({
            "id": self.ids.take(ApplicationEvent), "application_id": application_id, "at": received,
            "kind": "received", "to_status": status if notified else ApplicationStatus.RECEIVED,
            "data": {"channel": scenario.channel, "eligibility": True},
        })
        if not notified:
            self.tables[ApplicationEvent].add({
                "id": self.ids.take(ApplicationEvent), "application_id": application_id, "at": granted,
                "kind": "granted", "from_status": ApplicationStatus.RECEIVED, "to_status": status,
                "note": "经审查，符合法律援助条件。",
            })
        self.case_rows(rng, case_id=case_id, centre=centre, scenario=scenario, number=number, story=story,
                       lawyer=lawyer, firm=firm, lawyer_user=lawyer_user, application_id=application_id,
                       first=first, people=people)

    def case_rows(self, rng, *, case_id, centre, scenario, number, story, lawyer, firm, lawyer_user, application_id,
                  first, people) -> None:
        at = story.at
        assigned = at["assign"]
        progress = self.progress(rng, case_id=case_id, centre=centre, story=story)
        closed = at.get("close")
        self.tables[Case].add({
            "id": case_id, "created_at": assigned, "updated_at": story.last, "application_id": application_id,
            "number": number, "centre_id": centre.id, "region_id": centre.region_id, "status": story.status,
            "matter": scenario.matter, "category": scenario.category, "stage": scenario.stage,
            "priority": "GC-MIGRANT" in scenario.rules or "GC-MINOR" in scenario.rules,
            "institution_id": firm, "lawyer_id": lawyer, "lawyer_user_id": lawyer_user,
            "assigned_at": assigned,
            "agreement_due": self.deadlines.due((at.get("reassign") or assigned).date(), "agreement"),
            "agreement_signed_on": at["sign_agreement"].date() if "sign_agreement" in at else None,
            "last_progress_at": progress[-1][0] if progress else None,
            "ended_on": story.ended_on,
            "closing_due": self.deadlines.due(story.ended_on, "closing") if story.ended_on else None,
            "closed_at": closed,
            "subsidy_due": self.deadlines.due(closed.date(), "subsidy") if closed else None,
            "archive_number": story.archive_number, "archived_at": at.get("archive_pass"),
            "version": 1 + sum(1 for e in story.events if e[1] in _CASE_CHANGES),
        })
        if first:
            self.tables[Assignment].add({
                "id": self.ids.take(Assignment), "case_id": case_id, "institution_id": first[1],
                "lawyer_id": first[0], "assigned_at": assigned, "reasons": {"score": round(rng.uniform(0.5, 1), 2)},
                "ended_at": at["reassign"], "end_reason": "受援人申请更换承办律师。",
            })
        self.tables[Assignment].add({
            "id": self.ids.take(Assignment), "case_id": case_id, "institution_id": firm, "lawyer_id": lawyer,
            "assigned_at": at.get("reassign") or assigned, "reasons": {"score": round(rng.uniform(0.5, 1), 2)},
        })
        events = self.tables[CaseEvent]
        entries = iter(progress)
        for when, action, before, after, data in story.events:
            if action == "assign":
                data = {"lawyer": first[0] if first else lawyer, "institution": first[1] if first else firm}
            elif action == "reassign":
                data = {"lawyer": lawyer, "institution": firm, "previous_lawyer": first[0]}
            elif action == "progress":
                data = next(entries)[1]
            row = {"id": self.ids.take(CaseEvent), "case_id": case_id, "at": when, "kind": EVENT_KINDS[action],
                   "from_status": before, "to_status": after}
            if data:
                row["data"] = data
            events.add(row)
        self.endings(rng, case_id=case_id, scenario=scenario, story=story, lawyer=lawyer, people=people,
                     hearings=sum(1 for _when, kind in story.progress if kind == "hearing"))

    def progress(self, rng, *, case_id, centre, story) -> list[tuple[dt.datetime, dict]]:
        """The progress entries, and for each the timeline data services_cases.progress_add writes."""
        entries = []
        for when, kind in story.progress:
            pk = self.ids.take(ProgressEntry)
            data = {"entry": pk, "kind": kind, "occurred_on": when.date().isoformat()}
            row = {"id": pk, "case_id": case_id, "kind": kind, "occurred_on": when.date(), "entered_at": when,
                   "note": rng.choice(self.pools.notes[kind])}
            if kind == "hearing":
                row.update(hearing_at=dt.datetime.combine(when.date(), dt.time(9, 0), tzinfo=TZ),
                           court=f"{centre.county_name}人民法院", courtroom=f"第{rng.randint(1, 9)}审判庭")
                data.update(hearing_at=row["hearing_at"].isoformat(), court=row["court"], courtroom=row["courtroom"])
            self.tables[ProgressEntry].add(row)
            entries.append((when, data))
        return entries

    def endings(self, rng, *, case_id, scenario, story, lawyer, people, hearings) -> None:
        at = story.at
        if "close" in at:
            how = rng.choice(_HOW_ENDED[scenario.category])
            self.tables[ClosingReport].add({
                "id": self.ids.take(ClosingReport), "case_id": case_id, "how_ended": how, "ended_on": story.ended_on,
                "outcome": _OUTCOMES[how],
                "amount_recovered": Decimal(rng.randint(0, 80) * 1000) if scenario.category == "civil" else Decimal(0),
                "amount_awarded": Decimal(0), "people_aided": people, "hearings": hearings,
                "checklist": {"application": True, "decision": True, "agreement": True, "closing_report": True},
                "submitted_at": at["close"],
            })
        if "archive_return" in at:
            self.tables[ArchiveReview].add({
                "id": self.ids.take(ArchiveReview), "case_id": case_id, "result": ArchiveResult.RETURNED,
                "reasons": "结案材料缺少庭审笔录，请补充后重新提交。", "reviewed_at": at["archive_return"],
            })
        if "archive_pass" in at:
            self.tables[ArchiveReview].add({
                "id": self.ids.take(ArchiveReview), "case_id": case_id, "result": ArchiveResult.PASSED,
                "file_rating": rng.choice(("优秀", "良好", "良好", "合格", "合格", "合格")),
                "reviewed_at": at["archive_pass"],
            })
        if "pay_subsidy" in at:
            base = Decimal(SUBSIDY_BASE[scenario.category])
            extra = SUBSIDY_PER_EXTRA_HEARING * max(hearings - 1, 0)
            paid = at["pay_subsidy"]
            self.tables[Subsidy].add({
                "id": self.ids.take(Subsidy), "case_id": case_id, "lawyer_id": lawyer, "amount": base + extra,
                "computation": {"base": str(base), "extra_hearings": str(extra)}, "status": SubsidyStatus.PAID,
                "month": f"{paid:%Y-%m}", "paid_on": paid.date(),
            })
        if "terminate" in at:
            ground = rng.choice(tuple(_TERMINATION_REPORTS))
            self.tables[TerminationRecord].add({
                "id": self.ids.take(TerminationRecord), "case_id": case_id, "ground": ground,
                "report": _TERMINATION_REPORTS[ground], "decided_at": at["terminate"],
            })

    def flush(self, writer: _Writer | None) -> None:
        if not self.copy:
            with transaction.atomic():
                for model in _TABLES:  # parents first
                    self.tables[model].bulk_create()
            return
        batch = [rendered for model in _TABLES if (rendered := self.tables[model].render())]
        if writer is None:
            _copy_batch(batch)
        else:
            writer.put(batch)


def _copy_batch(batch: list[tuple[str, str]]) -> None:
    """One transaction of COPY statements, parents first."""
    with transaction.atomic(), connection.cursor() as cursor:
        # Safe for a loader: a crash loses the last batches, never corrupts; commits stop waiting on fsync.
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        for statement, data in batch:
            # Django's cursor wrapper hands `copy` to psycopg 3's cursor (Cursor.copy, the COPY protocol).
            with cursor.copy(statement) as copy:
                for start in range(0, len(data), 1 << 20):
                    copy.write(data[start: start + (1 << 20)])


class _Writer:
    """Writes batches on its own connection in a thread, so that PostgreSQL copies, checks the foreign
    keys of and commits one batch while Python makes the next (two cores: one each)."""

    def __init__(self) -> None:
        self.queue: queue.Queue[list[tuple[str, str]] | None] = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="province-writer", daemon=True)
        self.thread.start()

    def put(self, batch: list[tuple[str, str]]) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put(batch)

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error

    def _run(self) -> None:
        try:
            while (batch := self.queue.get()) is not None:
                if self.error is None:
                    _copy_batch(batch)
        except BaseException as exc:  # handed to the main thread; keep draining so that it never blocks
            self.error = exc
            while self.queue.get() is not None:
                pass
        finally:
            connection.close()


def _eligibility(scenario: Scenario, *, members: int, income: int) -> dict:
    exempt = scenario.economic_review != "required"
    return {
        "in_scope": True, "economic_review": scenario.economic_review, "eligible": True,
        "priority": "GC-MIGRANT" in scenario.rules or "GC-MINOR" in scenario.rules,
        "rules": [{"code": code, "effects": []} for code in scenario.rules],
        "threshold": None if exempt else {"amount": "1950.00", "region": "41", "effective_from": "2023-01-01"},
        "household": None if exempt else {"members": members, "per_head": str(income // members)},
        "routing": [], "ruleset_version": "LAA-2021@1+HA-2023@1",
    }


# --- a case's life up to AS_OF ------------------------------------------------------------------


@dataclass
class _Story:
    at: dict[str, dt.datetime]
    events: list[tuple[dt.datetime, str, str, str, dict]]
    status: str
    last: dt.datetime
    ended_on: dt.date | None = None
    reassigned_at: dt.datetime | None = None
    archive_number: str = ""
    progress: list[tuple[dt.datetime, str]] = field(default_factory=list)


def _later(rng: random.Random, when: dt.datetime, low: int, high: int) -> dt.datetime:
    """A moment `low`–`high` days after `when`, in office hours (the same day means a little later)."""
    days = rng.randint(low, high)
    if days == 0:
        return when + dt.timedelta(minutes=rng.randint(10, 180))
    day = when.date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(8, 30), tzinfo=TZ) + dt.timedelta(seconds=rng.randint(0, 32_400))


def _story(rng: random.Random, *, received: dt.datetime, scenario: Scenario, cutoff: dt.datetime) -> _Story:
    """The case's milestones as the workflow table allows them, cut at AS_OF.

    Most cases run to the subsidy; about 3.5 % are terminated, 1 % reassigned before the agreement,
    4 % returned once from archive review, and 1 % stall (a deadline or no-progress flag for the lists).
    """
    C = CaseStatus
    notified = scenario.channel == "notification"
    granted = _later(rng, received, 0, 1 if notified else 6)
    assigned = min(_later(rng, granted, 0, 2), cutoff - dt.timedelta(hours=1))
    granted = min(granted, assigned - dt.timedelta(minutes=30))
    steps: list[tuple[dt.datetime, str, str, str]] = [(assigned, "assign", "", C.ASSIGNED)]
    stall_after = rng.choice(("assign", "sign_agreement", "begin", "close")) if rng.random() < 0.01 else None
    when = assigned
    if rng.random() < 0.012:
        when = _later(rng, when, 1, 4)
        steps.append((when, "reassign", C.ASSIGNED, C.ASSIGNED))
    if stall_after != "assign":
        when = _later(rng, when, 0, 4)
        steps.append((when, "sign_agreement", C.ASSIGNED, C.AGREEMENT_SIGNED))
    progress: list[tuple[dt.datetime, str]] = []
    ended_on = None
    if stall_after not in ("assign", "sign_agreement"):
        begun = when = _later(rng, when, 0, 3)
        steps.append((when, "begin", C.AGREEMENT_SIGNED, C.IN_PROGRESS))
        duration = rng.randint(*scenario.days)
        end = begun + dt.timedelta(days=duration)
        count = rng.choices((1, 2, 3), weights=(45, 35, 20))[0]
        kinds = _PROGRESS[scenario.category]
        terminated = _later(rng, begun, 5, max(duration // 2, 6)) if rng.random() < 0.035 else None
        for moment in sorted(_later(rng, begun, 1, max(duration - 1, 1)) for _i in range(count)):
            if terminated is None or moment < terminated:
                progress.append((moment, rng.choice(kinds)))
        steps.extend((moment, "progress", "", C.IN_PROGRESS) for moment, _kind in progress)
        if terminated:
            steps.append((terminated, "terminate", C.IN_PROGRESS, C.TERMINATED))
        elif stall_after != "begin":
            ended_on = end.date()
            when = _later(rng, end, 1, 25)
            steps.append((when, "close", C.IN_PROGRESS, C.CLOSED))
            if rng.random() < 0.04:
                when = _later(rng, when, 2, 15)
                steps.append((when, "archive_return", C.CLOSED, C.RETURNED))
                when = _later(rng, when, 1, 10)
                steps.append((when, "resubmit", C.RETURNED, C.CLOSED))
            if stall_after != "close":
                when = _later(rng, when, 2, 20)
                steps.append((when, "archive_pass", C.CLOSED, C.ARCHIVED))
                when = _later(rng, when, 5, 40)
                steps.append((when, "pay_subsidy", C.ARCHIVED, C.SUBSIDY_PAID))
    steps.sort(key=lambda step: step[0])
    kept = [step for step in steps if step[0] <= cutoff]
    at: dict[str, dt.datetime] = {"granted": granted}
    events = []
    status = C.ASSIGNED
    for moment, kind, before, after in kept:
        at.setdefault(kind, moment)
        data: dict = {}
        if kind == "archive_pass":
            data = {"archive_number": f"档{moment.year}-{rng.randint(1, 99_999):05d}"}
        events.append((moment, kind, before, after, data))
        if after:
            status = after
    if ended_on and "close" not in at:
        ended_on = ended_on if dt.datetime.combine(ended_on, dt.time(), tzinfo=TZ) <= cutoff else None
    kept_progress = [(m, k) for m, k in progress if m <= cutoff]
    story = _Story(
        at=at, events=events, status=status, last=kept[-1][0], ended_on=ended_on,
        reassigned_at=at.get("reassign"), progress=kept_progress,
    )
    if "archive_pass" in at:
        story.archive_number = next(e[4]["archive_number"] for e in events if e[1] == "archive_pass")
    return story


# --- the entry point ----------------------------------------------------------------------------


def province_database_has_cases() -> bool:
    return Case.objects.exists()


def province_seed(*, seed: int, cases: int = DEFAULT_CASES,
                  progress: Callable[[int, int, float], None] | None = None) -> ProvinceSeedResult:
    """Load the province and `cases` cases into a database that has no case yet.

    Not one transaction: the network is one, then each batch of cases (so that a million cases do
    not pile up deferred constraint checks). A load that fails half way leaves the batches already
    written; empty the database (`manage.py flush`) before trying again.
    """
    if cases < 1:
        raise ApplicationError(_("The number of cases must be at least 1."), code="cases", field="cases")
    if province_database_has_cases():
        raise ApplicationError(
            _("The database already holds legal aid cases; the province is only loaded into a database without any."),
            code="not_empty",
        )
    started = time.perf_counter()
    network = _network(seed=seed)
    generator = _Generator(seed=seed, network=network, copy=connection.vendor == "postgresql")
    if len(network.centres) > 255:
        raise ApplicationError("A case key holds at most 255 centres.", code="too_many_centres")
    keys = generator.skeleton(cases)
    per_batch = BATCH_CHUNKS["postgresql" if connection.vendor == "postgresql" else "other"]
    # A second connection cannot see an enclosing transaction's rows (a test's), so only pipeline outside one.
    writer = _Writer() if generator.copy and not connection.in_atomic_block else None
    chunks = range(0, cases, CHUNK)
    try:
        for number, offset in enumerate(chunks):
            generator.chunk(number, keys[offset: offset + CHUNK])
            if (number + 1) % per_batch == 0 or number == len(chunks) - 1:
                generator.flush(writer)
                if progress:
                    progress(min(offset + CHUNK, cases), cases, time.perf_counter() - started)
    finally:
        if writer is not None:
            writer.close()
    counts = {model._meta.model_name: generator.tables[model].written for model in _TABLES}
    counts.update(network.counts)
    _finish(generator=generator, seed=seed, cases=cases, counts=counts, seconds=time.perf_counter() - started)
    return ProvinceSeedResult(seed=seed, cases=cases, seconds=time.perf_counter() - started, counts=counts)


@transaction.atomic
def _finish(*, generator: _Generator, seed: int, cases: int, counts: dict[str, int], seconds: float) -> None:
    """Everything `_settle` does, and one audit row."""
    _settle(generator)
    audit_record(
        actor=None, action="demo.seed_province", object_type="network.region", object_id=PROVINCE_CODE,
        object_repr=PROVINCE_NAME,
        extra={"seed": seed, "cases": cases, "as_of": AS_OF.isoformat(), "seconds": round(seconds, 1), **counts},
    )


def _settle(generator: _Generator) -> None:
    """After bulk writes: sequences past the ids written, number sequences past the numbers issued, the
    cases' next deadline as the services keep it, fresh planner statistics on PostgreSQL."""
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(_TABLES)):
            cursor.execute(statement)
    existing = {(s.centre_id, s.year): s for s in NumberSequence.objects.filter(kind="application")}
    new = []
    for (centre, year), last in generator.sequence.items():
        row = existing.get((centre, year))
        if row is None:
            new.append(NumberSequence(centre_id=centre, year=year, kind="application", last=last))
        elif row.last != last:
            NumberSequence.objects.filter(pk=row.pk).update(last=last)
    NumberSequence.objects.bulk_create(new, batch_size=1000)
    for status, (_kind, column) in workflow.CASE_DEADLINE_OF_STATUS.items():  # what the services keep
        Case.objects.filter(status=status).update(next_due=F(column))
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # fresh statistics, so the first queries get good plans
            for model in _TABLES:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
