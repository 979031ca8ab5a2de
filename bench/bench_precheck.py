"""Eligibility pre-check throughput, as a ratio to the trivial view on the same server.

    .venv/bin/python bench/bench_precheck.py [--requests 600] [--concurrency 4] [--rounds 5] [--quick]
                                             [--database-url URL] [--settings MODULE]

Uses the bench database of bench_directory.py (var/bench/directory.sqlite3, seeded with the demo
city if empty: the pre-check needs its regions), starts uvicorn (config.asgi:application) on a
free localhost port, then sends `--requests` POSTs to /api/v1/legal-aid/eligibility-check, cycling
through six realistic bodies, and as many GETs to /healthz (a view that only runs SELECT 1), from
`--concurrency` threads with the same urllib client, in interleaved rounds. It prints the median
and p95 latency, requests per second, and the ratios pre-check / trivial. Nothing passes or fails
on absolute time.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from _common import PYTHON, ROOT, VAR_BENCH, django_env, free_port, manage, median, percentile, sqlite_url
from bench_directory import wait_until_up

PRECHECK = "/api/v1/legal-aid/eligibility-check"
TRIVIAL = "/healthz"
BODIES = (
    # A migrant worker owed wages: exempt (EX-03) and the city's green channel (GC-MIGRANT).
    {"matter": "CV-05", "subtype": "wages", "region": "410402", "date": "2026-03-02",
     "applicant": {"groups": ["migrant_worker"]}},
    # A minor notified by the police: no economic condition (Art. 25).
    {"matter": "CR-N-MINOR", "region": "410403", "date": "2026-03-02",
     "applicant": {"birth_date": "2010-06-01", "sex": "M"}},
    # An ordinary contract dispute: out of scope.
    {"matter": "CV-OTHER", "region": "410411", "date": "2026-03-02",
     "household": {"members": 2, "monthly_income": "3000"}},
    # Maintenance without a household: economic review unknown.
    {"matter": "CV-04", "region": "410421", "date": "2026-03-02", "applicant": {"sex": "F"}},
    # Maintenance with the ID number (age and sex derived) and a household under the standard.
    {"matter": "CV-04", "region": "410482", "date": "2026-03-02",
     "applicant": {"id_number": "410403198503171236"}, "household": {"members": 4, "monthly_income": "3200"}},
    # An elderly applicant, traffic accident, household over the standard: GC-ELDERLY exempts.
    {"matter": "CV-07", "subtype": "traffic", "region": "410423", "date": "2026-03-02",
     "applicant": {"birth_date": "1955-08-08", "groups": ["social_assistance"]},
     "household": {"members": 1, "monthly_income": "9000"}},
)


@dataclass
class Samples:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0  # wall time of this URL's batches, for requests per second


def call(request: urllib.request.Request) -> tuple[float, int]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310  (localhost only)
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        exc.read()
        status = exc.code
    return (time.perf_counter() - started) * 1000, status


def requests_for(base: str, label: str, count: int, offset: int) -> list[urllib.request.Request]:
    if label == "trivial":
        return [urllib.request.Request(base + TRIVIAL) for _ in range(count)]  # noqa: S310  (localhost)
    bodies = itertools.islice(itertools.cycle(BODIES), offset, offset + count)
    return [urllib.request.Request(base + PRECHECK, data=json.dumps(body).encode(), method="POST",  # noqa: S310
                                   headers={"Content-Type": "application/json"}) for body in bodies]


def check_answers(base: str) -> None:
    """Each body must get a 200 with the §12 shape, or the numbers measure an error page."""
    for body in BODIES:
        request = requests_for(base, "precheck", 1, BODIES.index(body))[0]
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            answer = json.loads(response.read())
        if not {"in_scope", "economic_review", "eligible", "priority", "rules"} <= set(answer):
            raise SystemExit(f"unexpected pre-check answer for {body}: {answer}")


def measure(base: str, *, requests: int, concurrency: int, rounds: int) -> dict[str, Samples]:
    results = {"trivial": Samples(), "precheck": Samples()}
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        for label in results:  # warm-up: imports, the rule book cache, connections
            list(pool.map(call, requests_for(base, label, concurrency * 4, 0)))
        per_round = [requests // rounds + (1 if r < requests % rounds else 0) for r in range(rounds)]
        sent = 0
        for count in per_round:
            for label, samples in results.items():
                batch = requests_for(base, label, count, sent)
                started = time.perf_counter()
                for latency, status in pool.map(call, batch):
                    samples.latencies_ms.append(latency)
                    samples.statuses[status] = samples.statuses.get(status, 0) + 1
                samples.seconds += time.perf_counter() - started
            sent += count
    return results


def report(results: dict[str, Samples], *, concurrency: int, database: str) -> None:
    trivial, precheck = results["trivial"], results["precheck"]
    print(f"\n== eligibility pre-check vs trivial view ({database}), {concurrency} concurrent clients ==")
    print(f"  {'URL':44} {'median ms':>10} {'p95 ms':>9} {'req/s':>8}  responses")
    rows = (("trivial view GET /healthz", trivial), ("pre-check POST eligibility-check, 6 bodies", precheck))
    for label, samples in rows:
        statuses = ", ".join(f"{code}×{n}" for code, n in sorted(samples.statuses.items()))
        rate = len(samples.latencies_ms) / samples.seconds
        print(f"  {label:44} {median(samples.latencies_ms):10.1f} {percentile(samples.latencies_ms, 0.95):9.1f} "
              f"{rate:8.0f}  {statuses}")
    latency_ratio = median(precheck.latencies_ms) / median(trivial.latencies_ms)
    p95_ratio = percentile(precheck.latencies_ms, 0.95) / percentile(trivial.latencies_ms, 0.95)
    throughput_ratio = (len(precheck.latencies_ms) / precheck.seconds) / (len(trivial.latencies_ms) / trivial.seconds)
    print(f"  pre-check / trivial: median x{latency_ratio:.2f}, p95 x{p95_ratio:.2f}, "
          f"throughput x{throughput_ratio:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=600, help="requests per URL (default 600)")
    parser.add_argument("--concurrency", type=int, default=4, help="client threads (default 4)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (default 5)")
    parser.add_argument("--quick", action="store_true", help="120 requests per URL in 2 rounds (a smoke run)")
    parser.add_argument("--database-url", default=sqlite_url(VAR_BENCH / "directory.sqlite3"),
                        help="bench database (default: bench_directory's var/bench/directory.sqlite3)")
    parser.add_argument("--settings", default="bench_settings_precheck",
                        help="settings module for the server (default: bench/bench_settings_precheck.py, "
                        "bench_settings with the pre-check's rate limit lifted too)")
    args = parser.parse_args()
    if args.quick:
        args.requests, args.rounds = 120, 2

    VAR_BENCH.mkdir(parents=True, exist_ok=True)
    seed_env = django_env(database_url=args.database_url)
    manage("migrate", "--noinput", "-v", "0", env=seed_env)
    print(manage("seed_demo", "--scale", "city", "--if-empty", env=seed_env).strip())

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603
        [PYTHON, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1", "--port", str(port),
         "--lifespan", "off", "--log-level", "warning", "--no-access-log"],
        cwd=ROOT, env=django_env(database_url=args.database_url, settings=args.settings), start_new_session=True,
    )
    try:
        wait_until_up(base, server)
        check_answers(base)
        results = measure(base, requests=args.requests, concurrency=args.concurrency, rounds=args.rounds)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    report(results, concurrency=args.concurrency, database=args.database_url.rsplit("/", 1)[-1])


if __name__ == "__main__":
    sys.exit(main())
