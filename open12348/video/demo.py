"""Demo video consultations (`manage.py seed_demo`, after the network, legal aid, quality and hotline
seeds): six months of consultations between township judicial offices and their county (sometimes
the city) legal aid centre. Use is uneven on purpose, as in life: a few offices call often, many
rarely, some never, so the "used least" list on the utilisation page means something. The demo
station (韩梅's office) has a visitor waiting now in 卫东区's queue and a slot booked for tomorrow.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from open12348.accounts.models import User
from open12348.network.choices import InstitutionKind
from open12348.network.models import Institution

from . import services
from .choices import VideoSessionMode, VideoSessionStatus
from .models import Attendance, Note, VideoSession, VideoSessionEvent

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ["秀英", "桂兰", "建国", "国强", "玉兰", "志强", "春梅", "德胜", "凤英", "长林", "金花", "留柱"]
TOPICS = [
    ("儿子不给赡养费，想问怎么办。", "讲解了赡养义务，建议先由村调委会调解，调解不成可申请法律援助起诉。"),
    ("在工地干了半年，老板拖欠工资两万多。", "指导收集考勤、工友证言和聊天记录，可申请劳动仲裁，符合农民工欠薪绿色通道。"),
    ("宅基地和邻居有争议。", "说明宅基地使用权确认程序，建议向乡镇政府申请处理。"),
    ("交通事故对方不赔偿。", "告知诉讼时效和鉴定程序，建议申请法律援助。"),
    ("离婚后孩子抚养费对方不给。", "可申请强制执行，讲解了执行申请材料。"),
    ("土地承包合同到期后村里收回。", "解释了承包期延长政策，建议查阅承包合同和确权证书。"),
    ("残疾补贴被停发了。", "建议向残联和民政部门了解停发原因，必要时申请行政复议。"),
]
MONTHS = 6


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _centre_for(office: Institution, centres: dict[str, Institution]) -> Institution | None:
    county = office.region.path.rstrip("/").split("/")[-2] if office.region.path.count("/") >= 3 else ""
    return centres.get(county)


@transaction.atomic
def video_demo_seed(*, seed: int) -> dict[str, int]:
    if VideoSession.objects.exists():
        return {"sessions": 0}
    rng = random.Random(seed)
    offices = list(Institution.objects.filter(kind=InstitutionKind.JUDICIAL_OFFICE).select_related("region")
                   .order_by("region__code", "id"))
    centres = {c.region.code: c for c in Institution.objects.filter(kind=InstitutionKind.LEGAL_AID_CENTRE)
               .select_related("region")}
    city_centre = next((c for code, c in centres.items() if len(code) <= 4), None)
    users = {u.username: u for u in User.objects.filter(username__in=["station", "reviewer", "director",
                                                                      "dutylawyer", "window"])}
    station = users.get("station")
    home_office = (Institution.objects.filter(memberships__user=station, kind=InstitutionKind.JUDICIAL_OFFICE)
                   .select_related("region").first() if station else None)
    servers = [users[n] for n in ("reviewer", "dutylawyer", "director") if n in users]
    if not offices or not centres:
        return {"sessions": 0}

    # Uneven use: a long tail. The demo station's office is among the busiest.
    shuffled = offices[:]
    rng.shuffle(shuffled)
    if home_office is not None and home_office in shuffled:
        shuffled.remove(home_office)
        shuffled.insert(0, home_office)
    weights = {o.pk: (0 if i % 4 == 3 else 30.0 / (i + 1) ** 1.1) for i, o in enumerate(shuffled)}
    now = timezone.now()
    count, ended = 0, 0
    total = min(40 + len(offices) * 2, 320)
    population = [o for o in shuffled if weights[o.pk] > 0]
    for office in rng.choices(population, weights=[weights[o.pk] for o in population], k=total):
        centre = _centre_for(office, centres)
        if rng.random() < 0.15 and city_centre is not None:
            centre = city_centre
        if centre is None:
            continue
        created = now - dt.timedelta(days=rng.uniform(1, MONTHS * 30), minutes=rng.randint(0, 600))
        created = created.replace(hour=rng.randint(8, 16))
        if created >= now:
            continue
        scheduled = rng.random() < 0.3
        cancelled = rng.random() < 0.08
        wait = dt.timedelta(minutes=rng.choice([1, 2, 3, 4, 5, 6, 8, 10, 15, 25]) if not scheduled else rng.randint(0, 4))
        length = dt.timedelta(minutes=rng.randint(8, 45))
        topic, advice = rng.choice(TOPICS)
        served_by = rng.choice(servers) if servers and centre.region.code == "410403" else None
        requested_by = station if office == home_office and station else (servers[0] if servers else station)
        if requested_by is None:
            continue
        session = VideoSession.objects.create(
            number=f"demo-{count}", requesting_point=office, serving_point=centre, region=office.region,
            mode=VideoSessionMode.SCHEDULED if scheduled else VideoSessionMode.ON_DEMAND,
            scheduled_at=created if scheduled else None,
            status=VideoSessionStatus.CANCELLED if cancelled else VideoSessionStatus.ENDED,
            visitor_name=_name(rng), visitor_phone=f"138{rng.randint(10000000, 99999999)}", topic=topic,
            requested_by=requested_by, served_by=None if cancelled else served_by, waiting_since=created,
            taken_at=None if cancelled else created + wait,
            ended_at=created + (dt.timedelta(minutes=20) if cancelled else wait + length))
        VideoSession.objects.filter(pk=session.pk).update(number=f"SP{created:%Y}{session.pk:06d}", created_at=created)
        events = [VideoSessionEvent(session=session, at=created, actor=None, kind="requested",
                                    to_status=VideoSessionStatus.WAITING)]
        if cancelled:
            events.append(VideoSessionEvent(session=session, at=session.ended_at, kind="cancel",
                                            from_status=VideoSessionStatus.WAITING,
                                            to_status=VideoSessionStatus.CANCELLED))
        else:
            ended += 1
            events += [
                VideoSessionEvent(session=session, at=session.taken_at, actor=served_by, kind="take",
                                  from_status=VideoSessionStatus.WAITING, to_status=VideoSessionStatus.IN_PROGRESS),
                VideoSessionEvent(session=session, at=session.ended_at, actor=served_by, kind="end",
                                  from_status=VideoSessionStatus.IN_PROGRESS, to_status=VideoSessionStatus.ENDED),
            ]
            seconds = int(length.total_seconds())
            Attendance.objects.bulk_create([
                Attendance(session=session, user=None, display_name=f"{office.name}", side="requesting",
                           peer=f"demo{session.pk:08d}r", joined_at=created, seen_at=session.ended_at,
                           left_at=session.ended_at, duration_seconds=seconds + int(wait.total_seconds())),
                Attendance(session=session, user=served_by, display_name=str(served_by or centre.name),
                           side="serving", peer=f"demo{session.pk:08d}s", joined_at=session.taken_at,
                           seen_at=session.ended_at, left_at=session.ended_at, duration_seconds=seconds),
            ])
            if served_by is not None:
                Note.objects.create(session=session, author=served_by, text=advice, at=session.ended_at)
        VideoSessionEvent.objects.bulk_create(events)
        count += 1

    live = 0
    if station is not None and home_office is not None:
        centre = _centre_for(home_office, centres)
        if centre is not None:
            services.session_request(actor=station, requesting_point=home_office, serving_point=centre,
                                     mode=VideoSessionMode.ON_DEMAND, visitor_name="李大爷",
                                     visitor_phone="13803751234", topic="儿子不给赡养费，想问怎么办。",
                                     now=now - dt.timedelta(minutes=6))
            tomorrow = timezone.localtime(now + dt.timedelta(days=1)).replace(hour=9, minute=30, second=0,
                                                                               microsecond=0)
            services.session_request(actor=station, requesting_point=home_office, serving_point=centre,
                                     mode=VideoSessionMode.SCHEDULED, scheduled_at=tomorrow,
                                     visitor_name="张桂兰", topic="宅基地和邻居有争议。", now=now)
            live = 2
    return {"sessions": count + live, "held": ended, "waiting": 1 if live else 0}
