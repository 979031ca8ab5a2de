"""Prometheus metrics: request counts and latencies per view, and a few figures read at scrape time.

Two kinds of metric live here:

* Request metrics, written by `MetricsMiddleware` in every web worker process. With several
  gunicorn workers each process has its own counters; prometheus_client's multiprocess mode adds
  them up when the environment variable PROMETHEUS_MULTIPROC_DIR names a directory the workers
  share (it must exist, be empty at start-up and be set before Python starts: see
  deploy/gunicorn.conf.py and docs/deployment.md). Without it (one process, tests) the default
  registry is used.
* Operational figures (overdue legal aid applications, overdue callbacks, the Celery queue, the
  last audit chain check), computed by `OperationsCollector` when Prometheus scrapes, from the
  database and the broker. They are never stored in the workers, so they need no multiprocess care.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from open12348.audit.models import AuditEvent
from open12348.hotline.choices import CallbackStatus
from open12348.hotline.models import CallbackTask
from open12348.legalaid import workflow
from open12348.legalaid.models import Application

log = logging.getLogger(__name__)

# Buckets around the targets that matter: p95 under 300 ms for pages, a few seconds for exports.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 2.0, 5.0, 10.0)

REQUESTS = Counter(
    "open12348_http_requests_total", "HTTP requests answered, by view, method and status code.",
    ["view", "method", "status"],
)
LATENCY = Histogram(
    "open12348_http_request_duration_seconds", "Time from the first middleware to the response, by view and status.",
    ["view", "status"], buckets=LATENCY_BUCKETS,
)

UNRESOLVED_VIEW = "<unresolved>"  # 404s on no route, and requests refused before URL resolution


def view_label(request) -> str:
    """The URL name ("portal:verify"), never the path: paths carry ids and would explode the series."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return UNRESOLVED_VIEW
    return match.view_name or match._func_path


class MetricsMiddleware:
    """Counts and times every HTTP request. Put it first, so that the time includes the other middlewares."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        status = "500"  # an exception that escapes every handler becomes a 500 in the server
        try:
            response = self.get_response(request)
            status = str(response.status_code)
            return response
        finally:
            view = view_label(request)
            REQUESTS.labels(view=view, method=request.method, status=status).inc()
            LATENCY.labels(view=view, status=status).observe(time.perf_counter() - started)


# --- figures read at scrape time --------------------------------------------------------------------

def _legalaid_overdue(today) -> dict[str, int]:
    # The same definition as the reviewers' "overdue" queue (legalaid.selectors), split by stage.
    return Application.objects.aggregate(
        review=Count("id", filter=Q(status__in=workflow.REVIEW_OPEN, review_due__lt=today)),
        assignment=Count("id", filter=Q(status__in=workflow.AWAITING_ASSIGNMENT, assignment_due__lt=today,
                                        case__isnull=True)),
    )


def _callbacks_overdue(today) -> int:
    return CallbackTask.objects.filter(status=CallbackStatus.OPEN, due_on__lt=today).count()


def _last_chain_check():
    return (AuditEvent.objects.filter(action="audit.verify_chain").order_by("-id")
            .values("at", "extra").first())


def celery_queue_lengths(queues: tuple[str, ...] = ("celery",), timeout: float = 2.0) -> dict[str, int]:
    """Messages waiting in each Celery queue: a passive declare on RabbitMQ, LLEN on Redis (kombu does both)."""
    from kombu import Connection

    lengths = {}
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=timeout,
                    transport_options={"socket_timeout": timeout}) as connection:
        connection.ensure_connection(max_retries=1)
        channel = connection.default_channel
        for queue in queues:
            lengths[queue] = channel.queue_declare(queue=queue, passive=True).message_count
    return lengths


class OperationsCollector(Collector):
    """Figures staff would otherwise find by opening queues; each failure is reported, not raised."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        errors = GaugeMetricFamily("open12348_scrape_error", "1 when a figure below could not be read at this scrape.",
                                   labels=["figure"])
        today = timezone.localdate()
        try:
            overdue = _legalaid_overdue(today)
            family = GaugeMetricFamily(
                "open12348_legalaid_applications_overdue",
                "Open legal aid applications past their statutory deadline, by stage (review or assignment).",
                labels=["stage"])
            for stage, count in overdue.items():
                family.add_metric([stage], count)
            yield family
            errors.add_metric(["legalaid_overdue"], 0)
        except Exception:
            log.exception("metrics: overdue applications")
            errors.add_metric(["legalaid_overdue"], 1)
        try:
            yield GaugeMetricFamily("open12348_hotline_callbacks_overdue",
                                    "Open hotline callback tasks past their due day.", value=_callbacks_overdue(today))
            errors.add_metric(["callbacks_overdue"], 0)
        except Exception:
            log.exception("metrics: overdue callbacks")
            errors.add_metric(["callbacks_overdue"], 1)
        try:
            check = _last_chain_check()
            if check is not None:
                yield GaugeMetricFamily("open12348_audit_chain_last_check_timestamp_seconds",
                                        "When the audit log's hash chain was last verified (Unix time).",
                                        value=check["at"].timestamp())
                yield GaugeMetricFamily("open12348_audit_chain_intact",
                                        "1 if the last verification found the audit hash chain intact, else 0.",
                                        value=1 if (check["extra"] or {}).get("intact") else 0)
            errors.add_metric(["audit_chain"], 0)
        except Exception:
            log.exception("metrics: audit chain check")
            errors.add_metric(["audit_chain"], 1)
        if settings.JOBS_BACKEND == "celery" and getattr(settings, "METRICS_CELERY_QUEUES", ()):
            try:
                family = GaugeMetricFamily("open12348_celery_queue_length", "Messages waiting in a Celery queue.",
                                           labels=["queue"])
                for queue, length in celery_queue_lengths(tuple(settings.METRICS_CELERY_QUEUES)).items():
                    family.add_metric([queue], length)
                yield family
                errors.add_metric(["celery_queue"], 0)
            except Exception as exc:
                log.warning("metrics: celery queue length: %s", exc.__class__.__name__)
                errors.add_metric(["celery_queue"], 1)
        yield errors


class _ProcessRegistry(Collector):
    """The default registry's metrics (this process's requests, plus process and platform facts)."""

    def collect(self):
        yield from REGISTRY.collect()


def multiprocess_dir() -> str:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def scrape_registry() -> CollectorRegistry:
    """A registry for one scrape: every worker's request metrics, and the operational figures of now."""
    registry = CollectorRegistry(auto_describe=False)
    if multiprocess_dir():
        MultiProcessCollector(registry)
    else:
        registry.register(_ProcessRegistry())
    registry.register(OperationsCollector())
    return registry
