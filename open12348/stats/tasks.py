"""The summary tables' jobs: a sweep every minute keeps them current; a nightly rebuild and check
proves them (and repairs any drift, which the check reports first)."""

from __future__ import annotations

import logging

from celery import shared_task

from .services import stats_check, stats_rebuild, stats_sweep
from .sources import SOURCES

log = logging.getLogger(__name__)


@shared_task(name="stats.sweep", acks_late=True)
def sweep() -> dict[str, int]:
    return stats_sweep()


@shared_task(name="stats.check_and_rebuild", acks_late=True)
def check_and_rebuild() -> dict[str, int]:
    differences = {}
    for name in SOURCES:
        result = stats_check(source=name)
        differences[name] = len(result.differences)
        if not result.ok:
            log.error("stats: %s differs from its records in %d cells; rebuilding: %s", name,
                      len(result.differences), "; ".join(result.differences[:10]))
            stats_rebuild(source=name)
    return differences
