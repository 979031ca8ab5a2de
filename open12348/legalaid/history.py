"""The demo city's legal aid since 2019, in bulk, of the size and shape the seed reports.

The newspaper report the customer gave counts, since 2019: 6,906 cases accepted, 4,187 of them
criminal (60 %), 27.377 million yuan of losses recovered; 851 migrant workers' cases aiding 940
migrant workers and recovering 10.469 million yuan for them. `legalaid_history_seed` writes cases
that add up to exactly these figures, with the province generator's stories (province.py: each case
registered, granted or notified, assigned, run, closed, archived and paid as the workflow allows),
so that the dashboard computes the seed's numbers from records instead of showing typed-in ones.

The cases were received between 2019 and mid-2025 and have all run their course by the generator's
"today" (province.AS_OF), so they add history without filling today's queues and reminder lists.
"""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect_right
from decimal import Decimal
from itertools import accumulate

from django.db import connection, transaction
from django.db.models import Q

from open12348.audit.services import audit_record
from open12348.network.choices import InstitutionKind, PractitionerKind, RegionLevel
from open12348.network.models import Institution, Practitioner, Region

from .choices import CaseStatus
from .demo import CITY_CODE, centre_profiles
from .models import Application, Case, ClosingReport
from .province import CHUNK, SCENARIOS, TZ, Scenario, _Centre, _Generator, _Network, _settle, township_weights

SEED_FIGURES = {
    "cases": 6906,
    "criminal": 4187,
    "recovered": Decimal("27377000"),
    "migrant_cases": 851,
    "migrant_people": 940,
    "migrant_recovered": Decimal("10469000"),
}
FIRST = dt.datetime(2019, 1, 2, tzinfo=TZ)
LAST = dt.datetime(2025, 6, 30, tzinfo=TZ)
CLOSED_STATES = (CaseStatus.CLOSED, CaseStatus.RETURNED, CaseStatus.ARCHIVED, CaseStatus.SUBSIDY_PAID,
                 CaseStatus.EVALUATED)


def _centres(rng: random.Random) -> list[_Centre]:
    """The city's county-level legal aid centres, each with the lawyers of its county's firms."""
    centre_profiles()
    centres = []
    firms_lawyers = list(Practitioner.objects.filter(
        kind=PractitionerKind.LAWYER, institution__kind=InstitutionKind.LAW_FIRM,
    ).values_list("pk", "institution_id", "user_id", "institution__region__path"))
    for centre in (Institution.objects.filter(kind=InstitutionKind.LEGAL_AID_CENTRE, region__level=RegionLevel.COUNTY,
                                              region__path__contains=f"/{CITY_CODE}/")
                   .select_related("region", "region__parent", "aid_profile").order_by("region__code")):
        region = centre.region
        rows = list(Region.objects.filter(parent=region, level=RegionLevel.TOWNSHIP).order_by("code")
                    .values_list("pk", "code", "name"))
        townships = [name for _pk, _code, name in rows] or [region.name]
        residences, residence_weights = township_weights(rows)
        lawyers = [(p, f, u) for p, f, u, path in firms_lawyers if path.startswith(region.path)]
        centres.append(_Centre(
            id=centre.pk, region_id=region.pk, county=region.code, county_name=region.name,
            city_name=region.parent.name, prefix=centre.aid_profile.number_prefix, townships=townships,
            weight=rng.lognormvariate(0, 0.4) * (1.4 if region.name.endswith("区") else 1.0),
            lawyers=lawyers or [(p, f, u) for p, f, u, _path in firms_lawyers],
            residences=residences, residence_weights=residence_weights,
        ))
    return [c for c in centres if c.lawyers]


def _plan(rng: random.Random, f: dict) -> list[Scenario]:
    """Which scenario each case follows: exactly the seed's criminal and migrant-worker counts."""
    def pick(scenarios: list[Scenario], count: int) -> list[Scenario]:
        weights = list(accumulate(s.weight for s in scenarios))
        return [scenarios[bisect_right(weights, rng.random() * weights[-1])] for _i in range(count)]

    criminal = [s for s in SCENARIOS if s.category == "criminal"]
    migrant = [s for s in SCENARIOS if "migrant_worker" in s.groups]
    other = [s for s in SCENARIOS if s not in criminal and s not in migrant]
    plan = (pick(criminal, f["criminal"]) + pick(migrant, f["migrant_cases"])
            + pick(other, f["cases"] - f["criminal"] - f["migrant_cases"]))
    rng.shuffle(plan)
    return plan


