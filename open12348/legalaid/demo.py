"""Demo legal aid work for the demo city: centre profiles and applications in every state.

Everything goes through the services, so the demo data obeys the same rules, clocks, numbers,
timeline and audit as real work. Deterministic for a seed (dates are relative to today).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from open12348.accounts.models import User
from open12348.core.idnumber import check_digit
from open12348.network.choices import InstitutionKind, RegionLevel
from open12348.network.models import Institution, Practitioner, Region

from . import services, services_cases
from .models import Application, CentreProfile

CITY_CODE = "4104"
DEMO_CENTRE_REGION = "410403"  # 卫东区: where the demo window, reviewer and director work
DEMO_LAWYER = "王德洲"  # the directory's lawyer, whose account is `lawyer`

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "建国伟强敏静丽军磊洋艳勇杰娟涛明超秀英华平刚桂兰玉梅霞红芳志红海燕文斌辉鹏飞宇浩晨阳欣怡子涵梓萱"


@dataclass(frozen=True)
class Scenario:
    matter: str
    subtype: str
    category: str
    aid_form: str
    stage: str
    cause: str
    groups: tuple[str, ...]
    birth_years: tuple[int, int]
    sex: str
    income: int  # household monthly income per member, yuan
    opposing: str
    facts: str
    channel: str = "window"


SCENARIOS = (
    Scenario("CV-05", "wages", "civil", "labour_arbitration", "arbitration", "追索劳动报酬", ("migrant_worker",),
             (1968, 1995), "M", 1800, "平顶山某建筑劳务有限公司", "在工地务工八个月，工程完工后包工头拖欠工资。"),
    Scenario("CV-05", "wages", "civil", "labour_arbitration", "arbitration", "追索加班工资", ("migrant_worker",),
             (1975, 1998), "F", 2100, "平顶山某纺织厂", "节假日加班未按规定支付加班工资。", "workstation"),
    Scenario("CV-07", "work_injury", "civil", "civil_litigation", "first_instance", "工伤赔偿", ("migrant_worker",),
             (1970, 1990), "M", 1500, "某煤矿有限责任公司", "井下作业时受伤，已认定工伤，单位拒绝赔偿。"),
    Scenario("CV-07", "traffic", "civil", "civil_litigation", "first_instance", "机动车交通事故责任纠纷", (),
             (1960, 1985), "F", 700, "某运输公司", "骑电动车被货车撞伤，肇事方拒绝赔偿医疗费。"),
    Scenario("CV-04", "", "civil", "civil_litigation", "not_started", "赡养费纠纷", (),
             (1942, 1956), "F", 900, "申请人之子", "年老体弱无经济来源，子女不履行赡养义务。", "hotline"),
    Scenario("NM-04", "", "civil", "civil_litigation", "not_started", "离婚纠纷（家庭暴力）", (),
             (1980, 1996), "F", 4500, "申请人丈夫", "长期遭受丈夫殴打，已报警并有伤情鉴定。"),
    Scenario("CV-OTHER", "", "civil", "civil_litigation", "first_instance", "买卖合同纠纷", (),
             (1970, 1990), "M", 3200, "某商贸公司", "购买的农用机械质量不合格，要求退货。"),
    Scenario("CV-OTHER", "", "civil", "civil_litigation", "first_instance", "房屋租赁合同纠纷", ("military_family",),
             (1985, 1995), "F", 2600, "房东", "现役军人家属，出租方违约拒退押金。"),
    Scenario("CR-A-DEF", "", "criminal", "criminal_defence", "prosecution_review", "盗窃罪", (),
             (1990, 2000), "M", 600, "", "犯罪嫌疑人家庭困难，无力委托辩护人。", "detention_forwarding"),
)
NOTIFICATIONS = (
    ("CR-N-MINOR", "investigation", "故意伤害罪", (2009, 2010)),
    ("CR-N-LIFE-DEATH", "first_instance", "故意杀人罪", (1975, 1990)),
)


def _id_number(rng: random.Random, *, region: str, years: tuple[int, int], sex: str) -> tuple[str, dt.date]:
    born = dt.date(rng.randint(*years), rng.randint(1, 12), rng.randint(1, 28))
    serial = rng.randint(10, 99) * 10 + rng.choice((1, 3, 5, 7, 9) if sex == "M" else (0, 2, 4, 6, 8))
    first17 = f"{region}{born:%Y%m%d}{serial:03d}"
    return first17 + check_digit(first17), born


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def centre_profiles() -> int:
    """A number prefix for every legal aid centre: 平法援 for the city, 卫法援 for 卫东区, …"""
    created = 0
    used = set(CentreProfile.objects.values_list("number_prefix", flat=True))
    for centre in (Institution.objects.filter(kind=InstitutionKind.LEGAL_AID_CENTRE, aid_profile__isnull=True)
                   .select_related("region").order_by("region__code")):
        if centre.region.code == CITY_CODE:
            prefix = "平法援"
        else:  # 卫法援 for 卫东区; 高法援 for 平顶山高新技术产业开发区; a second character where the first is taken
            name = centre.region.name.removeprefix("平顶山市").removeprefix("平顶山")
            prefix = next((f"{name[:n]}法援" for n in range(1, len(name) + 1) if f"{name[:n]}法援" not in used),
                          f"{name}{centre.pk}法援")
        used.add(prefix)
        created += CentreProfile.objects.get_or_create(centre=centre, defaults={"number_prefix": prefix})[1]
    return created


@transaction.atomic
def legalaid_demo_seed(*, seed: int) -> dict[str, int]:
    """Demo applications at 卫东区's centre (window `window`, reviewer `reviewer`, bureau `county_admin`)."""
    centre_profiles()
    centre = Institution.objects.filter(kind=InstitutionKind.LEGAL_AID_CENTRE, region__code=DEMO_CENTRE_REGION).first()
    users = {u.username: u for u in User.objects.filter(username__in=["window", "reviewer", "director", "county_admin"])}
    if centre is None or len(users) < 4:
        return {"applications": 0}
    rng = random.Random(seed)
    now = timezone.now()
    made: list[Application] = []
    from .province import residence_for, township_weights  # province.py imports this module's names

    residences, weights = township_weights(list(Region.objects.filter(
        parent=centre.region, level=RegionLevel.TOWNSHIP).order_by("code").values_list("pk", "code", "name")))
    townships = Region.objects.in_bulk([pk for pk, _name in residences])

    def residence(key: int) -> Region | None:
        picked = residence_for(residences, weights, key)
        return townships[picked[0]] if picked else None

    for index in range(36):
        scenario = SCENARIOS[index % len(SCENARIOS)]
        id_number, _born = _id_number(rng, region=DEMO_CENTRE_REGION, years=scenario.birth_years, sex=scenario.sex)
        members = rng.randint(1, 5)
        received = now - dt.timedelta(days=rng.randint(0, 12), hours=rng.randint(0, 8))
        extra = {}
        if scenario.channel == "detention_forwarding":
            extra = {"channel_detail": "平顶山市看守所", "facility_received_at": received - dt.timedelta(hours=rng.randint(3, 30))}
        elif scenario.channel == "workstation":
            extra = {"channel_detail": "卫东区总工会法律援助工作站"}
        made.append(services.application_create(
            actor=users["window"], centre=centre, channel=scenario.channel, received_at=received,
            applicant={"name": _name(rng), "id_number": id_number, "phone": f"1{rng.choice('358')}{rng.randint(0, 999999999):09d}",
                       "address": f"平顶山市卫东区{rng.choice(['建设路', '东安路', '五一路', '优越路'])}{rng.randint(1, 300)}号",
                       "occupation": "务工" if "migrant_worker" in scenario.groups else "", "groups": list(scenario.groups)},
            details={"matter": scenario.matter, "matter_subtype": scenario.subtype, "category": scenario.category,
                     "aid_form": scenario.aid_form, "stage": scenario.stage, "cause": scenario.cause,
                     "opposing_party": scenario.opposing, "facts": scenario.facts,
                     "amount_claimed": str(rng.randint(5, 120) * 1000) if scenario.category == "civil" else None,
                     "people_count": rng.choice((1, 1, 1, 3, 12)) if scenario.matter == "CV-05" else 1},
            household={"members": members, "monthly_income": str(scenario.income * members)},
            residence=residence(index + 1), **extra,
        ))
    for index, (matter, stage, cause, years) in enumerate(NOTIFICATIONS):
        id_number, _born = _id_number(rng, region=DEMO_CENTRE_REGION, years=years, sex="M")
        made.append(services.application_create(
            actor=users["window"], centre=centre, channel="notification", notifying_organ="public_security",
            notice_number=f"卫公（刑）通字〔{now.year}〕{index + 31}号", received_at=now - dt.timedelta(days=index),
            applicant={"name": _name(rng), "id_number": id_number},
            details={"matter": matter, "category": "criminal", "aid_form": "criminal_defence", "stage": stage,
                     "cause": cause}, residence=residence(100 + index),
        ))
    _progress(made, users=users)
    cases = _cases(made, users=users)
    return {"applications": len(made), "cases": cases}


