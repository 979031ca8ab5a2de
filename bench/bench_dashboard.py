"""The decision dashboard at 10,000 and 1,000,000 cases (PostgreSQL): summary tables against the raw tables.

    .venv/bin/python bench/bench_dashboard.py [--requests 20] [--sizes 10000,1000000]

It uses bench_cases.py's databases (`bench_cases_10k`, `bench_cases_1m`: built the first time with
`seed_demo --scale province --cases N`, reused afterwards), migrates them, builds the summary
tables once (`stats_rebuild`, timed), and then times in a child process, round by round so that a
slow moment hits every row alike, as the province administrator (the whole province, since 2019):

- `SELECT 1` through Django's cursor (the baseline);
- the overview page `/dashboard/` and the legal aid page `/dashboard/legal-aid/` (server time:
  Django's test Client, no HTTP server), and `GET /api/v1/stats/overview`;
- the drill-down's first page for all cases and for the criminal cases;
- the same legal aid headline figures computed directly from the raw tables with GROUP BY
  (applications by outcome, cases by category with people, closing reports' amounts, migrant
  workers' cases): what the dashboard would cost without its summary tables.

It prints medians and p95 (ms), each median against SELECT 1, the direct GROUP BY against the
overview's own figures, and 1M/10k. The issue's bars: an overview or thematic page ≤ 150 ms, a
drill-down's first page ≤ 100 ms at a million cases. Nothing passes or fails here: read the numbers.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

from _common import PYTHON, ROOT, django_env, median, percentile, postgres_url
from bench_cases import SETTINGS, build, database_name

ROWS = (
    ("select1", "SELECT 1 (baseline)"),
    ("overview_page", "overview page /dashboard/"),
    ("legal_aid_page", "legal aid page /dashboard/legal-aid/"),
    ("api_overview", "GET /api/v1/stats/overview"),
    ("drill_all", "drill-down first page: all cases"),
    ("drill_criminal", "drill-down first page: criminal cases"),
    ("figures_tallies", "legal aid figures from the summary tables"),
    ("figures_direct", "the same figures by GROUP BY on the raw tables"),
)


def worker(requests: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count, Q, Sum
    from django.test import Client

    from open12348.accounts.models import User
    from open12348.legalaid.models import Application, Case, ClosingReport
    from open12348.legalaid.province import AS_OF, PROVINCE_USER
    from open12348.stats.models import Watermark
    from open12348.stats.selectors import Period, legal_aid_figures
    from open12348.stats.services import stats_rebuild

    call_command("migrate", verbosity=0)
    rebuilt = {}
    for source in ("legalaid.application", "legalaid.case", "hotline.workorder", "hotline.callback",
                   "mediation.dispute", "video.session"):
        mark = Watermark.objects.filter(source=source).first()
        if mark is None or mark.rebuilt_at is None:
            started = time.perf_counter()
            stats_rebuild(source=source)
            rebuilt[source] = round(time.perf_counter() - started, 1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE stats_tally")
    user = User.objects.get(username=PROVINCE_USER)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    period = Period(AS_OF.replace(year=2019, month=1, day=1), AS_OF)
    query = {"start": period.start.isoformat(), "end": period.end.isoformat()}
    start_dt, end_dt = f"{period.start}T00:00:00+08:00", f"{period.end}T23:59:59+08:00"

    def select1():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    def page(url, **params):
        def run():
            response = client.get(url, {**query, **params})
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
        return run

    def tallies():
        return legal_aid_figures(user=user, period=period)

    def direct():
        applications = Application.objects.filter(received_at__gte=start_dt, received_at__lte=end_dt)
        outcomes = list(applications.order_by().values("status", "decision").annotate(n=Count("id")))
        cases = Case.objects.filter(assigned_at__gte=start_dt, assigned_at__lte=end_dt)
        by_category = list(cases.order_by().values("category").annotate(
            n=Count("id"), people=Sum("application__people_count")))
        closed = ClosingReport.objects.filter(ended_on__gte=period.start, ended_on__lte=period.end).aggregate(
            n=Count("id"), amount=Sum("amount_recovered"))
        migrant = cases.filter(Q(application__groups__icontains='"migrant_worker"')).aggregate(
            n=Count("id"), people=Sum("application__people_count"))
        return outcomes, by_category, closed, migrant

    tasks = {
        "select1": select1,
        "overview_page": page("/dashboard/"),
        "legal_aid_page": page("/dashboard/legal-aid/"),
        "api_overview": page("/api/v1/stats/overview"),
        "drill_all": page("/dashboard/records/", metric="aid.case"),
        "drill_criminal": page("/dashboard/records/", metric="aid.case", a="criminal"),
        "figures_tallies": tallies,
        "figures_direct": direct,
    }
    for task in tasks.values():  # warm caches and connections: the first call is not a sample
        task()
    samples: dict[str, list[float]] = {name: [] for name in tasks}
    for _round in range(requests):
        for name, task in tasks.items():
            started = time.perf_counter()
            task()
            samples[name].append((time.perf_counter() - started) * 1000)
    figures = tallies()
    print(json.dumps({"cases": Case.objects.count(), "rebuilt": rebuilt, "samples": samples,
                      "figures": {k: figures[k] for k in ("cases", "criminal_cases", "people_aided")}}))


def measure(size: int, requests: int) -> dict:
    done = subprocess.run(  # noqa: S603
        [PYTHON, __file__, "--worker", "--requests", str(requests)],
        cwd=ROOT, env=django_env(database_url=postgres_url(database_name(size)), settings=SETTINGS),
        capture_output=True, text=True,
    )
    if done.returncode:
        raise SystemExit(f"the timing child failed on {database_name(size)}:\n{done.stdout}{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(results: dict[int, dict]) -> None:
    sizes = sorted(results)
    for size in sizes:
        data = results[size]
        rebuilt = ", ".join(f"{k} {v} s" for k, v in data["rebuilt"].items()) or "already built"
        print(f"\n{size:,} cases (summary tables: {rebuilt}); figures: {data['figures']}")
        base = median(data["samples"]["select1"])
        print(f"  {'':50} {'median ms':>10} {'p95 ms':>8} {'× SELECT 1':>11}")
        for key, label in ROWS:
            values = data["samples"][key]
            print(f"  {label:50} {median(values):10.2f} {percentile(values, 0.95):8.2f} {median(values) / base:11.1f}")
        direct, kept = median(data["samples"]["figures_direct"]), median(data["samples"]["figures_tallies"])
        print(f"  direct GROUP BY / summary tables: {direct / kept:.1f} ×")
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        print(f"\nratio of medians, {large:,} / {small:,} cases")
        for key, label in ROWS:
            print(f"  {label:50} {median(results[large]['samples'][key]) / median(results[small]['samples'][key]):6.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--requests", type=int, default=20, help="samples per row and size (default 20)")
    parser.add_argument("--sizes", default="10000,1000000", help="comma-separated case counts")
    args = parser.parse_args()
    if args.worker:
        worker(args.requests)
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    for size in sizes:
        build(size, rebuild=False)
    report({size: measure(size, args.requests) for size in sizes})
    return 0


if __name__ == "__main__":
    sys.exit(main())
