"""The demo city's 12348 hotline: a year of calls that reproduces the published figures.

The seed (RULES.md §8, issue #6): 23 lawyers on rotation every working day, 24-hour message taking,
6,915 calls served, 609 messages called back, 98 % satisfaction, 100 % callback of missed calls
and messages. `hotline_demo_seed` builds, over the demo city that `seed_demo` loaded:

- the city's hotline with three duty-lawyer seats and a working-day shift, 08:30–17:30;
- the pool: the `dutylawyer` account (陈刚) and 22 lawyers of the directory, each given a staff
  account linked to their practitioner record (no password: they do not sign in to the demo);
- the roster of every month of the year and the next, through the roster service;
- the year up to yesterday: 6,915 answered calls by whoever the roster put at the seat, 310 missed
  calls and 609 messages (voice mail after hours, SMS and web), every one called back and closed,
  5,250 ratings of which 105 dissatisfied (98.00 %), each of those called back by the supervisor —
  written with bulk_create, so it loads in a few seconds;
- today: a few live calls and open callbacks, an expert booking and a referral to legal aid,
  through the services; the knowledge base; a quality sample of last month, partly reviewed.

Deterministic for a seed, with dates relative to today. The board's default period (the year to
yesterday) shows the seed's figures (tests/test_demo.py checks them).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from types import SimpleNamespace

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from open12348.accounts.models import Membership, User
from open12348.accounts.roles import Role
from open12348.audit.services import audit_record
from open12348.core.calendar_store import legal_calendar
from open12348.core.crypto import blind_index, encrypt
from open12348.core.fields import EncryptedTextField
from open12348.network.choices import InstitutionKind, PractitionerKind
from open12348.network.demo import allocate
from open12348.network.models import Institution, Practitioner, Region

from .choices import (
    AttemptOutcome,
    CallbackKind,
    CallbackStatus,
    CallChannel,
    CallStatus,
    Category,
    EventKind,
    MemberKind,
    OrderSource,
    RatingChannel,
    Referral,
    Satisfaction,
    SeatKind,
    ShiftDays,
)
from .events import EventIn
from .knowledge_seed import ARTICLES
from .models import (
    CallbackAttempt,
    CallbackTask,
    CallEvent,
    Hotline,
    PoolMember,
    RosterEntry,
    Seat,
    Shift,
    WorkOrder,
)
from .services import calls as call_services
from .services.callbacks import callback_attempt
from .services.common import working_days_after
from .services.ingest import call_events_ingest
from .services.knowledge import article_import
from .services.quality import call_review_record, call_sample_draw
from .services.roster import month_bounds, roster_generate

CITY_CODE = "4104"
SERVED, MISSED_IN_HOURS, MISSED_AFTER_HOURS = 6915, 190, 120
VOICE_MESSAGES, SMS_MESSAGES, WEB_MESSAGES = 480, 70, 59  # 609 messages
RATED, DISSATISFIED, FAIR = 5250, 105, 445  # (5250 − 105) / 5250 = 98.00 %
UNREACHABLE_SHARE = 0.04
REVIEWED = 8  # of last month's sample, the rest left to review
POOL_FROM_DIRECTORY = 22  # with 陈刚 (`dutylawyer`): the seed's 23 lawyers
SHIFT_START, SHIFT_END = dt.time(8, 30), dt.time(17, 30)
UNREACHABLE_REASON = "连续三次回拨均无人接听，已发送短信告知12348服务时间和留言方式。"
TOPIC_WEIGHTS = {"wages": 22, "labour_contract": 12, "marriage": 14, "support": 6, "traffic": 8, "work_injury": 8,
                 "loans": 8, "consumer": 5, "housing": 4, "inheritance": 4, "legal_aid": 5, "domestic_violence": 2,
                 "social_insurance": 3, "medical": 2, "land": 2, "mediation": 3}
MESSAGE_TEXTS = ("公司拖欠三个月工资，想咨询怎么维权，请回电。", "父亲八十岁了，子女不给赡养费，怎么办？",
                 "交通事故对方不赔医疗费，想申请法律援助。", "离婚孩子抚养权怎么判？请律师回电。",
                 "工地受伤了老板不管，怎么认定工伤？", "借给朋友的钱不还，有借条，怎么起诉？")


class Row(SimpleNamespace):
    """A row to insert: attributes named like the model's fields (foreign keys by their `_id`)."""