def _cases(applications: list[Application], *, users: dict) -> int:
    """Assign the granted wage claims to the demo lawyer 王德洲 and move them along the case's life."""
    lawyer = Practitioner.objects.filter(name=DEMO_LAWYER, kind="lawyer").select_related("institution").first()
    account = User.objects.filter(username="lawyer").first()
    if lawyer is None or account is None:
        return 0
    if lawyer.user_id is None:
        Practitioner.objects.filter(pk=lawyer.pk).update(user=account)
        lawyer.user = account
    director = users["director"]
    today = timezone.localdate()
    granted = [a for a in applications if a.status == "approved"]
    for index, application in enumerate(granted[:6]):
        case = services_cases.case_assign(actor=director, application=application, lawyer=lawyer)
        if index == 0:
            continue  # waits for the agreement
        services_cases.case_sign_agreement(actor=account, case=case, signed_on=today)
        services_cases.case_begin(actor=account, case=case)
        services_cases.progress_add(actor=account, case=case, kind="meeting", occurred_on=today,
                                    note="会见受援人，了解欠薪情况，收集工资表和考勤记录。")
        if index % 2 == 0:
            services_cases.progress_add(
                actor=account, case=case, kind="hearing", occurred_on=today,
                hearing_at=timezone.now() + dt.timedelta(days=7 + index), court="卫东区劳动人事争议仲裁委员会",
                courtroom=f"第{index}仲裁庭", note="开庭审理，已提交证据目录。")
    return min(len(granted), 6)


