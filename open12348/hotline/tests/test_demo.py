"""The demo hotline reproduces the seed's figures on the board, and its pool, roster and live work."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from django.utils import timezone

from open12348.hotline import board
from open12348.hotline.demo import hotline_demo_seed
from open12348.hotline.models import Article, CallbackTask, PoolMember, RosterEntry, WorkOrder
from open12348.legalaid.models import CentreProfile
from open12348.network.choices import InstitutionKind
from open12348.network.tests.factories import (
    InstitutionFactory,
    MembershipFactory,
    PractitionerFactory,
    UserFactory,
    pingdingshan,
)

pytestmark = pytest.mark.django_db


def demo_city() -> dict:
    """The slice of `seed_demo` the hotline demo builds on: the city, its centre, the three hotline
    accounts and the directory's lawyers."""
    regions = pingdingshan()
    centre = InstitutionFactory(kind=InstitutionKind.LEGAL_AID_CENTRE, name="平顶山市法律援助中心", region=regions["city"])
    CentreProfile.objects.create(centre=centre, number_prefix="平法援")
    weidong = InstitutionFactory(kind=InstitutionKind.LEGAL_AID_CENTRE, name="卫东区法律援助中心",
                                 region=regions["weidong"])
    for username, role, institution in (("hotline", "hotline_operator", centre),
                                        ("hotlinelead", "hotline_supervisor", centre),
                                        ("dutylawyer", "duty_lawyer", weidong)):
        MembershipFactory(user=UserFactory(username=username, real_name=username), institution=institution, role=role)
    firms = [InstitutionFactory(kind=InstitutionKind.LAW_FIRM, region=regions[r]) for r in ("xinhua", "weidong")]
    for n in range(30):
        PractitionerFactory(kind="lawyer", institution=firms[n % 2])
    return {"regions": regions, "centre": centre}


def test_the_demo_reproduces_the_seeds_figures_with_its_pool_roster_and_live_work():
    demo_city()
    result = hotline_demo_seed(seed=12348)
    figures = board.board_figures(hotline_ids=[result["hotline"]], start=result["start"], end=result["end"])
    calls, callbacks = figures["calls"], figures["callbacks"]
    assert calls["served"] == 6915
    assert callbacks["messages_called_back"] == 609 == calls["messages"]
    assert calls["satisfaction_rate"] == Decimal("0.9800")
    assert callbacks["callback_rate"] == Decimal("1.0000")
    assert callbacks["overdue"] == 0 and callbacks["closed"] == callbacks["owed"] == 310 + 609
    assert calls["answer_rate"] >= Decimal("0.95")  # Anhui's standard
    # The dissatisfied callers were all called back by the supervisor.
    dissatisfied = CallbackTask.objects.filter(kind="dissatisfied")
    assert dissatisfied.count() == 105 and set(dissatisfied.values_list("closed_by__username", flat=True)) == {
        "hotlinelead"}
    # The pool: 陈刚 and 22 of the directory's lawyers, with linked accounts.
    assert result["pool"] == PoolMember.objects.count() == 23
    assert PoolMember.objects.filter(user__username="dutylawyer").exists()
    assert PoolMember.objects.filter(practitioner__user__isnull=False).count() == 22
    # A year of rosters, shared fairly: each month's rota evens out the months before it.
    totals = Counter(RosterEntry.objects.values_list("user_id", flat=True))
    assert len(totals) == 23 and max(totals.values()) - min(totals.values()) <= 1
    # Answered calls are taken by whoever the roster put at the seat.
    order = WorkOrder.objects.filter(status="answered", call_id__startswith="DEMO-0").first()
    entry = RosterEntry.objects.get(date=timezone.localdate(order.rang_at), seat__code=order.seat_code)
    assert order.answered_by_id == entry.user_id
    assert Article.objects.count() == result["articles"] >= 40
    assert CallbackTask.objects.filter(status="open").exists()  # today's messages wait in the queue


def test_the_demo_is_skipped_without_the_demo_accounts():
    pingdingshan()
    assert hotline_demo_seed(seed=1) == {"calls": 0}
    assert not WorkOrder.objects.exists()
