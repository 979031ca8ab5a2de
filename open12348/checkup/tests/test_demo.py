"""The demo check-ups: 250 enterprises visited through the services, valid credit codes, reports,
follow-ups and a handful of green channel applications to the 卫东区 centre."""

import pytest

from open12348.checkup.credit_code import credit_code_is_valid
from open12348.checkup.demo import CAMPAIGN_NAME, checkup_demo_seed
from open12348.checkup.models import Campaign, Enterprise, NamedWorker, Visit
from open12348.legalaid.models import Application
from open12348.network.choices import InstitutionKind
from open12348.network.tests.factories import InstitutionFactory, PractitionerFactory

from .factories import member, world

pytestmark = pytest.mark.django_db


def test_the_demo_visits_250_enterprises_and_sends_a_few_claims_to_legal_aid():
    data = world()
    Campaign.objects.all().delete()  # the world's own campaign
    regions = data["regions"]
    member("admin", data["city_bureau"], "bureau_admin", "郑伟")
    member("director", data["centre"], "director", "周慧")
    member("station", data["office"], "station_staff", "韩梅")
    firm = InstitutionFactory(kind=InstitutionKind.LAW_FIRM, name="河南中兴律师事务所", region=regions["xinhua"])
    PractitionerFactory(kind="lawyer", name="李秀英", institution=firm)

    counts = checkup_demo_seed(seed=12348)

    campaign = Campaign.objects.get(name=CAMPAIGN_NAME)
    visited = Visit.objects.filter(campaign=campaign).exclude(status="planned")
    assert visited.values("enterprise").distinct().count() == 250 == counts["visits"]
    assert Visit.objects.filter(campaign=campaign, status="planned").count() == counts["planned"] == 8
    assert all(credit_code_is_valid(c) for c in Enterprise.objects.values_list("credit_code", flat=True))
    assert len(set(Enterprise.objects.values_list("name", flat=True))) == Enterprise.objects.count()
    assert set(visited.values_list("region__parent__code", flat=True)) == {"410402", "410403"}
    assert visited.filter(status="followed_up").count() == counts["follow_ups"] > 0
    assert visited.exclude(report_number="").count() == counts["reports"] > 150
    assert NamedWorker.objects.count() == counts["workers_named"] > counts["applications"]
    applications = Application.objects.filter(channel="checkup")
    assert applications.count() == counts["applications"] > 0
    assert all(a.priority and a.centre == data["centre"] for a in applications)
    assert checkup_demo_seed(seed=12348) == {"visits": 0}  # once only
