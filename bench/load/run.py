"""Start a production-like stack on this machine, drive it with locust, pass or fail on errors and p95.

    .venv/bin/python bench/load/run.py                          # 50 users for 3 minutes
    .venv/bin/python bench/load/run.py --users 20,40,80,160     # step up; report the highest that holds
    .venv/bin/python bench/load/run.py --users 30 --duration 45s --workers 4

The stack: PostgreSQL database `load_open12348` (created and seeded with `seed_demo --scale city`
on the first run, kept afterwards; --reseed rebuilds it), gunicorn with --workers sync workers
(deploy/gunicorn.conf.py, the production file) under config.settings.loadtest (production settings,
DEBUG off, plain HTTP, rate limits lifted), Redis for the cache (db 12), a Celery worker on a Redis
broker (db 13) that delivers SMS codes to bench/load/sms_backend.py. The shared RabbitMQ is not
used, so that no other Celery worker on the machine takes the load test's tasks.

A step holds when failed requests are at most --max-error-percent (1 %) and the aggregated p95 is at
most --max-p95-ms (300 ms). With one user count the exit status is 0 if it held, 1 if not; when
stepping, the run stops at the first step that fails and exits 1 only if no step held.
Results (locust's CSV and a summary JSON) go to var/bench/load/.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
OUT = ROOT / "var" / "bench" / "load"
DATABASE = "load_open12348"
SERVER_URL = "postgres://postgres@127.0.0.1:5432"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stack_env(args) -> dict[str, str]:
    return {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.loadtest",
            "DATABASE_URL": f"{args.server}/{DATABASE}", "PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING"}


def manage(*argv: str, env: dict[str, str]) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *argv], cwd=ROOT, env=env, check=True)  # noqa: S603


def prepare_database(args, env: dict[str, str]) -> None:
    import psycopg

    with psycopg.connect(f"{args.server}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone()
        if exists and args.reseed:
            conn.execute(f'DROP DATABASE "{DATABASE}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE}"')
    started = time.monotonic()
    manage("migrate", "--noinput", "-v", "0", env=env)
    manage("seed_demo", "--scale", "city", "--if-empty", env=env)
    if args.reseed or not (ROOT / "var" / "static" / "staticfiles.json").exists():
        manage("collectstatic", "--noinput", "-v", "0", env=env)  # minutes on a busy machine: once
    print(f"database ready in {time.monotonic() - started:.0f} s")


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310  (localhost)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer in {seconds:.0f} s")


def start_stack(args, env: dict[str, str], port: int, metrics_dir: str) -> list[subprocess.Popen]:
    web_env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(args.workers),
               "PROMETHEUS_MULTIPROC_DIR": metrics_dir, "GUNICORN_MAX_REQUESTS": "0"}
    log = (OUT / "stack.log").open("w")
    processes = [
        subprocess.Popen([str(BIN / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "--access-logfile", "/dev/null",  # noqa: S603
                          "config.wsgi"], cwd=ROOT, env=web_env, stdout=log, stderr=subprocess.STDOUT),
        subprocess.Popen([str(BIN / "celery"), "-A", "config", "worker", "-P", "solo", "-Q", "celery",  # noqa: S603
                          "--loglevel", "WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
                         cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT),
    ]
    wait_until_up(f"http://127.0.0.1:{port}/readyz")
    return processes


def stop_stack(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def run_step(args, env: dict[str, str], port: int, users: int, sessions: Path) -> dict:
    prefix = OUT / f"u{users}"
    spawn_rate = args.spawn_rate or max(users / 10, 1)
    subprocess.run([str(BIN / "locust"), "-f", str(ROOT / "bench/load/locustfile.py"), "--headless",  # noqa: S603
                    "-u", str(users), "-r", str(spawn_rate), "-t", args.duration, "--csv", str(prefix),
                    "--host", f"http://127.0.0.1:{port}", "--only-summary", "--loglevel", "WARNING"],
                   cwd=ROOT, env={**env, "LOAD_STAFF_SESSIONS": str(sessions)}, check=False)
    with (prefix.parent / f"{prefix.name}_stats.csv").open() as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    total = rows["Aggregated"]
    requests, failures = int(total["Request Count"]), int(total["Failure Count"])
    error_percent = 100 * failures / requests if requests else 100.0
    p95 = float(total["95%"] if total["95%"] != "N/A" else "inf")
    slowest = sorted(((float(r["95%"]) if r["95%"] != "N/A" else 0, name) for name, r in rows.items()
                      if name != "Aggregated"), reverse=True)[:5]
    return {"users": users, "requests": requests, "failures": failures, "error_percent": round(error_percent, 2),
            "p50_ms": float(total["50%"]), "p95_ms": p95, "rps": round(float(total["Requests/s"]), 1),
            "held": requests > 0 and error_percent <= args.max_error_percent and p95 <= args.max_p95_ms,
            "slowest_p95": slowest}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", default="50", help="simulated users; a comma-separated list steps up")
    parser.add_argument("--spawn-rate", type=float, default=0, help="users started per second (default users/10)")
    parser.add_argument("--duration", default="3m", help="each step's length (locust -t)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--max-error-percent", type=float, default=1.0)
    parser.add_argument("--max-p95-ms", type=float, default=300.0)
    parser.add_argument("--reseed", action="store_true", help="drop and rebuild the scratch database")
    parser.add_argument("--server", default=os.environ.get("LOAD_POSTGRES", SERVER_URL),
                        help="PostgreSQL server URL without a database name")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    env = stack_env(args)
    prepare_database(args, env)
    sessions = OUT / "staff_sessions.json"
    subprocess.run([str(BIN / "python"), "bench/load/staff_sessions.py", str(sessions)],  # noqa: S603
                   cwd=ROOT, env=env, check=True)
    port = free_port()
    results = []
    with tempfile.TemporaryDirectory(prefix="open12348-prom-") as metrics_dir:
        processes = start_stack(args, env, port, metrics_dir)
        try:
            for users in (int(n) for n in args.users.split(",")):
                result = run_step(args, env, port, users, sessions)
                results.append(result)
                print(json.dumps(result, ensure_ascii=False))
                if not result["held"]:
                    break
        finally:
            stop_stack(processes)
    held = [r["users"] for r in results if r["held"]]
    summary = {"workers": args.workers, "duration": args.duration, "cpus": os.cpu_count(),
               "highest_users_held": max(held) if held else None, "steps": results}
    (OUT / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    print(f"highest user count that held (errors <= {args.max_error_percent} %, p95 <= {args.max_p95_ms:.0f} ms): "
          f"{summary['highest_users_held']}; details in {OUT / 'summary.json'}")
    return 0 if held else 1


if __name__ == "__main__":
    sys.exit(main())
