"""Running background jobs: on Celery in production, in a thread for `make run`, inline in tests."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.db import close_old_connections, transaction

log = logging.getLogger(__name__)
_executor: ThreadPoolExecutor | None = None


def _run_in_thread(task: Any, args: tuple) -> None:
    close_old_connections()
    try:
        task.apply(args=args)
    except Exception:  # the task records its own failure on its Job; this is a last resort
        log.exception("in-process job %s%r failed", getattr(task, "name", task), args)
    finally:
        close_old_connections()


def enqueue(task: Any, *args: Any) -> None:
    """Start `task(*args)` after the current transaction commits (ids only, never objects)."""

    def start() -> None:
        backend = settings.JOBS_BACKEND
        if backend == "eager":
            task.apply(args=args)
        elif backend == "thread":
            global _executor
            if _executor is None:
                _executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="job")
            _executor.submit(_run_in_thread, task, args)
        else:
            task.delay(*args)

    # robust: a broker outage after the data committed is logged, not turned into an error page;
    # the tasks' own sweeps (stalled messages, reminders) pick the work up later.
    transaction.on_commit(start, robust=True)
