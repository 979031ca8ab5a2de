"""A Celery worker is killed (SIGKILL: no chance to clean up) in the middle of sending an SMS. With
late acknowledgement the broker gives the task to the next worker, which sends it; the message ends
up sent once, with one attempt and one audit row, because the first try's transaction died with it."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest
from celery import Celery
from django.conf import settings

from .servers import django_env, stop_process

pytestmark = [pytest.mark.slow, pytest.mark.fault]

VISIBILITY_TIMEOUT = 2


def start_worker(url: str, broker: str, send_log, *, send_seconds: float) -> subprocess.Popen:
    env = django_env(database_url=url, CELERY_BROKER_URL=broker, JOBS_BACKEND="celery",
                     FAULTS_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT), FAULTS_SEND_LOG=str(send_log),
                     FAULTS_SEND_SECONDS=str(send_seconds))
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--without-heartbeat",
         "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
        env=env, cwd=settings.BASE_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )


def wait_until(condition, *, timeout: float, what: str, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the worker exited before {what}: {process.stderr.read()[-3000:]}")
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_task_killed_mid_send_runs_again_and_sends_once(pg_database, private_redis, tmp_path):
    pg, name, url, world = pg_database
    message = world["message"]
    send_log = tmp_path / "sends.log"
    send_log.touch()

    def message_state() -> str:
        return pg.psql(name, f"SELECT status, attempts FROM notifications_outboundmessage WHERE id = {int(message)}")  # noqa: S608

    first = start_worker(url, private_redis.url, send_log, send_seconds=120)
    second = None
    try:
        # What core.jobs.enqueue does in production: the task by name, the message id as its argument.
        Celery(broker=private_redis.url).send_task("notifications.send_message", args=[message])
        wait_until(lambda: "start" in send_log.read_text(), timeout=60, what="the first send", process=first)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        assert message_state() == "queued|0"  # the first attempt's transaction died with the worker

        killed_at = time.monotonic()
        second = start_worker(url, private_redis.url, send_log, send_seconds=0)
        wait_until(lambda: message_state().startswith("sent"), timeout=60, what="the redelivered send",
                   process=second)
        print(f"\nworker killed: the task ran again {time.monotonic() - killed_at:.1f} s later "
              f"(visibility timeout {VISIBILITY_TIMEOUT} s)")
    finally:
        stop_process(first, sig=signal.SIGKILL)
        stop_process(second, sig=signal.SIGKILL)  # its work is done; a warm shutdown only costs seconds

    sends = send_log.read_text().split("\n")
    assert [line.split()[0] for line in sends if line] == ["start", "start", "done"]
    assert sends[0].split()[2] == str(first.pid) and sends[1].split()[2] != str(first.pid)
    assert message_state() == "sent|1"
    audit = pg.psql(name, f"SELECT action FROM audit_auditevent WHERE object_id = '{int(message)}' "  # noqa: S608
                          "AND action LIKE 'notification.message_%' ORDER BY id")
    assert audit.splitlines() == ["notification.message_sent"]