def _progress(applications: list[Application], *, users: dict) -> None:
    """Move about two thirds of them along, so every queue and state has something in it."""
    reviewer, director, bureau = users["reviewer"], users["director"], users["county_admin"]
    for index, application in enumerate(applications):
        if application.status != "received":
            continue
        step = index % 6
        if step == 0:
            continue  # stays new
        services.application_review_start(actor=reviewer, application=application)
        application.refresh_from_db()
        if step == 1:
            continue
        if step == 2:
            services.supplement_request(actor=reviewer, application=application,
                                        items=["身份证复印件", "劳动合同、工资欠条或其他用工证明"])
            continue
        eligible = application.eligibility.get("eligible")
        if step in (3, 4) and eligible is not False:
            services.application_decide(actor=director if step == 4 else reviewer, application=application,
                                        decision="grant", reasons="经审查，符合法律援助条件。",
                                        override_reason="" if eligible else "经审查，申请人经济困难情况属实。")
        elif eligible is False:
            services.application_decide(actor=reviewer, application=application, decision="refuse",
                                        reasons="申请事项不属于法律援助事项范围。")
    for application in applications:
        application.refresh_from_db()
    refused = [a for a in applications if a.status == "rejected"]
    if refused:  # one objection waiting for the bureau, one already decided
        services.objection_file(actor=users["window"], application=refused[0],
                                reasons="申请人认为本案应属法律援助范围。")
    if len(refused) > 1:
        objection = services.objection_file(actor=users["window"], application=refused[1],
                                            reasons="申请人对不予法律援助决定有异议。")
        services.objection_decide(actor=bureau, objection=objection, correct=False,
                                  reasons="经复核，原决定正确，予以维持。")
    urgent = next((a for a in applications if a.status == "under_review" and a.matter == "CV-07"), None)
    if urgent is not None:  # Art. 44: the limitation period runs out in five days
        services.advance_aid_grant(actor=director, application=urgent, reason="诉讼时效即将届满，需立即起诉。",
                                   limitation_deadline=timezone.localdate() + dt.timedelta(days=5))
