"""PostgreSQL restarts while applications are being registered: no half-written application, the
requests caught in the restart fail with a database error (nothing else), and writes work again
within seconds on the same, long-lived process (persistent connections with health checks)."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import pytest
from django.conf import settings

from .servers import django_env, stop_process

pytestmark = [pytest.mark.slow, pytest.mark.fault]

RECOVERY_LIMIT_SECONDS = 5.0


class Writer:
    """`support.py write` in a subprocess, its JSON lines collected as they come."""

    def __init__(self, url: str, stop_file) -> None:
        self.stop_file = stop_file
        self.lines: list[dict] = []
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "open12348.ops.tests.faults.support", "write", "60", str(stop_file)],
            env=django_env(database_url=url), cwd=settings.BASE_DIR, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True,
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            if line.startswith("{"):
                self.lines.append(json.loads(line))

    def wait_for_successes(self, count: int, *, after: float = 0.0, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if sum(1 for line in self.lines if line["ok"] and line["t"] > after) >= count:
                return
            if self.process.poll() is not None:
                raise AssertionError(f"the writer stopped: {self.process.stderr.read()[-3000:]}")
            time.sleep(0.05)
        raise AssertionError(f"fewer than {count} writes succeeded after {after} within {timeout} s: "
                             f"{self.lines[-5:]}")

    def finish(self) -> list[dict]:
        self.stop_file.touch()
        try:
            self.process.wait(timeout=30)
        finally:
            stop_process(self.process)
        self.reader.join(timeout=5)
        return self.lines


def test_a_restart_under_writes_leaves_only_whole_applications_and_recovers_in_seconds(pg_database, tmp_path):
    pg, name, url, _world = pg_database
    before = int(pg.psql(name, "SELECT count(*) FROM legalaid_application"))
    writer = Writer(url, tmp_path / "stop")
    try:
        writer.wait_for_successes(5)
        restart_began = time.time()
        pg.restart()
        restart_done = time.time()
        writer.wait_for_successes(5, after=restart_done)
    finally:
        lines = writer.finish()

    ok = [line for line in lines if line["ok"]]
    failed = [line for line in lines if not line["ok"]]
    assert not [line for line in failed if line.get("unexpected")], failed
    assert {line["error"] for line in failed} <= {"OperationalError", "InterfaceError"}
    # The restart hit the load: writes committed on both sides of it.
    assert any(line["t"] < restart_began for line in ok) and any(line["t"] > restart_done for line in ok)
    first_after = min(line["t"] for line in ok if line["t"] > restart_done)
    recovery = first_after - restart_done
    print(f"\npostgres restart: {len(ok)} writes ok, {len(failed)} failed; restart took "
          f"{restart_done - restart_began:.2f} s, first write after it {recovery:.2f} s later")
    assert recovery < RECOVERY_LIMIT_SECONDS

    # Every application has its applicant, its "received" event and its audit row: none is half-written.
    incomplete = pg.psql(name, """
        SELECT a.id FROM legalaid_application a
        LEFT JOIN legalaid_person p ON p.id = a.applicant_id
        WHERE p.id IS NULL
           OR NOT EXISTS (SELECT 1 FROM legalaid_applicationevent e WHERE e.application_id = a.id
                          AND e.kind = 'received')
           OR NOT EXISTS (SELECT 1 FROM audit_auditevent x WHERE x.action = 'legalaid.application.create'
                          AND x.object_id = a.id::text)
    """)
    assert incomplete == ""
    # Every write reported done is there; a failed one is there only if its commit landed before the
    # connection dropped (then it is whole too, and a retry with its key returns it).
    stored = dict(line.split("|") for line in pg.psql(
        name, "SELECT idempotency_key, id FROM legalaid_application WHERE idempotency_key LIKE 'load-%'").splitlines())
    assert all(stored.get(line["key"]) == str(line["id"]) for line in ok)
    assert len(stored) - len(ok) <= len(failed)
    assert int(pg.psql(name, "SELECT count(*) FROM legalaid_application")) == before + len(stored)
    numbers = pg.psql(name, "SELECT count(DISTINCT number) = count(*) FROM legalaid_application")
    assert numbers == "t"