def insert_rows(model, rows: list, *, batch: int = 2000, assign_ids: bool = False) -> None:
    """bulk_create without the ORM's per-value work, for the demo's year of calls: each field's
    conversion is looked up once and the rows go in with executemany. Values are converted as the
    fields would (encrypted fields encrypted, times adapted); missing ones take the field's default.
    With `assign_ids` the rows get consecutive ids (set on them) and the id sequence is moved past."""
    now = timezone.now()
    ops = connection.ops
    fields = [f for f in model._meta.concrete_fields if assign_ids or not f.primary_key]
    if assign_ids:
        first = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        for n, row in enumerate(rows):
            row.id = first + n

    def default(field):
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return lambda: now
        if field.has_default():
            return field.get_default
        return (lambda: None) if field.null else (lambda: "")

    def converter(field):
        if isinstance(field, EncryptedTextField):
            return lambda value: encrypt(value) if value else ""
        if isinstance(field, models.DateTimeField):
            if connection.vendor == "sqlite":  # what the SQLite backend stores: naive UTC text, without its overhead
                return lambda value: None if value is None else str(value.astimezone(dt.UTC).replace(tzinfo=None))
            return ops.adapt_datetimefield_value
        if isinstance(field, models.DateField):
            return ops.adapt_datefield_value
        return lambda value: value

    plan = [(f.attname, default(f), converter(f)) for f in fields]
    missing = object()

    def values(row) -> tuple:
        out = []
        for name, make_default, convert in plan:
            value = getattr(row, name, missing)
            out.append(convert(make_default() if value is missing else value))
        return tuple(out)

    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(f.column) for f in fields)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608  (names from the model)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            cursor.executemany(sql, [values(row) for row in rows[start:start + batch]])
        if assign_ids:
            for statement in ops.sequence_reset_sql(no_style(), [model]):
                cursor.execute(statement)


def _tz():
    return timezone.get_current_timezone()


def _at(day: dt.date, seconds: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=_tz()) + dt.timedelta(seconds=seconds)


