"""/metrics: refused without the token or an allowed address, counts requests, reports overdue work."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from open12348.audit.models import AuditEvent
from open12348.audit.services import audit_record
from open12348.legalaid import services as legalaid_services
from open12348.legalaid.models import Application
from open12348.legalaid.tests.factories import centre_setup, wage_claim

pytestmark = pytest.mark.django_db

TOKEN = "scrape-token-for-tests-0123456789"  # noqa: S105


@pytest.fixture
def closed_port() -> int:
    """A localhost port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def metrics_on(settings):
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_IPS = []
    settings.JOBS_BACKEND = "eager"  # no broker in the suite: the Celery queue figure is skipped


def scrape(client: Client, token: str | None = TOKEN, **extra):
    if token is not None:
        extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return client.get("/metrics", **extra)


def samples(response) -> dict[tuple[str, tuple], float]:
    parsed = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            parsed[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return parsed


def test_without_token_or_with_a_wrong_one_metrics_are_refused(client, metrics_on):
    for response in (scrape(client, token=None), scrape(client, token="wrong"), scrape(client, token=TOKEN[:-1])):
        assert response.status_code == 403
        assert b"open12348_" not in response.content
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Basic {TOKEN}").status_code == 403


def test_unconfigured_endpoint_does_not_exist(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = []
    assert scrape(client).status_code == 404


def test_with_the_token_metrics_are_served(client, metrics_on):
    response = scrape(client)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    text = response.content.decode()
    assert "# TYPE open12348_http_request_duration_seconds histogram" in text
    assert "open12348_legalaid_applications_overdue" in text
    assert "open12348_hotline_callbacks_overdue" in text
    assert "Cache-Control" in response and "no-cache" in response["Cache-Control"]


def test_an_allowed_address_needs_no_token(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8", "192.0.2.7"]
    settings.JOBS_BACKEND = "eager"
    assert scrape(client, token=None, REMOTE_ADDR="10.1.2.3").status_code == 200
    assert scrape(client, token=None, REMOTE_ADDR="192.0.2.7").status_code == 200
    assert scrape(client, token=None, REMOTE_ADDR="192.0.2.8").status_code == 403
    assert scrape(client, token=None, REMOTE_ADDR="127.0.0.1").status_code == 403


def test_a_forged_forwarding_header_does_not_pass_the_allow_list(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8"]
    settings.TRUST_X_REAL_IP = False
    response = scrape(client, token=None, REMOTE_ADDR="203.0.113.9", HTTP_X_REAL_IP="10.0.0.1",
                      HTTP_X_FORWARDED_FOR="10.0.0.1")
    assert response.status_code == 403


def test_a_request_is_counted_by_view_method_and_status(client, metrics_on):
    labels = {"view": "healthz", "method": "GET", "status": "200"}
    before = REGISTRY.get_sample_value("open12348_http_requests_total", labels) or 0
    hist_before = REGISTRY.get_sample_value("open12348_http_request_duration_seconds_count",
                                            {"view": "healthz", "status": "200"}) or 0
    assert client.get("/healthz").status_code == 200
    assert client.get("/healthz").status_code == 200
    parsed = samples(scrape(client))
    assert parsed[("open12348_http_requests_total", tuple(sorted(labels.items())))] == before + 2
    assert parsed[("open12348_http_request_duration_seconds_count",
                   (("status", "200"), ("view", "healthz")))] == hist_before + 2


def test_an_unknown_path_is_one_series_not_one_per_path(client, metrics_on):
    labels = {"view": "<unresolved>", "method": "GET", "status": "404"}
    before = REGISTRY.get_sample_value("open12348_http_requests_total", labels) or 0
    client.get("/no-such-page-1")
    client.get("/no-such-page-2/")
    assert REGISTRY.get_sample_value("open12348_http_requests_total", labels) == before + 2
    assert "no-such-page" not in scrape(client).content.decode()


def test_overdue_applications_and_the_last_chain_check_are_read_at_scrape_time(client, metrics_on):
    setup = centre_setup()
    application = legalaid_services.application_create(actor=setup["window_staff"], centre=setup["centre"],
                                                       channel="window", **wage_claim())
    review = (("stage", "review"),)
    assert samples(scrape(client))[("open12348_legalaid_applications_overdue", review)] == 0
    Application.objects.filter(pk=application.pk).update(review_due=timezone.localdate() - dt.timedelta(days=1))
    assert samples(scrape(client))[("open12348_legalaid_applications_overdue", review)] == 1

    assert not any(name == "open12348_audit_chain_intact" for name, _ in samples(scrape(client)))
    audit_record(actor=None, action="audit.verify_chain", result=AuditEvent.Result.FAILURE,
                 extra={"intact": False, "first_broken_id": 7})
    parsed = samples(scrape(client))
    assert parsed[("open12348_audit_chain_intact", ())] == 0
    assert abs(parsed[("open12348_audit_chain_last_check_timestamp_seconds", ())] - timezone.now().timestamp()) < 60
    assert parsed[("open12348_scrape_error", (("figure", "legalaid_overdue"),))] == 0


def test_an_unreachable_broker_is_reported_as_a_scrape_error_not_a_failure(client, metrics_on, settings,
                                                                          closed_port):
    settings.JOBS_BACKEND = "celery"
    settings.METRICS_CELERY_QUEUES = ["celery"]
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port}/0"
    response = scrape(client)
    assert response.status_code == 200
    parsed = samples(response)
    assert parsed[("open12348_scrape_error", (("figure", "celery_queue"),))] == 1
    assert not any(name == "open12348_celery_queue_length" for name, _ in parsed)


MULTIPROCESS_SCRIPT = """
import django, os, sys
django.setup()
from django.test import RequestFactory
from open12348.ops import metrics
from prometheus_client import generate_latest
pid = sys.argv[1]
if pid != "scrape":
    metrics.REQUESTS.labels(view="healthz", method="GET", status="200").inc(int(pid))
else:
    sys.stdout.write(generate_latest(metrics.scrape_registry()).decode())
"""


def test_multiprocess_mode_adds_up_every_worker(tmp_path: Path):
    """Two "workers" (processes) count requests; a third scrapes and sees the sum."""
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    root = Path(__file__).resolve().parents[3]
    for count in ("3", "4"):
        subprocess.run([sys.executable, "-c", MULTIPROCESS_SCRIPT, count], env=env, cwd=root, check=True)  # noqa: S603
    result = subprocess.run([sys.executable, "-c", MULTIPROCESS_SCRIPT, "scrape"], env=env, cwd=root,  # noqa: S603
                            check=True, capture_output=True, text=True)
    assert 'open12348_http_requests_total{method="GET",status="200",view="healthz"} 7.0' in result.stdout
