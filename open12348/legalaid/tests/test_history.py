"""The city's history since 2019 adds up to the figures asked for, exactly, through the dashboard's own
tallies."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from open12348.legalaid.history import legalaid_history_seed
from open12348.legalaid.models import Application, Case
from open12348.legalaid.tests.factories import centre_setup
from open12348.legalaid.tests.test_cases_fixtures import lawyer
from open12348.network.choices import InstitutionKind
from open12348.network.tests.factories import InstitutionFactory, staff_in
from open12348.stats.selectors import Period, legal_aid_figures
from open12348.stats.services import stats_check, stats_sweep

pytestmark = pytest.mark.django_db

SMALL = {"cases": 160, "criminal": 97, "recovered": Decimal("1234567"), "migrant_cases": 20, "migrant_people": 27,
         "migrant_recovered": Decimal("456789")}


def test_the_history_adds_up_to_the_figures_exactly():
    world = centre_setup()
    for county in ("weidong", "xinhua"):
        firm = InstitutionFactory(kind=InstitutionKind.LAW_FIRM, region=world["regions"][county])
        for n in range(3):
            lawyer(firm, name=f"律师{county}{n}")
    counts = legalaid_history_seed(seed=7, figures=SMALL)
    assert counts["case"] == 160 and Case.objects.count() == 160
    stats_sweep()
    leader = staff_in(world["regions"]["city"], role="leader")
    f = legal_aid_figures(user=leader, period=Period(dt.date(2019, 1, 1), dt.date(2026, 12, 31)))
    assert (f["cases"], f["criminal_cases"], f["migrant_worker_cases"], f["migrant_workers_aided"]) == (160, 97, 20, 27)
    assert f["amount_recovered"] == SMALL["recovered"]
    assert f["migrant_worker_amount_recovered"] == SMALL["migrant_recovered"]
    # every case was received between 2019 and mid-2025, in both counties, with its own number
    received = Application.objects.values_list("received_at", flat=True)
    assert min(received).year == 2019 and max(received) < dt.datetime(2025, 7, 1, tzinfo=dt.UTC)
    assert set(Case.objects.values_list("region__code", flat=True)) == {"410402", "410403"}
    assert Application.objects.values("number").distinct().count() == 160
    assert all(stats_check(source=name).ok for name in ("legalaid.application", "legalaid.case"))