class _Builder:
    def __init__(self, *, seed: int, hotline: Hotline, start: dt.date, end: dt.date) -> None:
        self.rng = random.Random(seed)
        self.hotline = hotline
        self.start, self.end = start, end
        self.calendar = legal_calendar()
        self.seats = {s.code: s for s in Seat.objects.filter(hotline=hotline)}
        self.roster: dict[tuple[dt.date, str], int] = {
            (d, code): user for d, code, user in RosterEntry.objects.filter(
                hotline=hotline, date__gte=start, date__lte=end).values_list("date", "seat__code", "user_id")}
        self.working = [d for d in self._days() if self.calendar.is_working_day(d)]
        self.phones = [f"1{self.rng.choice('3578')}{self.rng.randint(0, 999999999):09d}" for _i in range(5200)]
        self.orders: list[Row] = []
        self.events: dict[int, list[EventIn]] = {}  # index in self.orders → its events
        self.topics = list(TOPIC_WEIGHTS)
        self.by_topic = defaultdict(list)
        for article in ARTICLES:
            self.by_topic[article["topic"]].append(article)

    def _days(self):
        day = self.start
        while day <= self.end:
            yield day
            day += dt.timedelta(days=1)

    def _in_service(self, moment: dt.datetime) -> bool:
        local = timezone.localtime(moment)
        return self.calendar.is_working_day(local.date()) and SHIFT_START <= local.time() < SHIFT_END

    def _off_hours_moment(self) -> dt.datetime:
        """A moment outside service hours: evenings, nights, rest days and holidays."""
        while True:
            day = self.start + dt.timedelta(days=self.rng.randrange((self.end - self.start).days + 1))
            moment = _at(day, self.rng.randrange(24 * 3600))
            if not self._in_service(moment):
                return moment

    def _order(self, *, channel: str, status: str, rang: dt.datetime, events: list[EventIn], **fields) -> Row:
        phone = fields.pop("phone")
        order = Row(hotline_id=self.hotline.pk, call_id=events[0].call_id, source=OrderSource.TELEPHONY,
                    channel=channel, status=status, caller_phone=phone,
                    caller_phone_hash=blind_index(phone, purpose="phone"), rang_at=rang,
                    in_service_hours=self._in_service(rang), satisfaction="", rated_at=None, **fields)
        self.events[len(self.orders)] = events
        self.orders.append(order)
        return order

    def _content(self) -> dict:
        topic = self.rng.choices(self.topics, weights=[TOPIC_WEIGHTS[t] for t in self.topics])[0]
        article = self.rng.choice(self.by_topic[topic])
        first = article["answer"].split("。")[0]
        category = self.rng.choices([Category.CONSULTATION, Category.COMPLAINT, Category.SUGGESTION], [95, 3, 2])[0]
        return {"category": category, "topic": topic, "question": article["question"],
                "answer": f"{first}。依据：{article['legal_basis']}。", "resolved": self.rng.random() < 0.93}

    def answered_calls(self) -> None:
        weights = [1.25 if d.weekday() == 0 else 1.0 for d in self.working]
        for day, count in zip(self.working, allocate(SERVED, weights), strict=True):
            for _n in range(count):
                seat = self.rng.choice(sorted(self.seats))
                rang = _at(day, int(SHIFT_START.hour * 3600 + SHIFT_START.minute * 60
                                    + self.rng.randrange(9 * 3600 - 900)))
                wait = min(int(self.rng.expovariate(1 / 3.2)) + 1, 40)
                talk = int(self.rng.uniform(90, 780))
                answered, ended = rang + dt.timedelta(seconds=wait), rang + dt.timedelta(seconds=wait + talk)
                call_id = f"DEMO-{len(self.orders) + 1:06d}"
                phone = self.rng.choice(self.phones)
                user = self.roster.get((day, seat))
                events = [EventIn(call_id, "1", EventKind.RINGING, rang, caller=phone, seat=seat),
                          EventIn(call_id, "2", EventKind.ANSWERED, answered, seat=seat),
                          EventIn(call_id, "3", EventKind.ENDED, ended, seat=seat)]
                self._order(channel=CallChannel.CALL, status=CallStatus.ANSWERED, rang=rang, events=events, phone=phone,
                            answered_at=answered, ended_at=ended, wait_seconds=wait, talk_seconds=talk,
                            seat_id=self.seats[seat].pk, seat_code=seat, answered_by_id=user, **self._content())

    def missed_calls(self) -> None:
        in_hours = self.rng.choices(self.working, k=MISSED_IN_HOURS)
        moments = [_at(d, int(SHIFT_START.hour * 3600 + SHIFT_START.minute * 60 + self.rng.randrange(9 * 3600 - 60)))
                   for d in in_hours] + [self._off_hours_moment() for _i in range(MISSED_AFTER_HOURS)]
        for rang in moments:
            call_id = f"DEMO-{len(self.orders) + 1:06d}"
            phone = self.rng.choice(self.phones)
            ended = rang + dt.timedelta(seconds=self.rng.randint(15, 45))
            events = [EventIn(call_id, "1", EventKind.RINGING, rang, caller=phone),
                      EventIn(call_id, "2", EventKind.ENDED, ended)]
            self._order(channel=CallChannel.CALL, status=CallStatus.MISSED, rang=rang, events=events, phone=phone,
                        ended_at=ended)

    def messages(self) -> None:
        for n in range(VOICE_MESSAGES + SMS_MESSAGES + WEB_MESSAGES):
            call_id = f"DEMO-{len(self.orders) + 1:06d}"
            phone = self.rng.choice(self.phones)
            rang = self._off_hours_moment()
            if n < VOICE_MESSAGES:
                recording = f"https://cti.example.gov.cn/recordings/{call_id}.mp3"
                left = rang + dt.timedelta(seconds=self.rng.randint(30, 120))
                events = [EventIn(call_id, "1", EventKind.RINGING, rang, caller=phone),
                          EventIn(call_id, "2", EventKind.VOICE_MESSAGE, left, recording_url=recording)]
                self._order(channel=CallChannel.VOICE_MESSAGE, status=CallStatus.VOICE_MESSAGE, rang=rang,
                            events=events, phone=phone, recording_url=recording)
                continue
            channel = CallChannel.SMS if n < VOICE_MESSAGES + SMS_MESSAGES else CallChannel.WEB
            text = self.rng.choice(MESSAGE_TEXTS)
            events = [EventIn(call_id, "1", EventKind.MESSAGE, rang, caller=phone, channel=channel, text=text)]
            self._order(channel=channel, status=CallStatus.MESSAGE, rang=rang, events=events, phone=phone,
                        message_text=text)

    def ratings(self) -> None:
        answered = [o for o in self.orders if o.status == CallStatus.ANSWERED]
        rated = self.rng.sample(range(len(answered)), RATED)
        answers = ([Satisfaction.DISSATISFIED] * DISSATISFIED + [Satisfaction.FAIR] * FAIR
                   + [Satisfaction.SATISFIED] * (RATED - DISSATISFIED - FAIR))
        self.rng.shuffle(answers)
        index = {id(o): n for n, o in enumerate(self.orders)}
        for position, answer in zip(rated, answers, strict=True):
            order = answered[position]
            order.satisfaction, order.rating_channel = answer, RatingChannel.IVR
            order.rated_at = order.ended_at + dt.timedelta(seconds=20)
            self.events[index[id(order)]].append(EventIn(order.call_id, "4", EventKind.RATED, order.rated_at,
                                                         rating=answer, rating_channel=RatingChannel.IVR))
        for order in self.rng.sample(answered, 60):
            order.referral = self.rng.choice([Referral.MEDIATION, Referral.OTHER_DEPARTMENT])
            order.referral_to = "卫东区东安路街道人民调解委员会" if order.referral == Referral.MEDIATION else "平顶山市人力资源和社会保障局"
            order.referred_at = order.ended_at

    def write(self) -> None:
        insert_rows(WorkOrder, self.orders, assign_ids=True)
        rows = [Row(work_order_id=self.orders[i].id, call_id=e.call_id, event_id=e.event_id, kind=e.kind,
                    occurred_at=e.at, caller_phone=e.caller, seat_code=e.seat, agent_code=e.agent,
                    recording_url=e.recording_url, channel=e.channel, text=e.text, rating=e.rating,
                    rating_channel=e.rating_channel, client_id=None, entered_by_id=None, received_at=e.at)
                for i, events in self.events.items() for e in events]
        insert_rows(CallEvent, rows)

    def callbacks(self, *, staff: list[int], supervisor: int) -> tuple[int, int]:
        """Every missed call and message called back by its due date; every dissatisfied caller by the supervisor."""
        tasks, attempts_of = [], []
        for order in self.orders:
            if order.status in (CallStatus.MISSED, CallStatus.VOICE_MESSAGE, CallStatus.MESSAGE):
                tasks.append(self._closed_task(order, kind=CallbackKind.MISSED, origin=order.rang_at,
                                               days=self.hotline.callback_working_days, staff=staff,
                                               attempts=attempts_of))
            if order.satisfaction == Satisfaction.DISSATISFIED:
                tasks.append(self._closed_task(order, kind=CallbackKind.DISSATISFIED, origin=order.rated_at,
                                               days=self.hotline.dissatisfied_working_days, staff=[supervisor],
                                               attempts=attempts_of))
        insert_rows(CallbackTask, tasks, assign_ids=True)
        rows = [Row(task_id=task.id, at=at, by_id=by, outcome=outcome, note=note)
                for task, (at, by, outcome, note) in attempts_of]
        insert_rows(CallbackAttempt, rows)
        return len(tasks), len(rows)

    def _closed_task(self, order: Row, *, kind: str, origin: dt.datetime, days: int, staff: list[int],
                     attempts: list) -> Row:
        from_day = timezone.localdate(origin)
        due, complete = working_days_after(from_day, days=days, calendar=self.calendar)
        first_day = from_day if self._in_service(origin) else due
        first = _at(first_day, 9 * 3600 + self.rng.randrange(7 * 3600))
        if first < origin:
            first = origin + dt.timedelta(minutes=self.rng.randint(10, 90))
        by = self.rng.choice(staff)
        task = Row(work_order_id=order.id, hotline_id=self.hotline.pk, kind=kind, due_on=due,
                   calendar_complete=complete, max_attempts=self.hotline.callback_max_attempts, assigned_to_id=by,
                   first_attempt_at=first, closed_by_id=by, escalated_at=None)
        if kind == CallbackKind.MISSED and self.rng.random() < UNREACHABLE_SHARE:
            times = [first + dt.timedelta(hours=2 * n) for n in range(task.max_attempts)]
            for at in times:
                attempts.append((task, (at, by, AttemptOutcome.NO_ANSWER, "")))
            task.status, task.attempts_made, task.closed_at = CallbackStatus.UNREACHABLE, len(times), times[-1]
            task.close_reason = UNREACHABLE_REASON
            return task
        tries = 1 if self.rng.random() < 0.8 else 2
        times = [first + dt.timedelta(minutes=40 * n) for n in range(tries)]
        for at in times[:-1]:
            attempts.append((task, (at, by, AttemptOutcome.NO_ANSWER, "")))
        note = "已回电解答，来电人表示满意。" if kind == CallbackKind.MISSED else "已回访来电人，说明答复依据，来电人表示理解。"
        attempts.append((task, (times[-1], by, AttemptOutcome.REACHED, note)))
        task.status, task.attempts_made, task.closed_at = CallbackStatus.REACHED, tries, times[-1]
        return task


