"""Directory search latency over the demo city, as a ratio to the trivial view on the same server.

    .venv/bin/python bench/bench_directory.py [--requests 200] [--concurrency 4] [--rounds 5]
                                              [--database-url URL] [--settings MODULE]

Seeds the bench database if it is empty (default: var/bench/directory.sqlite3, kept between
runs), starts uvicorn (config.asgi:application) on a free localhost port in a child process,
then sends `--requests` GETs to each URL from `--concurrency` threads. The requests are spread
over `--rounds` interleaved rounds so that a slow moment of the machine hits every URL alike.
It prints the median and p95 latency of each URL and its ratio to /healthz (a view that only
runs SELECT 1) measured in the same run. Nothing passes or fails on absolute time.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from _common import (
    PYTHON,
    ROOT,
    VAR_BENCH,
    django_env,
    free_port,
    manage,
    median,
    percentile,
    sqlite_url,
)

URLS = (
    ("trivial view /healthz", "/healthz"),
    ("page  institutions q=wdz", "/directory/?q=wdz"),
    ("page  law firms in 新华区", "/directory/?region=410402&kind=law_firm"),
    ("page  people q=王德洲", "/directory/people/?q=王德洲"),
    ("api   practitioners q=wdz", "/api/v1/directory/practitioners?q=wdz"),
    ("api   institutions 4104 q=律师", "/api/v1/directory/institutions?region=4104&q=律师"),
)
PLACEHOLDER = b"todo"


@dataclass
class Samples:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    placeholder: bool = False
    size: int = 0


def fetch(url: str) -> tuple[float, int, bytes]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310  (localhost only)
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        body, status = exc.read(), exc.code
    return (time.perf_counter() - started) * 1000, status, body


def wait_until_up(base: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"uvicorn exited with {server.returncode}; see its output above")
        try:
            if fetch(base + "/healthz")[1] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("uvicorn did not answer /healthz in time")


def measure(base: str, *, requests: int, concurrency: int, rounds: int) -> dict[str, Samples]:
    results = {label: Samples() for label, _path in URLS}
    full = {label: base + urllib.parse.quote(path, safe="/?=&") for label, path in URLS}
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        for label, url in full.items():  # warm-up: first requests compile templates and fill caches
            for _latency, _status, body in pool.map(fetch, [url] * concurrency * 2):
                results[label].size = len(body)
                results[label].placeholder = body.strip() == PLACEHOLDER
        per_round = [requests // rounds + (1 if r < requests % rounds else 0) for r in range(rounds)]
        for count in per_round:
            for label, url in full.items():
                for latency, status, _body in pool.map(fetch, [url] * count):
                    samples = results[label]
                    samples.latencies_ms.append(latency)
                    samples.statuses[status] = samples.statuses.get(status, 0) + 1
    return results


def pad(text: str, width: int) -> str:
    """Left-align `text` in `width` terminal columns; Chinese characters take two."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(width - used, 0)


def report(results: dict[str, Samples], *, concurrency: int, database: str) -> None:
    trivial = median(next(iter(results.values())).latencies_ms)
    print(f"\n== directory latency over the demo city ({database}), {concurrency} concurrent clients ==")
    print(f"  {'URL':34} {'median ms':>10} {'p95 ms':>9} {'x trivial':>10}  responses")
    for label, samples in results.items():
        mid = median(samples.latencies_ms)
        p95 = percentile(samples.latencies_ms, 0.95)
        statuses = ", ".join(f"{code}×{n}" for code, n in sorted(samples.statuses.items()))
        note = "  PLACEHOLDER 'todo' page" if samples.placeholder else f"  {samples.size:,} bytes"
        print(f"  {pad(label, 34)} {mid:10.1f} {p95:9.1f} {mid / trivial:9.1f}x  {statuses}{note}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=200, help="requests per URL (default 200)")
    parser.add_argument("--concurrency", type=int, default=4, help="client threads (default 4)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (default 5)")
    parser.add_argument(
        "--database-url",
        default=sqlite_url(VAR_BENCH / "directory.sqlite3"),
        help="bench database (default: var/bench/directory.sqlite3; seeded if empty)",
    )
    parser.add_argument(
        "--settings",
        default="bench_settings",
        help="settings module for the server (default: bench/bench_settings.py, which is "
        "config.settings.local with DEBUG off and the public API rate limit lifted)",
    )
    args = parser.parse_args()

    VAR_BENCH.mkdir(parents=True, exist_ok=True)
    seed_env = django_env(database_url=args.database_url)
    manage("migrate", "--noinput", "-v", "0", env=seed_env)
    print(manage("seed_demo", "--scale", "city", "--if-empty", env=seed_env).strip())

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603
        [
            PYTHON,
            "-m",
            "uvicorn",
            "config.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--lifespan",
            "off",
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        cwd=ROOT,
        env=django_env(database_url=args.database_url, settings=args.settings),
        start_new_session=True,
    )
    try:
        wait_until_up(base, server)
        results = measure(base, requests=args.requests, concurrency=args.concurrency, rounds=args.rounds)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    database = args.database_url.rsplit("/", 1)[-1]
    report(results, concurrency=args.concurrency, database=database)


if __name__ == "__main__":
    sys.exit(main())
