"""Demo people's mediation for the demo city (`manage.py seed_demo`, after the network, legal aid,
quality and hotline seeds): a few hundred disputes over the past year across types and committees —
the demo mediator's committee (马秀兰) gets the most — most ending in an agreement, many of those
signed, some confirmed by a court, some failed (one referred to arbitration), a few withdrawn or
refused, and open ones in mediation or waiting for consent, some past the one-month guideline.

Volume data is written directly (as an import would), not through the services: the services'
rules are tested in tests/, and hundreds of audit rows would only slow the seed. Each case still gets
its timeline events. Deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from open12348.accounts.models import Membership, User
from open12348.core.crypto import blind_index
from open12348.network.choices import InstitutionKind, PractitionerKind
from open12348.network.models import Institution, Practitioner

from .choices import DisputeSource, DisputeStatus, DisputeType, PartySide
from .models import Agreement, DisputeCase, DisputeEvent, Party, Session
from .services import add_one_month, confirmation_window

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = ["建国", "秀英", "桂兰", "志强", "海燕", "国庆", "丽娟", "俊杰", "玉梅", "红军", "晓燕", "明亮", "春花", "卫东", "淑珍"]
FACTS = {
    DisputeType.NEIGHBOURS: ("两家因院墙滴水、排水沟堵塞发生争执，多次争吵。", "申请人修缮院墙排水，被申请人疏通排水沟，互不追究。"),
    DisputeType.FAMILY: ("兄妹就母亲赡养费用分担及轮流照顾发生争执。", "三兄妹每月各支付赡养费600元，按月轮流照顾母亲。"),
    DisputeType.MARRIAGE: ("夫妻因感情不和分居，就子女抚养和财产分割协商未果。", "子女随母亲生活，父亲每月支付抚养费1200元。"),
    DisputeType.LABOUR: ("工人在某建筑工地务工，工程结束后被拖欠工资。", "用人单位于十日内支付拖欠工资人民币18000元。"),
    DisputeType.CONTRACTS: ("双方买卖农资，买方以质量问题为由拒付尾款。", "买方支付尾款人民币6000元，卖方退还部分货款800元。"),
    DisputeType.LAND: ("两户村民对承包地边界有争议，互相毁损庄稼。", "按村委会测量结果重新确定地界，各自赔偿对方损失。"),
    DisputeType.TRAFFIC: ("电动车与行人相撞致行人轻伤，双方对赔偿数额有争议。", "电动车驾驶人一次性赔偿医疗费、误工费共计人民币5200元。"),
    DisputeType.MEDICAL: ("患者术后出现并发症，家属对医院诊疗有异议。", "医院一次性补偿患者人民币30000元，患者不再追究。"),
    DisputeType.PROPERTY: ("业主与物业公司因物业费和车位管理发生争执。", "物业公司整改车位管理，业主补交物业费。"),
    DisputeType.OTHER: ("双方因借款归还期限发生争执。", "借款人分三期归还借款人民币20000元。"),
}
TYPE_WEIGHTS = [(DisputeType.NEIGHBOURS, 22), (DisputeType.FAMILY, 18), (DisputeType.MARRIAGE, 10),
                (DisputeType.LABOUR, 12), (DisputeType.CONTRACTS, 9), (DisputeType.LAND, 10),
                (DisputeType.TRAFFIC, 7), (DisputeType.MEDICAL, 3), (DisputeType.PROPERTY, 5), (DisputeType.OTHER, 4)]
SOURCE_WEIGHTS = [(DisputeSource.WALK_IN, 55), (DisputeSource.FRONT_DESK, 15), (DisputeSource.COURT, 10),
                  (DisputeSource.POLICE, 10), (DisputeSource.OWN_INITIATIVE, 10)]
COURT = "平顶山市卫东区人民法院"


def _pick(rng: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randrange(10 ** 9):09d}"


def _committees(rng: random.Random, home: Institution | None, count: int) -> list[Institution]:
    others = list(Institution.objects.filter(kind=InstitutionKind.MEDIATION_COMMITTEE).exclude(
        pk=getattr(home, "pk", None)).order_by("id").values_list("id", flat=True))
    chosen = sorted(rng.sample(others, min(count, len(others))))
    found = {c.pk: c for c in Institution.objects.filter(pk__in=chosen).select_related("region")}
    return ([home] if home else []) + [found[pk] for pk in chosen]


def _sequence(committee, year: int) -> str:
    from open12348.legalaid.services import sequence_next

    return f"〔{year}〕调字第{sequence_next(centre=committee, year=year, kind='mediation'):04d}号"


@transaction.atomic
def mediation_demo_seed(*, seed: int, total: int = 320) -> dict[str, int]:
    if DisputeCase.objects.exists():
        return {"disputes": 0}
    rng = random.Random(seed)
    mediator_user = User.objects.filter(username="mediator").first()
    home = None
    if mediator_user is not None:
        membership = Membership.objects.filter(user=mediator_user, is_active=True).select_related(
            "institution__region").first()
        home = membership.institution if membership else None
    committees = _committees(rng, home, 40)
    if not committees:
        return {"disputes": 0}
    mediators = {}
    for practitioner in Practitioner.objects.filter(kind=PractitionerKind.MEDIATOR,
                                                    institution__in=committees).order_by("id"):
        mediators.setdefault(practitioner.institution_id, []).append(practitioner)
    today = timezone.localdate()
    counts = {"disputes": 0, "agreements": 0, "confirmed": 0, "failed": 0, "open": 0}
    weights = [30 if c == home else 1 + rng.random() * 6 for c in committees]
    for _index in range(total):
        committee = rng.choices(committees, weights=weights)[0]
        dispute_type = _pick(rng, TYPE_WEIGHTS)
        received = today - dt.timedelta(days=rng.randrange(1, 365))
        age = (today - received).days
        roll = rng.random()
        if age < 40 and roll < 0.45:
            status = DisputeStatus.MEDIATING if roll < 0.3 else DisputeStatus.AWAITING_CONSENT
        elif roll < 0.80:
            status = DisputeStatus.AGREED
        elif roll < 0.91:
            status = DisputeStatus.FAILED
        elif roll < 0.96:
            status = DisputeStatus.WITHDRAWN
        else:
            status = DisputeStatus.REFUSED
        duration = min(age, max(1, int(rng.triangular(2, 45, 12))))
        closed = received + dt.timedelta(days=duration) if status not in (
            DisputeStatus.MEDIATING, DisputeStatus.AWAITING_CONSENT) else None
        facts, agreed = FACTS[dispute_type]
        source = _pick(rng, SOURCE_WEIGHTS)
        case = DisputeCase.objects.create(
            number=_sequence(committee, received.year), committee=committee, region=committee.region,
            dispute_type=dispute_type, source=source,
            source_detail={DisputeSource.COURT: COURT, DisputeSource.POLICE: "卫东区公安分局东安路派出所"}.get(source, ""),
            facts=facts, status=status, received_on=received, guideline_due=add_one_month(received), closed_on=closed,
            outcome_note="双方分歧较大，调解不成。" if status == DisputeStatus.FAILED else "",
            referral="arbitration" if status == DisputeStatus.FAILED and dispute_type == DisputeType.LABOUR else "",
            referral_note="告知向劳动人事争议仲裁委员会申请仲裁" if status == DisputeStatus.FAILED
            and dispute_type == DisputeType.LABOUR else "",
            registered_by=mediator_user if committee == home else None)
        if mediators.get(committee.pk):
            case.mediators.set(rng.sample(mediators[committee.pk], min(2, len(mediators[committee.pk]))))
        sides = [PartySide.APPLICANT] * rng.choice([1, 1, 2]) + [PartySide.RESPONDENT] * rng.choice([1, 1, 2])
        consented = status != DisputeStatus.AWAITING_CONSENT
        for position, side in enumerate(sides, start=1):
            refused = status == DisputeStatus.REFUSED and side == PartySide.RESPONDENT and position == len(sides)
            Party.objects.create(case=case, side=side, position=position, name=_name(rng), phone=_phone(rng),
                                 id_number_hash=blind_index("", purpose="id_number"),
                                 consent="refused" if refused else "given" if consented else "pending",
                                 consent_at=timezone.make_aware(dt.datetime.combine(received, dt.time(10)))
                                 if consented or refused else None)
        DisputeEvent.objects.create(case=case, action="register", to_status=DisputeStatus.AWAITING_CONSENT)
        if status in (DisputeStatus.MEDIATING, DisputeStatus.AGREED, DisputeStatus.FAILED):
            Session.objects.create(case=case, held_on=received + dt.timedelta(days=min(duration, 2)),
                                   place=f"{committee.name}调解室", notes="听取双方陈述，释法说理，引导双方协商。")
        if status != DisputeStatus.AWAITING_CONSENT:
            DisputeEvent.objects.create(case=case, action="mediation_opened" if status != DisputeStatus.REFUSED
                                        else "refuse", from_status=DisputeStatus.AWAITING_CONSENT, to_status=status)
        if status == DisputeStatus.AGREED:
            signed = closed if rng.random() < 0.9 else None
            agreement = Agreement(case=case, made_on=closed, issues="双方对纠纷的发生均负有一定责任。", content=agreed,
                                  performance_manner=rng.choice(["现金一次性支付", "银行转账", "按期分批履行", "自行履行"]),
                                  performance_due=closed + dt.timedelta(days=rng.choice([7, 15, 30])))
            if signed:
                window = confirmation_window(signed)
                agreement.signed_on = agreement.effective_on = signed
                agreement.confirmation_due, agreement.confirmation_calendar_complete = window.due, window.calendar_complete
                if rng.random() < 0.25 and (today - signed).days > 3:
                    agreement.confirmation_applied_on = signed + dt.timedelta(days=rng.randrange(1, 20))
                    agreement.confirmation_court = COURT
                    if (today - agreement.confirmation_applied_on).days > 15:
                        agreement.confirmation_result = "confirmed" if rng.random() < 0.92 else "rejected"
                        agreement.confirmation_decided_on = agreement.confirmation_applied_on + dt.timedelta(days=10)
                        counts["confirmed"] += agreement.confirmation_result == "confirmed"
                if agreement.performance_due < today:
                    agreement.performance = rng.choices(["performed", "partly", "not_performed"], [85, 10, 5])[0]
                    agreement.performance_checked_on = agreement.performance_due + dt.timedelta(days=3)
            agreement.save()
            counts["agreements"] += 1
        ending = {DisputeStatus.AGREED: "agree", DisputeStatus.FAILED: "fail", DisputeStatus.WITHDRAWN: "withdraw"}
        if status in ending:
            DisputeEvent.objects.create(case=case, action=ending[status], from_status=DisputeStatus.MEDIATING,
                                        to_status=status)
        counts["failed"] += status == DisputeStatus.FAILED
        counts["open"] += status in (DisputeStatus.MEDIATING, DisputeStatus.AWAITING_CONSENT)
        counts["disputes"] += 1
    return counts