# --- set-up ---------------------------------------------------------------------------------------

def _hotline(city: Region) -> Hotline:
    hotline = Hotline.objects.create(name="平顶山市12348公共法律服务热线", region=city)
    Seat.objects.bulk_create([Seat(hotline=hotline, code=f"0{n}", name=f"{n}号席位（值班律师）", kind=SeatKind.LAWYER)
                              for n in (1, 2, 3)])
    Shift.objects.create(hotline=hotline, code="day", name="工作日白班", starts=SHIFT_START, ends=SHIFT_END,
                         days=ShiftDays.WORKING)
    return hotline


def _pool(*, hotline: Hotline, rng: random.Random, city: Region) -> list[int]:
    """陈刚 (`dutylawyer`) and 22 lawyers of the directory, each with a linked staff account."""
    lawyers = list(Practitioner.objects.filter(kind=PractitionerKind.LAWYER, user__isnull=True,
                                               region__path__startswith=city.path,
                                               institution__kind=InstitutionKind.LAW_FIRM)
                   .order_by("id").values_list("id", "name", "institution_id"))
    chosen = sorted(rng.sample(lawyers, min(POOL_FROM_DIRECTORY, len(lawyers))))
    accounts = [User(username=f"duty{n:02d}", real_name=name, is_active=True)
                for n, (_pk, name, _firm) in enumerate(chosen, start=1)]
    for account in accounts:
        account.set_unusable_password()
    User.objects.bulk_create(accounts)
    Membership.objects.bulk_create([Membership(user=account, institution_id=firm, role=Role.DUTY_LAWYER)
                                    for account, (_pk, _name, firm) in zip(accounts, chosen, strict=True)])
    for account, (practitioner, _name, _firm) in zip(accounts, chosen, strict=True):
        Practitioner.objects.filter(pk=practitioner).update(user=account)
    members = [PoolMember(hotline=hotline, user=account, practitioner_id=practitioner, kind=MemberKind.LAWYER)
               for account, (practitioner, _name, _firm) in zip(accounts, chosen, strict=True)]
    duty = User.objects.filter(username="dutylawyer").first()
    if duty is not None:
        members.append(PoolMember(hotline=hotline, user=duty, kind=MemberKind.LAWYER))
    PoolMember.objects.bulk_create(members)
    return [m.user_id for m in members]


