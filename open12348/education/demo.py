"""Demo legal education (`manage.py seed_demo`): about twenty articles for 卫东区 written by the county
bureau (何强, county_admin) and reviewed by the centre director (周慧, director) — most published, one
draft, one in legal review, one due for re-check — and about thirty outreach activities over the past
year across the ten counties, six of them still to come on the portal calendar."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from open12348.accounts.models import User
from open12348.network.choices import InstitutionKind, RegionLevel
from open12348.network.models import Institution, Region

from . import services
from .choices import ActivityStatus
from .demo_content import ACTIVITIES, ARTICLES
from .models import Activity, Article

ACTIVITY_COUNT = 30
UPCOMING = 6
PLACES = ["第一初级中学", "实验小学", "建设路社区", "工业园区", "新城区建筑工地", "东安路街道文化广场",
          "老年大学", "光明村党群服务中心", "县融媒体中心", "退役军人服务站"]


def _organiser(county: Region) -> Institution | None:
    for kind in (InstitutionKind.JUDICIAL_BUREAU, InstitutionKind.LEGAL_AID_CENTRE):
        found = Institution.objects.filter(kind=kind, region=county).order_by("id").first()
        if found:
            return found
    return Institution.objects.filter(region__path__startswith=county.path).order_by("id").first()


@transaction.atomic
def education_demo_seed(*, seed: int) -> dict[str, int]:
    users = {u.username: u for u in User.objects.filter(username__in=["county_admin", "director", "admin"])}
    if len(users) < 3 or Article.objects.exists():
        return {"articles": 0, "published": 0, "activities": 0}
    rng = random.Random(seed)
    writer, reviewer, admin = users["county_admin"], users["director"], users["admin"]
    weidong = Region.objects.filter(code="410403").first()
    if weidong is None:
        return {"articles": 0, "published": 0, "activities": 0}
    today = timezone.localdate()
    published = 0
    last = len(ARTICLES) - 1
    for i, entry in enumerate(ARTICLES):
        checked = today - dt.timedelta(days=400 if i == 1 else rng.randint(5, 200))
        data = {**entry, "region": weidong, "next_step_note": "", "last_checked": checked}
        article = services.article_create(actor=writer, data=data)
        if i == last:
            continue  # one draft still being written
        services.article_transition(actor=writer, article=article, action="submit")
        if i == last - 1:
            continue  # one waiting for legal review
        services.article_transition(actor=reviewer, article=article, action="publish")
        published += 1

    counties = list(Region.objects.filter(level=RegionLevel.COUNTY, code__startswith="4104").order_by("code"))
    organisers = {c.pk: _organiser(c) for c in counties}
    counties = [c for c in counties if organisers[c.pk]]
    made = 0
    now = timezone.now()
    for n in range(ACTIVITY_COUNT if counties else 0):
        county = counties[n % len(counties)]
        kind, title, audience, group, materials = ACTIVITIES[rng.randrange(len(ACTIVITIES))]
        place = rng.choice(PLACES)
        upcoming = n < UPCOMING
        day = (today + dt.timedelta(days=3 + 4 * n)) if upcoming else (today - dt.timedelta(days=rng.randint(3, 360)))
        starts = timezone.make_aware(dt.datetime.combine(day, dt.time(rng.choice([9, 10, 14, 15]), 0)))
        cancelled = not upcoming and n % 11 == 0
        held = not upcoming and not cancelled and starts < now
        attendance = rng.randint(30, 400) if held else None
        follow_ups = rng.randint(0, 6) if held else 0
        services.activity_create(actor=admin, data={
            "kind": kind, "title": title.format(place=f"{county.name}{place}"), "organiser": organisers[county.pk],
            "region": county, "place": f"{county.name}{place}", "service_point": None, "starts_at": starts,
            "ends_at": starts + dt.timedelta(hours=2), "audience": audience, "audience_note": group,
            "attendance": attendance, "materials": materials, "follow_up_count": follow_ups,
            "follow_up_notes": f"现场咨询{follow_ups}人，其中欠薪问题已引导至法律援助窗口。" if follow_ups else "",
            "status": ActivityStatus.HELD if held else ActivityStatus.CANCELLED if cancelled else ActivityStatus.PLANNED,
            "is_public": True,
        })
        made += 1
    return {"articles": len(ARTICLES), "published": published, "activities": made,
            "held": Activity.objects.filter(status=ActivityStatus.HELD).count()}
