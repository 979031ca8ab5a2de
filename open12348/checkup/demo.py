"""Demo check-ups (`manage.py seed_demo`, after the network, legal aid, quality and hotline demos): the
city bureau's campaign "农民工劳动合同法治体检" with 250 enterprises visited across the ten counties,
as the seed reports, each through the services: the check-list, workers interviewed, legal opinions,
reports, follow-ups for the older ones, a few planned visits still to come, and a handful of consenting
workers whose wage claims went to the 卫东区 legal aid centre through the green channel.

Actors are the demo accounts: 韩梅 (`station`) for her township, 周慧 (`director`) for the rest of
卫东区, the city bureau's `admin` elsewhere. The same seed gives the same data (random.Random(seed)).
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from open12348.accounts.models import User
from open12348.core.idnumber import check_digit
from open12348.network.choices import PractitionerKind, RegionLevel
from open12348.network.models import Practitioner, Region

from . import services
from .choices import CheckupSector, ProblemKind
from .credit_code import ALPHABET, credit_code_make
from .models import Campaign

CAMPAIGN_NAME = "农民工劳动合同法治体检"
ENTERPRISES = 250
PLANNED = 8  # visits still to come
APPLICATIONS = 6
COUNTIES = ("410402", "410403", "410404", "410411", "410421", "410422", "410423", "410425", "410481", "410482")
COUNTY_WEIGHTS = (1.4, 1.3, 0.9, 0.8, 1.1, 1.0, 1.0, 1.0, 1.2, 1.1)
BRANDS = ("鹰城", "宏达", "鑫源", "恒泰", "华豫", "瑞丰", "金诺", "德润", "盛世", "博远", "兴业", "昌盛", "汇通", "众诚",
          "嘉禾", "锦程", "伟业", "腾飞", "安泰", "顺达", "中原", "豫龙", "长青", "广源", "天宇", "宏图", "润泽", "新峰")
TRADES: dict[str, tuple[str, ...]] = {
    CheckupSector.CONSTRUCTION: ("建筑劳务有限公司", "建设工程有限公司", "建筑安装工程有限公司", "建材有限公司"),
    CheckupSector.MANUFACTURING: ("机械制造有限公司", "纺织有限公司", "服饰有限公司", "食品有限公司", "电气设备有限公司",
                                  "耐火材料有限公司"),
    CheckupSector.MINING: ("矿业有限公司", "煤业有限公司", "洗煤有限公司"),
    CheckupSector.LOGISTICS: ("物流有限公司", "运输有限公司", "仓储服务有限公司"),
    CheckupSector.CATERING: ("餐饮管理有限公司", "酒店管理有限公司"),
    CheckupSector.RETAIL: ("商贸有限公司", "超市连锁有限公司"),
    CheckupSector.SERVICES: ("家政服务有限公司", "物业管理有限公司", "保洁服务有限公司"),
    CheckupSector.AGRICULTURE: ("农业开发有限公司", "生态农业有限公司"),
}
SECTOR_WEIGHTS = {CheckupSector.CONSTRUCTION: 30, CheckupSector.MANUFACTURING: 25, CheckupSector.MINING: 8,
                  CheckupSector.LOGISTICS: 10, CheckupSector.CATERING: 9, CheckupSector.RETAIL: 7,
                  CheckupSector.SERVICES: 8, CheckupSector.AGRICULTURE: 3}
SIZES = (("micro", 15, (3, 8)), ("small", 45, (6, 18)), ("medium", 30, (12, 30)), ("large", 10, (20, 45)))
# How often each problem is found, and the note the team writes.
PROBLEMS: dict[str, tuple[float, str]] = {
    ProblemKind.WRITTEN_CONTRACT: (0.38, "{n}名劳动者未签订书面劳动合同"),
    ProblemKind.WAGES_ON_TIME: (0.18, "拖欠{n}名劳动者工资一至两个月"),
    ProblemKind.OVERTIME_PAY: (0.26, "节假日加班未按规定支付加班费，涉及{n}人"),
    ProblemKind.SOCIAL_INSURANCE: (0.44, "{n}名劳动者未参加社会保险"),
    ProblemKind.WORK_INJURY_INSURANCE: (0.30, "{n}名一线劳动者未参加工伤保险"),
    ProblemKind.SAFETY_TRAINING: (0.22, "新入职{n}人未经岗前安全培训"),
    ProblemKind.WORKING_HOURS: (0.20, "{n}名劳动者每日工作超过十小时"),
    ProblemKind.MINIMUM_WAGE: (0.05, "试用期工资低于当地最低工资标准，涉及{n}人"),
    ProblemKind.WAGE_GUARANTEE: (0.45, "项目未落实农民工实名制管理和工资专用账户，涉及{n}人"),
    ProblemKind.OTHER: (0.05, "劳动规章制度未经民主程序制定"),
}
OPINIONS = {
    ProblemKind.WRITTEN_CONTRACT: "依照《劳动合同法》第十条、第八十二条，用人单位应自用工之日起一个月内订立书面劳动合同，"
                                  "超过一个月不满一年未订立的，应当向劳动者每月支付二倍的工资。",
    ProblemKind.WAGES_ON_TIME: "依照《保障农民工工资支付条例》，用人单位应当按照约定的日期足额支付工资，不得拖欠。",
    ProblemKind.OVERTIME_PAY: "依照《劳动法》第四十四条，安排加班应当支付不低于规定标准的加班工资。",
    ProblemKind.SOCIAL_INSURANCE: "依照《社会保险法》，用人单位应当自用工之日起三十日内为职工办理社会保险登记。",
    ProblemKind.WORK_INJURY_INSURANCE: "依照《工伤保险条例》，用人单位应当为全部职工缴纳工伤保险费。",
    ProblemKind.SAFETY_TRAINING: "依照《安全生产法》，未经安全生产教育和培训合格的从业人员，不得上岗作业。",
    ProblemKind.WORKING_HOURS: "依照《劳动法》第三十六条、第四十一条，延长工作时间应与工会和劳动者协商，并受法定上限限制。",
    ProblemKind.MINIMUM_WAGE: "依照《最低工资规定》，劳动者在法定工作时间提供正常劳动的，工资不得低于当地最低工资标准。",
    ProblemKind.WAGE_GUARANTEE: "依照《保障农民工工资支付条例》，施工总承包单位应当开设农民工工资专用账户、实行实名制管理。",
    ProblemKind.OTHER: "依照《劳动合同法》第四条，涉及劳动者切身利益的规章制度应当经职工代表大会或者全体职工讨论。",
}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ("建军", "国强", "红梅", "志刚", "秀英", "永福", "海涛", "春生", "桂兰", "德明", "保国", "金凤", "小龙", "新民")
WAGE_KINDS = (ProblemKind.WAGES_ON_TIME, ProblemKind.OVERTIME_PAY, ProblemKind.WAGE_GUARANTEE)


def _enterprise_name(rng: random.Random, county: Region, sector: str, taken: set[str]) -> str:
    place = county.name.removesuffix("区").removesuffix("县").removesuffix("市")
    for _attempt in range(50):
        name = f"{'平顶山市' if rng.random() < 0.4 else place}{rng.choice(BRANDS)}{rng.choice(TRADES[sector])}"
        if name not in taken:
            taken.add(name)
            return name
    name = f"{place}{rng.choice(BRANDS)}{len(taken)}{TRADES[sector][0]}"
    taken.add(name)
    return name


def _credit_code(rng: random.Random, county: str, taken: set[str]) -> str:
    while True:
        code = credit_code_make(f"91{county}MA" + "".join(rng.choice(ALPHABET[:10] + "ABCDEFGHJKLMNPQRTUWXY")
                                                         for _ in range(7)))
        if code not in taken:
            taken.add(code)
            return code


def _id_number(rng: random.Random, county: str) -> str:
    born = dt.date(1968, 1, 1) + dt.timedelta(days=rng.randrange(365 * 32))
    first17 = f"{county}{born:%Y%m%d}{rng.randrange(100):02d}{rng.choice('13579')}"  # men: odd 17th digit
    return first17 + check_digit(first17)


@transaction.atomic
def checkup_demo_seed(*, seed: int) -> dict[str, int]:
    users = {u.username: u for u in User.objects.filter(username__in=["admin", "director", "station"])}
    if "admin" not in users or Campaign.objects.filter(name=CAMPAIGN_NAME).exists():
        return {"visits": 0}
    rng = random.Random(seed)
    admin, director, station = users["admin"], users.get("director"), users.get("station")
    today = timezone.localdate()
    bureau = admin.memberships.filter(is_active=True).select_related("institution__region").first().institution
    city = bureau.region
    counties = list(Region.objects.filter(level=RegionLevel.COUNTY, code__in=COUNTIES, path__startswith=city.path)
                    .order_by("code"))
    townships = {c.code: list(Region.objects.filter(parent=c, level=RegionLevel.TOWNSHIP).order_by("code"))
                 for c in counties}
    counties = [c for c in counties if townships[c.code]]
    if not counties:
        return {"visits": 0}
    lawyers = {c.code: list(Practitioner.objects.filter(kind=PractitionerKind.LAWYER,
                                                        institution__region__path__startswith=c.path)
                            .order_by("id")[:40]) for c in counties}
    station_path = (station.memberships.filter(is_active=True).values_list("institution__region__path", flat=True)
                    .first() if station else None)
    director_path = (director.memberships.filter(is_active=True).values_list("institution__region__path", flat=True)
                     .first() if director else None)

    campaign = services.campaign_create(
        actor=admin, name=CAMPAIGN_NAME, starts_on=today - dt.timedelta(days=150), ends_on=today + dt.timedelta(days=30),
        organiser=bureau, region=city, goal_enterprises=ENTERPRISES + 20,
        description="深入全市企业和建设项目开展农民工劳动合同法治体检，查找劳动用工法律风险，出具法律意见和体检报告，"
                    "对发现的欠薪等个人诉求开通法律援助绿色通道。")
    weights = [COUNTY_WEIGHTS[COUNTIES.index(c.code)] for c in counties]
    from open12348.network.demo import allocate

    shares = allocate(ENTERPRISES + PLANNED, weights, minimum=1)
    names: set[str] = set()
    codes: set[str] = set()
    sectors, sector_weights = list(SECTOR_WEIGHTS), list(SECTOR_WEIGHTS.values())
    visits, referred, counts = [], 0, {"visits": 0, "planned": 0, "reports": 0, "follow_ups": 0, "workers_named": 0}
    planned_slots = set(rng.sample(range(ENTERPRISES + PLANNED), PLANNED))
    slot = -1
    for county, share in zip(counties, shares, strict=True):
        for _i in range(share):
            slot += 1
            township = rng.choice(townships[county.code])
            if station_path and township.path.startswith(station_path):
                actor = station
            elif director_path and township.path.startswith(director_path):
                actor = director
            else:
                actor = admin
            sector = rng.choices(sectors, sector_weights)[0]
            size, _w, (low, high) = rng.choices(SIZES, [s[1] for s in SIZES])[0]
            is_planned = slot in planned_slots
            enterprise = {"name": _enterprise_name(rng, county, sector, names),
                          "credit_code": _credit_code(rng, county.code, codes), "sector": sector, "size": size,
                          "region": township, "address": f"{township.name}{rng.choice(('建设路', '中兴路', '光明路', '开源路', '工业路'))}"
                                                          f"{rng.randint(1, 300)}号",
                          "contact_name": f"{rng.choice(SURNAMES)}{rng.choice(('经理', '主任', '会计'))}",
                          "contact_phone": f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}"}
            team = [lawyer] if (lawyer := (rng.choice(lawyers[county.code]) if lawyers[county.code] else None)) else []
            if is_planned:
                services.visit_save(actor=actor, campaign=campaign, enterprise=enterprise,
                                    planned_on=today + dt.timedelta(days=rng.randint(3, 25)),
                                    team_users=[actor], team_practitioners=team, today=today)
                counts["planned"] += 1
                continue
            visited_on = today - dt.timedelta(days=rng.randint(2, 145))
            workers = rng.randint(low, high)
            findings = {}
            for kind, (chance, note) in PROBLEMS.items():
                if kind == ProblemKind.WAGE_GUARANTEE and sector != CheckupSector.CONSTRUCTION:
                    continue
                if rng.random() < chance:
                    affected = rng.randint(1, workers)
                    findings[kind] = {"found": True, "workers_affected": affected, "note": note.format(n=affected)}
            found = [k for k in ProblemKind.values if k in findings]
            opinion = "\n".join(OPINIONS[k] for k in found)
            recommendations = ("请于三十日内对上述问题进行整改，完善劳动用工台账，并将整改情况书面报送司法所。"
                               if found else "用工管理较为规范，建议定期开展劳动法律法规培训。")
            visit = services.visit_save(
                actor=actor, campaign=campaign, enterprise=enterprise, planned_on=visited_on - dt.timedelta(days=3),
                visited_on=visited_on, workers_interviewed=workers, findings=findings,
                opinion=opinion if found or rng.random() < 0.3 else "", recommendations=recommendations,
                team_users=[actor], team_practitioners=team, today=today)
            counts["visits"] += 1
            wage_found = [k for k in WAGE_KINDS if k in findings]
            # A few consenting workers are named; in 卫东区 the centre's director sends their claims to legal aid.
            if wage_found and rng.random() < 0.35:
                worker = services.worker_add(
                    actor=actor, visit=visit, name=f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}",
                    phone=f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}",
                    id_number=_id_number(rng, county.code), consent_given=True,
                    consent_note="当面询问，本人同意登记姓名和联系方式", problems=wage_found,
                    claim=f"被拖欠工资约{rng.randint(3, 30) * 1000}元", amount_owed=rng.randint(3, 30) * 1000)
                counts["workers_named"] += 1
                if (referred < APPLICATIONS and director and director_path
                        and visit.region.path.startswith(director_path)):
                    services.worker_refer(actor=director, worker=worker)
                    referred += 1
            visits.append((visit, actor))
    for visit, actor in visits:
        age = (today - visit.visited_on).days
        if age < 7 and rng.random() < 0.7:
            continue  # the report is still being written
        issued_on = visit.visited_on + dt.timedelta(days=rng.randint(2, 6))
        visit = services.report_issue(actor=actor, visit=visit, issued_on=min(issued_on, today),
                                      follow_up_due=min(issued_on, today) + dt.timedelta(days=30))
        counts["reports"] += 1
        if visit.follow_up_due <= today and rng.random() < 0.75:
            result = rng.choices(("rectified", "partly", "not_rectified"), (60, 30, 10))[0]
            note = {"rectified": "已全部整改，补签劳动合同并补缴社会保险。", "partly": "已补签劳动合同，社会保险尚在办理。",
                    "not_rectified": "未整改，已移送人力资源社会保障部门。"}[result]
            services.follow_up_record(actor=actor, visit=visit, followed_up_on=visit.follow_up_due, result=result,
                                      note=note)
            counts["follow_ups"] += 1
    counts["applications"] = referred
    counts["enterprises"] = len(codes)
    return counts