class _CityGenerator(_Generator):
    def __init__(self, *, seed: int, network: _Network, plan: list[Scenario]) -> None:
        super().__init__(seed=seed, network=network, copy=connection.vendor == "postgresql")
        self.plan = iter(plan)

    def skeleton(self, total: int) -> list[int]:
        rng = random.Random(f"{self.seed}/city-skeleton")
        weights = list(accumulate(c.weight for c in self.centres))
        span = (LAST - FIRST).days
        keys = []
        for _i in range(total):
            day = int(span * rng.random() ** 0.9)
            seconds = day * 86_400 + 30_600 + rng.randint(0, 32_400)  # 8:30 to 17:30
            centre = min(bisect_right(weights, rng.random() * weights[-1]), len(self.centres) - 1)
            keys.append(seconds << 8 | centre)
        keys.sort()
        return keys

    def chunk(self, index: int, keys: list[int]) -> None:
        rng = random.Random(f"{self.seed}/city/{index}")
        for key in keys:
            received = FIRST.replace(hour=0) + dt.timedelta(seconds=key >> 8)
            self.case(rng, centre=self.centres[key & 0xFF], received=received, scenario=next(self.plan))


def _spread(rng: random.Random, reports: list[ClosingReport], total: Decimal) -> None:
    """Amounts in proportion to the generated ones (or random weights), in whole yuan, summing to `total`."""
    if not reports:
        return
    weights = [float(r.amount_recovered) or rng.uniform(0.2, 1.0) for r in reports]
    whole = sum(weights)
    for report, weight in zip(reports, weights, strict=True):
        report.amount_recovered = Decimal(int(float(total) * weight / whole))
    reports[-1].amount_recovered += total - sum(r.amount_recovered for r in reports)
    ClosingReport.objects.bulk_update(reports, ["amount_recovered"], batch_size=1000)


def _calibrate(rng: random.Random, case_ids: list[int], f: dict) -> None:
    """People and amounts to the seed's totals: a few migrant workers' cases aid two workers, and the
    recovered amounts are spread over the closed civil cases."""
    migrant = Q(pk__in=[])
    for scenario in SCENARIOS:
        if "migrant_worker" in scenario.groups:
            migrant |= Q(application__matter=scenario.matter, application__matter_subtype=scenario.subtype)
    cases = Case.objects.filter(pk__in=case_ids)
    migrant_ids = list(cases.filter(migrant).order_by("pk").values_list("pk", flat=True))
    twos = set(rng.sample(migrant_ids, f["migrant_people"] - len(migrant_ids)))
    Application.objects.filter(case__pk__in=migrant_ids).update(people_count=1)
    Application.objects.filter(case__pk__in=twos).update(people_count=2)
    ClosingReport.objects.filter(case__pk__in=migrant_ids).update(people_aided=1)
    ClosingReport.objects.filter(case__pk__in=twos).update(people_aided=2)
    closed = ClosingReport.objects.filter(case__pk__in=case_ids, case__status__in=CLOSED_STATES).order_by("pk")
    ClosingReport.objects.filter(case__pk__in=case_ids).exclude(case__status__in=CLOSED_STATES).update(
        amount_recovered=0)
    ClosingReport.objects.filter(case__pk__in=case_ids, case__category="criminal").update(amount_recovered=0)
    _spread(rng, list(closed.filter(case__pk__in=migrant_ids)), f["migrant_recovered"])
    _spread(rng, list(closed.filter(case__category="civil").exclude(case__pk__in=migrant_ids)),
            f["recovered"] - f["migrant_recovered"])


@transaction.atomic
def legalaid_history_seed(*, seed: int, figures: dict | None = None) -> dict[str, int]:
    """Write the city's legal aid since 2019 (see the module's note) adding up to `figures` (the seed's
    by default). Returns how many rows of each kind."""
    figures = figures or SEED_FIGURES
    rng = random.Random(f"{seed}/history")
    centres = _centres(rng)
    if not centres:
        return {"cases": 0}
    before = Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    generator = _CityGenerator(seed=seed, network=_Network(centres=centres, lawyers=0, firms=0, counts={}),
                               plan=_plan(rng, figures))
    total = figures["cases"]
    keys = generator.skeleton(total)
    for number, offset in enumerate(range(0, total, CHUNK)):
        generator.chunk(number, keys[offset: offset + CHUNK])
        generator.flush(None)
    case_ids = list(Case.objects.filter(pk__gt=before).values_list("pk", flat=True))
    _calibrate(rng, case_ids, figures)
    counts = {model._meta.model_name: table.written for model, table in generator.tables.items()}
    _settle(generator)
    audit_record(actor=None, action="legalaid.history_seed", object_type="legalaid.case",
                 extra={"seed": seed, "counts": counts})
    return counts