def _rosters(hotline: Hotline, start: dt.date, today: dt.date, seed: int) -> int:
    """Every month from the year's first to next month, through the roster service (fair, holidays)."""
    created, (year, month) = 0, (start.year, start.month)
    last = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    while (year, month) <= (last.year, last.month):
        created += roster_generate(actor=None, hotline=hotline, year=year, month=month, seed=seed + month).created
        following = month_bounds(year, month)[1] + dt.timedelta(days=1)
        year, month = following.year, following.month
    return created


def _today(*, hotline: Hotline, rng: random.Random, operator: User, supervisor: User) -> dict:
    """Live work for today through the services: calls in the morning, open callbacks, an expert
    booking and a referral to legal aid. Only calls that rang before now."""
    now, today = timezone.localtime(), timezone.localdate()
    working = legal_calendar().is_working_day(today)
    start = _at(today, 0)
    made = {"today_calls": 0}
    seats = sorted(Seat.objects.filter(hotline=hotline).values_list("code", flat=True))
    roster = dict(RosterEntry.objects.filter(hotline=hotline, date=today).values_list("seat__code", "user__username"))
    events: list[EventIn] = []
    slots = [start + dt.timedelta(hours=8, minutes=40 + 25 * n) for n in range(12)]
    for n, rang in enumerate(s for s in slots if s < now - dt.timedelta(minutes=10)):
        call_id, seat = f"DEMO-T{n + 1:03d}", seats[n % len(seats)]
        phone = f"13{rng.randint(0, 999999999):09d}"
        events.append(EventIn(call_id, "1", EventKind.RINGING, rang, caller=phone, seat=seat))
        if n % 5 == 4 or not working:
            events.append(EventIn(call_id, "2", EventKind.ENDED, rang + dt.timedelta(seconds=30)))
            continue
        events += [EventIn(call_id, "2", EventKind.ANSWERED, rang + dt.timedelta(seconds=3), seat=seat,
                           agent=roster.get(seat, "")),
                   EventIn(call_id, "3", EventKind.ENDED, rang + dt.timedelta(minutes=6))]
    # Messages of the night, whatever the hour the demo is loaded: today, before now.
    night, later = start + (now - start) / 3, start + (now - start) * 2 / 3
    events += [EventIn("DEMO-T100", "1", EventKind.RINGING, night, caller="13937512348"),
               EventIn("DEMO-T100", "2", EventKind.VOICE_MESSAGE, night + (now - night) / 10,
                       recording_url="https://cti.example.gov.cn/recordings/DEMO-T100.mp3"),
               EventIn("DEMO-T101", "1", EventKind.MESSAGE, later, caller="15837512348", channel="web",
                       text="母亲九十岁，哥哥不尽赡养义务，想咨询怎么起诉。")]
    call_events_ingest(hotline=hotline, events=events, actor=None)
    made["today_calls"] = len({e.call_id for e in events})
    answered = list(WorkOrder.objects.filter(hotline=hotline, call_id__startswith="DEMO-T", status=CallStatus.ANSWERED)
                    .order_by("id"))
    if answered:
        first = answered[0]
        call_services.work_order_record(actor=operator, order=first, data={
            "caller_name": "康建军", "category": Category.CONSULTATION, "topic": "wages",
            "question": "在工地干了八个月，包工头拖欠工资三万六千元，工友三人。",
            "answer": "告知可向人社部门投诉，也可申请劳动仲裁；农民工追索劳动报酬申请法律援助免予核查经济困难。",
            "resolved": True})
        centre = Institution.objects.filter(kind=InstitutionKind.LEGAL_AID_CENTRE, region=hotline.region).first()
        if centre is not None:
            call_services.work_order_refer_to_legal_aid(
                actor=operator, order=first, centre=centre,
                applicant={"name": "康建军", "phone": first.caller_phone, "groups": ["migrant_worker"]},
                details={"matter": "CV-05", "matter_subtype": "wages", "category": "civil",
                         "aid_form": "labour_arbitration", "stage": "not_started", "cause": "追索劳动报酬",
                         "facts": "在工地务工八个月，包工头拖欠工资三万六千元。", "people_count": 3})
            made["referrals"] = 1
    if len(answered) > 1:
        expert = User.objects.filter(username="dutylawyer").first() or supervisor
        call_services.expert_book(actor=operator, order=answered[1], expert=expert,
                                  question="父亲生前与长子签订遗赠扶养协议，其他子女能否主张继承？")
    missed = CallbackTask.objects.filter(hotline=hotline, status=CallbackStatus.OPEN, kind=CallbackKind.MISSED).first()
    if missed is not None:
        callback_attempt(actor=operator, task=missed, outcome=AttemptOutcome.NO_ANSWER, note="无人接听，稍后再拨。")
    return made


