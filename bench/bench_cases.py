"""How the case list and the case timeline cost grow from 10,000 to 1,000,000 cases (PostgreSQL).

    .venv/bin/python bench/bench_cases.py [--rebuild] [--requests 60] [--sizes 10000,1000000]

For each size it keeps a PostgreSQL database `bench_cases_10k` / `bench_cases_1m` on
BENCH_POSTGRES_URL's server (created, migrated and filled with `seed_demo --scale province
--cases N` in child processes the first time, or with --rebuild; reused while it holds exactly N
cases). Then a child process with DATABASE_URL pointing at it times, in-process (Django's test
Client with force_login, no HTTP server), interleaved round by round so that a slow moment hits
every row alike:

- `SELECT 1` through Django's cursor: the baseline;
- the case list page for a county reviewer (prov_reviewer, 中原区) and for the province
  administrator (prov_admin, filtered by status=in_progress, and unfiltered), and the first two
  through the selector
  (`case_list_visible_to(...)[:20]` evaluated with its related rows);
- one case's page (its timeline, progress and closing panels), and its timeline query alone
  (`CaseEvent.objects.filter(case=...).order_by("at", "id")`).

It prints median and p95 ms per size, each median's ratio to the baseline, and the ratio 1M/10k.
Nothing passes or fails on time: read the ratios. The seed's time is printed when it ran.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

from _common import (
    POSTGRES_ADMIN_URL,
    PYTHON,
    ROOT,
    django_env,
    manage,
    median,
    percentile,
    postgres_recreate,
    postgres_url,
)

SETTINGS = "bench_settings"
NAMES = {10_000: "bench_cases_10k", 1_000_000: "bench_cases_1m"}
ROWS = (
    ("select1", "SELECT 1 (baseline)"),
    ("list_county_page", "case list page, county reviewer"),
    ("list_province_page", "case list page, province, status=in_progress"),
    ("list_province_all_page", "case list page, province, no filter"),
    ("list_county_selector", "case_list_visible_to[:20], county"),
    ("list_province_selector", "case_list_visible_to[:20], province, in_progress"),
    ("case_page", "one case's page (timeline)"),
    ("timeline_query", "CaseEvent.filter(case).order_by(at)"),
)


def database_name(size: int) -> str:
    return NAMES.get(size, f"bench_cases_{size}")


def case_count(database: str) -> int | None:
    """Cases in the database, or None if it does not exist or is not migrated."""
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone() is None:
            return None
    try:
        with psycopg.connect(postgres_url(database), autocommit=True) as conn:
            return conn.execute("SELECT count(*) FROM legalaid_case").fetchone()[0]
    except psycopg.Error:
        return None


def build(size: int, *, rebuild: bool) -> float | None:
    """Make sure the database holds `size` cases; returns the seed's seconds if it ran."""
    database = database_name(size)
    if not rebuild and case_count(database) == size:
        print(f"{database}: reusing ({size:,} cases)", flush=True)
        return None
    print(f"{database}: creating, migrating and seeding {size:,} cases …", flush=True)
    url = postgres_recreate(database)
    env = django_env(database_url=url, settings=SETTINGS)
    manage("migrate", "--verbosity", "0", env=env)
    started = time.perf_counter()
    output = manage("seed_demo", "--scale", "province", "--cases", str(size), env=env)
    seconds = time.perf_counter() - started
    print(output.strip().splitlines()[-1], flush=True)
    print(f"{database}: seed_demo --scale province --cases {size} took {seconds:.1f} s (whole child process)",
          flush=True)
    return seconds


# --- the child: timings inside Django ------------------------------------------------------------


