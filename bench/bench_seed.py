"""How long `seed_demo --scale city` takes on a fresh database, and where the time goes.

    .venv/bin/python bench/bench_seed.py [--repeat 3] [--postgres] [--seed 12348]

Each sample migrates a fresh database (not timed), then times, in one child process with the
settings `make run` uses (config.settings.local): building the plan (pure Python), the whole
`demo_seed` (plan + writes + demo accounts), and one password hash. It prints the median of the
samples in seconds and, from the same runs, the shares of the total spent planning, writing and
hashing the 14 demo passwords. Nothing passes or fails on absolute time.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

from _common import (
    PYTHON,
    ROOT,
    django_env,
    fresh_sqlite,
    median,
    postgres_drop,
    postgres_recreate,
    sqlite_url,
)

PG_DATABASE = "bench_open12348"


def worker(seed: int) -> None:
    """Runs inside the child: migrate, then time the plan, the seed and one password hash."""
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    from open12348.accounts.models import User
    from open12348.network.demo import DEMO_PASSWORD, demo_plan, demo_seed

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    demo_plan(seed=seed)
    plan_seconds = time.perf_counter() - started
    started = time.perf_counter()
    result = demo_seed(seed=seed)
    seed_seconds = time.perf_counter() - started
    started = time.perf_counter()
    make_password(DEMO_PASSWORD)
    hash_seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "plan": plan_seconds,
                "seed": seed_seconds,
                "hash": hash_seconds,
                "accounts": User.objects.count(),
                "counts": result.counts,
            }
        )
    )


def sample(database_url: str, seed: int) -> dict:
    started = time.perf_counter()
    done = subprocess.run(  # noqa: S603
        [PYTHON, __file__, "--worker", "--seed", str(seed)],
        cwd=ROOT,
        env=django_env(database_url=database_url),
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process"] = time.perf_counter() - started
    return result


def report(label: str, samples: list[dict]) -> dict:
    seed = median([s["seed"] for s in samples])
    plan = median([s["plan"] for s in samples])
    hashing = median([s["hash"] * s["accounts"] for s in samples])
    counts = samples[0]["counts"]
    rows = (
        counts["regions"]
        + sum(v for k, v in counts.items() if k.startswith("points_"))
        + counts["institutions"]
        + counts["practitioners"]
    )
    print(f"\n== seed_demo --scale city on {label}: {len(samples)} sample(s), fresh database each ==")
    listed = ", ".join(f"{s['seed']:.2f}" for s in samples)
    print(f"  seed_demo (median)            {seed:7.2f} s   (samples: {listed})")
    print(
        f"  whole command incl. start-up  {median([s['process'] for s in samples]):7.2f} s   (includes migrate)"
    )
    print(f"  of which: planning            {plan / seed:7.1%}   ({plan:.2f} s, pure Python, no database)")
    print(
        f"            password hashing    {hashing / seed:7.1%}   ({samples[0]['accounts']} demo accounts, PBKDF2)"
    )
    print(f"            writing the rest    {(seed - plan - hashing) / seed:7.1%}")
    print(f"  main rows written             {rows:7d}     ({rows / seed:,.0f} rows/s overall)")
    print(
        f"  counts: institutions={counts['institutions']} practitioners={counts['practitioners']} "
        f"stations={counts['points_station']} rooms={counts['points_room']} "
        f"workstations={counts['points_aid_workstation']}"
    )
    return {
        "label": label,
        "seed_seconds": seed,
        "plan_seconds": plan,
        "samples": [s["seed"] for s in samples],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3, help="samples per database (default 3)")
    parser.add_argument("--seed", type=int, default=12348)
    parser.add_argument(
        "--postgres",
        action="store_true",
        help=f"also seed a fresh PostgreSQL database {PG_DATABASE!r} (created and dropped)",
    )
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.seed)
        return
    results = []
    samples = []
    for _n in range(args.repeat):
        path = fresh_sqlite("seed.sqlite3")
        samples.append(sample(sqlite_url(path), args.seed))
    results.append(report("SQLite (var/bench/seed.sqlite3)", samples))
    if args.postgres:
        samples = []
        try:
            for _n in range(args.repeat):
                samples.append(sample(postgres_recreate(PG_DATABASE), args.seed))
        finally:
            postgres_drop(PG_DATABASE)
        results.append(report(f"PostgreSQL ({PG_DATABASE})", samples))
    if len(results) == 2:
        print(
            f"\n  PostgreSQL / SQLite seed time: {results[1]['seed_seconds'] / results[0]['seed_seconds']:.2f}x"
        )


if __name__ == "__main__":
    sys.exit(main())
