"""Eligibility engine throughput: evaluate() decisions per second on one core, against the 20,000/s target.

    .venv/bin/python bench/bench_eligibility.py [--calls 200000] [--runs 5] [--django [SETTINGS]]

Builds the default rule sets once (as the application does through RuleBook's cache), then times
`--runs` runs of `--calls` evaluate() calls over a fixed mix of scenarios (criminal notification,
exemptions, green channels, the economic test passing and failing, out of scope, three regions,
two dates). It prints the median decisions per second and its ratio to the target, and the same
for evaluate() + to_dict() (what the pre-check endpoint serialises). The process is pinned to one
CPU where the OS allows it. Nothing passes or fails on absolute time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET = 20_000


def _settings_for_labels(django_settings: str | None) -> None:
    """to_dict() renders lazy labels: through the project's Chinese catalogue with --django, else as
    the English source text (no settings module needed)."""
    from django.conf import settings

    if django_settings:
        os.environ["DJANGO_SETTINGS_MODULE"] = django_settings
        import django
        from django.utils import translation

        django.setup()
        translation.activate("zh-hans")
    elif not settings.configured:
        settings.configure(USE_I18N=False)


def scenarios():
    from open12348.core.idnumber import check_digit
    from open12348.legalaid.eligibility import Applicant, Facts, Household

    def ident(born: str, serial: str) -> str:
        first17 = f"410402{born}{serial}"
        return first17 + check_digit(first17)

    rich = Household(members=1, monthly_income=Decimal("100000"))
    poor = Household(members=3, monthly_income=Decimal("3000"))
    on, old = date(2026, 3, 2), date(2024, 6, 1)
    rows = [
        ("CR-N-MINOR", None, "410402", on, Applicant(id_number=ident("20120401", "001")), rich),
        ("CR-N-LIFE-DEATH", None, "410402", on, Applicant(), rich),
        ("CR-A-DEF", None, "410402", on, Applicant(id_number=ident("19660302", "001")), rich),
        ("CR-A-VICTIM", None, "410102", on, Applicant(sex="F"), poor),
        ("CV-05", "wages", "410402", on, Applicant(groups=frozenset({"migrant_worker"})), rich),
        ("CV-07", "traffic", "410402", on, Applicant(groups=frozenset({"migrant_worker"})), rich),
        ("CV-07", "traffic", "410102", on, Applicant(), rich),
        ("CV-04", None, "410402", on, Applicant(sex="F"), poor),
        ("CV-04", None, "410402", on, Applicant(), None),
        ("CV-02", None, "410402", on, Applicant(groups=frozenset({"social_assistance"})), rich),
        ("NM-04", None, "410402", on, Applicant(sex="F"), rich),
        ("PET-RETRIAL", None, "410402", on, Applicant(), poor),
        ("CV-OTHER", None, "410402", on, Applicant(groups=frozenset({"military_family"})), rich),
        ("CV-OTHER", None, "410402", old, Applicant(sex="F"), poor),
        ("CV-06", None, "110105", on, Applicant(groups=frozenset({"disabled"})), poor),
        ("CV-04", None, "410402", old, Applicant(), poor),
    ]
    return [Facts(matter=m, subtype=s, region_code=r, on=d, applicant=a, household=h) for m, s, r, d, a, h in rows]


def measure(pairs, calls: int, *, serialise: bool) -> float:
    from open12348.legalaid.eligibility import evaluate

    work = (pairs * (calls // len(pairs) + 1))[:calls]
    started = time.perf_counter()
    if serialise:
        for facts, ruleset in work:
            evaluate(facts, ruleset).to_dict()
    else:
        for facts, ruleset in work:
            evaluate(facts, ruleset)
    return calls / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=200_000, help="evaluate() calls per run")
    parser.add_argument("--runs", type=int, default=5, help="runs; the median is reported")
    parser.add_argument("--django", metavar="SETTINGS", nargs="?", const="config.settings.test",
                        help="set Django up with these settings and render labels in Chinese")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    _settings_for_labels(args.django)
    from open12348.legalaid.eligibility import default_rulebook

    build_started = time.perf_counter()
    book = default_rulebook()
    facts = scenarios()
    pairs = [(f, book.ruleset(f.region_code, f.on)) for f in facts]
    build_ms = (time.perf_counter() - build_started) * 1000
    rulesets = len({id(rs) for _, rs in pairs})

    measure(pairs, min(args.calls, 20_000), serialise=True)  # warm up
    plain = [measure(pairs, args.calls, serialise=False) for _ in range(args.runs)]
    with_dict = [measure(pairs, max(args.calls // 4, 1), serialise=True) for _ in range(args.runs)]
    print(f"eligibility engine: {len(facts)} scenarios over {rulesets} rule sets "
          f"(parsed and built in {build_ms:.1f} ms), {args.runs} runs")
    for label, samples in (("evaluate()", plain), ("evaluate() + to_dict()", with_dict)):
        rate = statistics.median(samples)
        print(f"  {label:<24} median {rate:>10,.0f} decisions/s  "
              f"(min {min(samples):,.0f}, max {max(samples):,.0f})  ratio to {TARGET:,}/s target: {rate / TARGET:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