def worker(requests: int) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from open12348.accounts.models import User
    from open12348.legalaid.models import Case, CaseEvent
    from open12348.legalaid.province import AS_OF, COUNTY_USER, PROVINCE_USER
    from open12348.legalaid.selectors_cases import case_list_visible_to

    county, province = User.objects.get(username=COUNTY_USER), User.objects.get(username=PROVINCE_USER)
    clients = {}
    for name, user in (("county", county), ("province", province)):
        clients[name] = Client(HTTP_HOST="localhost")  # an allowed host: "testserver" is not
        clients[name].force_login(user)
    # A case with a full timeline in the county: what a reviewer opens most.
    case = (case_list_visible_to(user=county, filters={"status": "subsidy_paid"}, today=AS_OF)
            .order_by("-assigned_at").first())
    try:
        list_url, case_url = reverse("cases:list"), reverse("cases:detail", args=[case.pk])
    except NoReverseMatch:  # the screens are not routed yet: time the selectors only
        list_url = case_url = None

    def select1():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    def page(client, url, **params):
        def run():
            response = clients[client].get(url, params)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
        return run

    def selector(user, filters):
        def run():
            rows = list(case_list_visible_to(user=user, filters=filters, today=AS_OF)[:20])
            # the related rows the list shows: a missing select_related would show up as extra queries here
            return [(r.application.applicant.name, r.lawyer and r.lawyer.name, r.centre.name) for r in rows]
        return run

    def timeline():
        list(CaseEvent.objects.filter(case=case).order_by("at", "id"))

    tasks = {"select1": select1, "list_county_selector": selector(county, {}),
             "list_province_selector": selector(province, {"status": "in_progress"}),
             "timeline_query": timeline}
    if list_url:
        tasks.update(list_county_page=page("county", list_url),
                     list_province_page=page("province", list_url, status="in_progress"),
                     list_province_all_page=page("province", list_url),
                     case_page=page("county", case_url))
    for task in tasks.values():  # warm caches and connections: the first call is not a sample
        task()
    samples: dict[str, list[float]] = {name: [] for name in tasks}
    for _round in range(requests):
        for name, task in tasks.items():
            started = time.perf_counter()
            task()
            samples[name].append((time.perf_counter() - started) * 1000)
    print(json.dumps({"cases": Case.objects.count(), "events": CaseEvent.objects.count(), "case": case.pk,
                      "samples": samples}))


def measure(size: int, requests: int) -> dict:
    done = subprocess.run(  # noqa: S603
        [PYTHON, __file__, "--worker", "--requests", str(requests)],
        cwd=ROOT, env=django_env(database_url=postgres_url(database_name(size)), settings=SETTINGS),
        capture_output=True, text=True,
    )
    if done.returncode:
        raise SystemExit(f"the timing child failed on {database_name(size)}:\n{done.stdout}{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(results: dict[int, dict], seeds: dict[int, float | None]) -> None:
    sizes = sorted(results)
    for size in sizes:
        data = results[size]
        seed = f", seeded in {seeds[size]:.0f} s" if seeds.get(size) else ""
        print(f"\n{size:,} cases ({data['events']:,} case events{seed})")
        base = median(data["samples"]["select1"])
        print(f"  {'':50} {'median ms':>10} {'p95 ms':>8} {'× SELECT 1':>11}")
        for key, label in ROWS:
            values = data["samples"].get(key)
            if not values:
                continue
            print(f"  {label:50} {median(values):10.2f} {percentile(values, 0.95):8.2f} {median(values) / base:11.1f}")
    if len(sizes) >= 2:
        small, large = sizes[0], sizes[-1]
        print(f"\nratio of medians, {large:,} / {small:,} cases")
        for key, label in ROWS:
            a, b = results[small]["samples"].get(key), results[large]["samples"].get(key)
            if a and b:
                print(f"  {label:50} {median(b) / median(a):6.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--requests", type=int, default=60, help="samples per row and size (default 60)")
    parser.add_argument("--rebuild", action="store_true", help="drop and seed the databases again")
    parser.add_argument("--sizes", default="10000,1000000", help="comma-separated case counts")
    parser.add_argument("--build-only", action="store_true", help="build the databases, measure nothing")
    args = parser.parse_args()
    if args.worker:
        worker(args.requests)
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    seeds = {size: build(size, rebuild=args.rebuild) for size in sizes}
    if args.build_only:
        return 0
    results = {size: measure(size, args.requests) for size in sizes}
    report(results, seeds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
