"""Run every benchmark once: `.venv/bin/python bench/run_all.py [--postgres] [--quick]`.

Each script prints its own medians and ratios; see bench/README.md for how to read them.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

from _common import BENCH_DIR, PYTHON, ROOT


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", action="store_true", help="also time the seed on PostgreSQL")
    parser.add_argument("--quick", action="store_true", help="fewer samples (a smoke run, noisier numbers)")
    args = parser.parse_args()
    seed = [PYTHON, str(BENCH_DIR / "bench_seed.py"), "--repeat", "1" if args.quick else "3"]
    if args.postgres:
        seed.append("--postgres")
    directory = [PYTHON, str(BENCH_DIR / "bench_directory.py")]
    if args.quick:
        directory += ["--requests", "40", "--rounds", "2"]
    eligibility = [PYTHON, str(BENCH_DIR / "bench_eligibility.py")]
    if args.quick:
        eligibility += ["--calls", "40000", "--runs", "2"]
    commands = [seed, directory, eligibility]
    if (BENCH_DIR / "bench_precheck.py").exists():
        commands.append([PYTHON, str(BENCH_DIR / "bench_precheck.py")] + (["--quick"] if args.quick else []))
    commands.append([PYTHON, str(BENCH_DIR / "bench_hotline.py")] + (["--quick"] if args.quick else []))
    failed = 0
    for command in commands:
        failed |= subprocess.run(command, cwd=ROOT).returncode  # noqa: S603
    return failed


if __name__ == "__main__":
    sys.exit(main())