def _knowledge(supervisor: User) -> int:
    return article_import(actor=supervisor, items=ARTICLES, source="seed",
                          reviewed_on=timezone.localdate() - dt.timedelta(days=30))


def _quality(*, hotline: Hotline, supervisor: User, today: dt.date, seed: int) -> int:
    last_month_end = today.replace(day=1) - dt.timedelta(days=1)
    sample = call_sample_draw(actor=supervisor, hotline=hotline, period_start=last_month_end.replace(day=1),
                              period_end=last_month_end, seed=seed)
    reviews = list(sample.reviews.order_by("id"))
    for n, review in enumerate(reviews[:REVIEWED]):
        scores = {"greeting": 100, "patience": 90 - n % 3 * 5, "correct_law": 95 - n % 4 * 5, "plain_words": 90,
                  "standard_phrases": 85 + n % 2 * 10, "no_forbidden_phrases": 100}
        call_review_record(actor=supervisor, review=review, scores=scores,
                           feedback="开头语规范，法律依据准确；答复时可再放慢语速，确认来电人已理解。")
    return len(reviews)


@transaction.atomic
def hotline_demo_seed(*, seed: int) -> dict:
    """Build the demo hotline (see the module's note). Returns counts and the figures' period."""
    city = Region.objects.filter(code=CITY_CODE).first()
    users = {u.username: u for u in User.objects.filter(username__in=["hotline", "hotlinelead", "dutylawyer"])}
    if city is None or len(users) < 3 or Hotline.objects.filter(region=city).exists():
        return {"calls": 0}
    rng = random.Random(seed)
    today = timezone.localdate()
    start, end = today - dt.timedelta(days=365), today - dt.timedelta(days=1)
    hotline = _hotline(city)
    pool = _pool(hotline=hotline, rng=rng, city=city)
    roster_entries = _rosters(hotline, start, today, seed)
    builder = _Builder(seed=seed, hotline=hotline, start=start, end=end)
    builder.answered_calls()
    builder.missed_calls()
    builder.messages()
    builder.ratings()
    builder.write()
    staff = [users["hotline"].pk, *pool[:6]]
    tasks, attempts = builder.callbacks(staff=staff, supervisor=users["hotlinelead"].pk)
    articles = _knowledge(users["hotlinelead"])
    reviews = _quality(hotline=hotline, supervisor=users["hotlinelead"], today=today, seed=seed)
    live = _today(hotline=hotline, rng=rng, operator=users["hotline"], supervisor=users["hotlinelead"])
    counts = {"calls": len(builder.orders), "served": SERVED, "messages": VOICE_MESSAGES + SMS_MESSAGES + WEB_MESSAGES,
              "callbacks": tasks, "attempts": attempts, "pool": len(pool), "roster_entries": roster_entries,
              "articles": articles, "reviews": reviews, **live}
    audit_record(actor=None, action="hotline.demo_seed", obj=hotline, extra={"seed": seed, **counts})
    return {**counts, "hotline": hotline.pk, "start": start, "end": end}
