"""Demo front desk for the demo city (`manage.py seed_demo`, after the network, legal aid and
mediation seeds): the last 30 days at two desks — the 卫东区 legal aid centre's window (赵敏,
`window`) and the judicial office of 卫东区's first township (韩梅, `station`) — with queue numbers
and waiting times, visitors with one to three requests each, and tickets in every state: consultations
answered on the spot, legal aid applications of the legal aid seed (their status followed), mediation
cases the mediation seed marked as coming from the front desk, and referrals open, answered and
overdue.

Written directly (as an import would), not through the services; deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from open12348.accounts.models import Membership
from open12348.core.calendar import due_date
from open12348.core.calendar_store import legal_calendar
from open12348.core.crypto import blind_index
from open12348.legalaid.eligibility.codes import Channel
from open12348.legalaid.models import Application, Person
from open12348.legalaid.services import sequence_next
from open12348.mediation.choices import DisputeSource
from open12348.mediation.models import DisputeCase
from open12348.network.choices import InstitutionKind, RegionLevel
from open12348.network.models import Institution

from .adapters import adapter_for
from .choices import ConsultationChannel, QueueStatus, TicketKind, TicketStatus
from .forms import REFERRAL_OWNER_KINDS
from .models import ConsultationRecord, QueueNumber, Ticket, TicketEvent, Visit
from .services import feedback_days

DAYS = 30
TOPICS = [("工资", "老板拖欠三个月工资，怎么讨要？", "可先向劳动监察投诉，也可申请劳动仲裁，符合条件可申请法律援助。"),
          ("婚姻", "离婚时孩子抚养权怎么确定？", "法院以最有利于未成年子女为原则判决，两周岁以下一般随母亲。"),
          ("赡养", "子女不给赡养费怎么办？", "可请人民调解委员会调解，或向法院起诉要求支付赡养费。"),
          ("交通事故", "交通事故对方不赔偿怎么办？", "凭事故认定书可申请调解或向法院起诉，注意三年诉讼时效。"),
          ("继承", "父亲去世没有遗嘱，房子怎么分？", "按法定继承，第一顺序继承人为配偶、子女、父母，可办理继承公证。"),
          ("借贷", "借钱不还有借条能起诉吗？", "可以，借条是主要证据，建议同时保留转账记录。")]
REFERRALS = [(TicketKind.NOTARY, "办理继承公证"), (TicketKind.APPRAISAL, "伤残等级鉴定"),
             (TicketKind.ARBITRATION, "劳动争议仲裁"), (TicketKind.LAWYER, "委托律师代理诉讼"),
             (TicketKind.OTHER_DEPARTMENT, "社保待遇核定")]
OTHER_DEPARTMENT = "卫东区人力资源和社会保障局"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["建军", "秀兰", "志刚", "丽华", "国强", "红梅", "海涛", "玉珍", "明", "静"]


def _desk_of(username: str):
    membership = (Membership.objects.filter(user__username=username, is_active=True)
                  .select_related("institution__region", "user").first())
    return (membership.institution, membership.user) if membership else (None, None)


def _county(region):
    while region.level in (RegionLevel.TOWNSHIP, RegionLevel.VILLAGE) and region.parent_id:
        region = region.parent
    return region


def _at(day: dt.date, minutes: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(8, 30)) + dt.timedelta(minutes=minutes))


@transaction.atomic
def frontdesk_demo_seed(*, seed: int) -> dict[str, int]:
    if Visit.objects.exists():
        return {"visits": 0}
    rng = random.Random(seed)
    desks = [d for d in (_desk_of("window"), _desk_of("station")) if d[0] is not None]
    if not desks:
        return {"visits": 0}
    today = timezone.localdate()
    calendar = legal_calendar()
    county_paths = {_county(desk.region).path for desk, _u in desks}
    owners = {}
    for kind, institution_kind in REFERRAL_OWNER_KINDS.items():
        candidates = [i for i in Institution.objects.filter(kind=institution_kind).select_related("region").order_by("id")
                      if any(i.region.path.startswith(p) for p in county_paths)] or list(
            Institution.objects.filter(kind=institution_kind).order_by("id")[:3])
        owners[kind] = candidates[:5]
    centre = Institution.objects.filter(kind=InstitutionKind.LEGAL_AID_CENTRE, memberships__user__username="window"
                                        ).first()
    applications = list(Application.objects.filter(centre=centre, channel=Channel.WINDOW).select_related(
        "applicant").order_by("-received_at")[:40]) if centre else []
    disputes = list(DisputeCase.objects.filter(source=DisputeSource.FRONT_DESK, received_on__gte=today - dt.timedelta(
        days=DAYS)).order_by("received_on", "id")[:40])
    counts = {"visits": 0, "tickets": 0, "queue_numbers": 0, "consultations": 0}

    def ticket_number(desk, day) -> str:  # the services' own sequence, so that later tickets follow on
        return f"FD{day.year}{desk.pk:05d}{sequence_next(centre=desk, year=day.year, kind='frontdesk'):06d}"

    for offset in range(DAYS, -1, -1):
        day = today - dt.timedelta(days=offset)
        if not calendar.is_working_day(day):
            continue
        for desk, staff in desks:
            clock = 0
            for _n in range(rng.randint(3, 9)):
                seq = sequence_next(centre=desk, year=day.year, kind=f"q{day:%m%d}")
                clock += rng.randint(3, 40)
                taken = _at(day, clock)
                wait = rng.randint(1, 25)
                served = offset > 0 or seq < 4
                number = QueueNumber.objects.create(
                    desk=desk, day=day, sequence=seq, label=f"A{seq:03d}", taken_at=taken,
                    status=QueueStatus.SERVED if served else QueueStatus.WAITING,
                    called_at=taken + dt.timedelta(minutes=wait) if served else None,
                    served_at=taken + dt.timedelta(minutes=wait + rng.randint(5, 20)) if served else None,
                    called_by=staff if served else None)
                counts["queue_numbers"] += 1
                if not served:
                    continue
                kinds = [TicketKind.CONSULTATION]
                roll = rng.random()
                application = applications.pop() if roll < 0.25 and applications and desk == centre else None
                dispute = disputes.pop(0) if 0.25 <= roll < 0.45 and disputes else None
                if application:
                    kinds.append(TicketKind.LEGAL_AID)
                if dispute:
                    kinds.append(TicketKind.MEDIATION)
                if roll > 0.7:
                    kinds.append(rng.choice(REFERRALS)[0])
                if application:
                    person = application.applicant
                else:
                    person = Person.objects.create(name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                                                   phone=f"13{rng.randrange(10 ** 9):09d}")
                    person.phone_hash = blind_index(person.phone, purpose="phone")
                    person.save(update_fields=["phone_hash"])
                visit = Visit.objects.create(desk=desk, region=desk.region, person=person, queue_number=number,
                                             registered_by=staff, registered_at=number.called_at)
                counts["visits"] += 1
                for kind in kinds:
                    owner, owner_name, summary = desk, desk.name, ""
                    if kind == TicketKind.LEGAL_AID:
                        owner, owner_name, summary = application.centre, application.centre.name, "申请法律援助"
                    elif kind == TicketKind.MEDIATION:
                        owner, owner_name, summary = dispute.committee, dispute.committee.name, "申请人民调解"
                    elif kind != TicketKind.CONSULTATION:
                        summary = dict(REFERRALS)[kind]
                        choices = owners.get(kind) or []
                        owner = rng.choice(choices) if choices else None
                        owner_name = owner.name if owner else OTHER_DEPARTMENT
                    due = day if kind == TicketKind.CONSULTATION else due_date(
                        start=day, days=feedback_days(kind), calendar=calendar).due
                    ticket = Ticket.objects.create(
                        number=ticket_number(desk, day), visit=visit, region=desk.region, kind=kind, owner=owner,
                        owner_name=owner_name, summary=summary, feedback_due=due, application=application
                        if kind == TicketKind.LEGAL_AID else None, dispute=dispute if kind == TicketKind.MEDIATION
                        else None)
                    TicketEvent.objects.create(ticket=ticket, actor=staff, action="register", note=owner_name)
                    counts["tickets"] += 1
                    if kind == TicketKind.CONSULTATION:
                        topic, question, answer = rng.choice(TOPICS)
                        ticket.summary, ticket.result = question, answer
                        ticket.status, ticket.resolved_at = TicketStatus.RESOLVED, visit.registered_at
                        ticket.person_told_at = visit.registered_at
                        ConsultationRecord.objects.create(
                            desk=desk, region=desk.region, channel=ConsultationChannel.VISIT, ticket=ticket,
                            consulted_at=visit.registered_at, name=person.name, phone=person.phone, topic=topic,
                            question=question, answer=answer, answered_by=staff)
                        counts["consultations"] += 1
                    elif kind in (TicketKind.LEGAL_AID, TicketKind.MEDIATION):
                        if dispute is not None and kind == TicketKind.MEDIATION:
                            DisputeCase.objects.filter(pk=dispute.pk).update(source_detail=ticket.number)
                        state = adapter_for(kind).read(ticket)
                        ticket.back_office_status = state.label
                        if state.done:
                            ticket.status, ticket.result = TicketStatus.RESOLVED, state.result
                            ticket.resolved_at = ticket.person_told_at = visit.registered_at + dt.timedelta(days=3)
                        elif state.started:
                            ticket.status = TicketStatus.IN_PROGRESS
                    elif offset > 10 and rng.random() < 0.7:
                        ticket.status, ticket.result = TicketStatus.RESOLVED, "已接待并办理，当事人表示满意。"
                        ticket.resolved_at = ticket.person_told_at = visit.registered_at + dt.timedelta(days=5)
                    ticket.save()
        # phone, letter and online consultations on the register
        for desk, staff in desks:
            for _n in range(rng.randint(0, 3)):
                topic, question, answer = rng.choice(TOPICS)
                ConsultationRecord.objects.create(
                    desk=desk, region=desk.region, channel=rng.choice([ConsultationChannel.PHONE,
                                                                       ConsultationChannel.LETTER,
                                                                       ConsultationChannel.WEB]),
                    consulted_at=_at(day, rng.randint(0, 480)), name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                    phone=f"15{rng.randrange(10 ** 9):09d}", topic=topic, question=question, answer=answer,
                    answered_by=staff)
                counts["consultations"] += 1
    return counts

