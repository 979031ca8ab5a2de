"""The SMS provider of the Celery fault test: slow enough to kill a worker in the middle of a send."""

from __future__ import annotations

import os
import time
from pathlib import Path

from open12348.notifications.backends import MessageBackend


class SlowSmsBackend(MessageBackend):
    """An SMS provider that takes FAULTS_SEND_SECONDS to answer, noting each hand-over in FAULTS_SEND_LOG."""

    def send(self, message) -> None:
        log = Path(os.environ["FAULTS_SEND_LOG"])
        with log.open("a") as handle:
            handle.write(f"start {message.pk} {os.getpid()}\n")
        time.sleep(float(os.environ.get("FAULTS_SEND_SECONDS", "0")))
        with log.open("a") as handle:
            handle.write(f"done {message.pk} {os.getpid()}\n")
