"""Test helpers for the hotline: the city's hotline with seats, a day shift, staff and a duty pool."""

from __future__ import annotations

import datetime as dt
import itertools

from django.utils import timezone

from open12348.hotline.events import EventIn
from open12348.hotline.models import Hotline, PoolMember, Seat, Shift
from open12348.hotline.services.telephony import telephony_client_issue
from open12348.legalaid.models import CentreProfile
from open12348.network.choices import InstitutionKind
from open12348.network.tests.factories import InstitutionFactory, MembershipFactory, UserFactory, pingdingshan

_calls = itertools.count(1)


def hotline_world(*, lawyers: int = 4) -> dict:
    """平顶山's hotline: seats 01–03 (duty lawyers), a working-day shift 08:30–17:30, an operator
    and a supervisor at the city's legal aid centre, duty lawyers from a 卫东区 firm on the pool,
    an operator of 新华区 (who must not see the city's hotline) and a telephony client."""
    regions = pingdingshan()
    centre = InstitutionFactory(kind=InstitutionKind.LEGAL_AID_CENTRE, name="平顶山市法律援助中心", region=regions["city"])
    CentreProfile.objects.get_or_create(centre=centre, defaults={"number_prefix": "平法援"})
    hotline = Hotline.objects.create(name="平顶山市12348公共法律服务热线", region=regions["city"])
    seats = [Seat.objects.create(hotline=hotline, code=f"0{n}", name=f"{n}号席位", kind="lawyer") for n in (1, 2, 3)]
    shift = Shift.objects.create(hotline=hotline, code="day", name="白班", starts=dt.time(8, 30), ends=dt.time(17, 30),
                                 days="working")
    staff = {}
    for username, role in (("hl_operator", "hotline_operator"), ("hl_supervisor", "hotline_supervisor")):
        staff[username] = UserFactory(username=username, real_name=username)
        MembershipFactory(user=staff[username], institution=centre, role=role)
    firm = InstitutionFactory(kind=InstitutionKind.LAW_FIRM, name="河南鹰城律师事务所", region=regions["weidong"])
    pool = []
    for n in range(1, lawyers + 1):
        user = UserFactory(username=f"duty{n}", real_name=f"值班律师{n}")
        MembershipFactory(user=user, institution=firm, role="duty_lawyer")
        PoolMember.objects.create(hotline=hotline, user=user, kind="lawyer")
        pool.append(user)
    xinhua_bureau = InstitutionFactory(kind=InstitutionKind.JUDICIAL_BUREAU, name="新华区司法局", region=regions["xinhua"])
    outsider = UserFactory(username="xh_operator")
    MembershipFactory(user=outsider, institution=xinhua_bureau, role="hotline_operator")
    client, token = telephony_client_issue(actor=None, hotline=hotline, name="CTI")
    return {"regions": regions, "centre": centre, "hotline": hotline, "seats": seats, "shift": shift,
            "operator": staff["hl_operator"], "supervisor": staff["hl_supervisor"], "pool": pool,
            "outsider": outsider, "client": client, "token": token, "firm": firm}


def local(year: int, month: int, day: int, hour: int = 10, minute: int = 0, second: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute, second))


def call_events(*, call_id: str | None = None, at: dt.datetime, answered: bool = True, agent: str = "duty1",
                seat: str = "01", caller: str = "13803751234", wait: int = 4, talk: int = 180) -> list[EventIn]:
    """The events of one call: ringing, (answered), ended."""
    call_id = call_id or f"CTI-{next(_calls):06d}"
    events = [EventIn(call_id=call_id, event_id="e1", kind="ringing", at=at, caller=caller, seat=seat)]
    if answered:
        events.append(EventIn(call_id=call_id, event_id="e2", kind="answered", at=at + dt.timedelta(seconds=wait),
                              caller=caller, seat=seat, agent=agent))
    events.append(EventIn(call_id=call_id, event_id="e3", kind="ended",
                          at=at + dt.timedelta(seconds=wait + (talk if answered else 25)), caller=caller, seat=seat))
    return events


def as_json(event: EventIn) -> dict:
    body = {"call_id": event.call_id, "event_id": event.event_id, "type": event.kind, "at": event.at.isoformat()}
    for name in ("caller", "seat", "agent", "recording_url", "channel", "text", "rating", "rating_channel"):
        if getattr(event, name):
            body[name] = getattr(event, name)
    return body
