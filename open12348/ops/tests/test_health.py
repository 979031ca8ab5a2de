"""/readyz: ready when every dependency answers, 503 naming the one that does not; /healthz unchanged."""

from __future__ import annotations

import socket

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_port() -> int:
    """A localhost port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def fast(settings):
    settings.READYZ_TIMEOUT_SECONDS = 1.0


def test_ready_when_every_dependency_answers(client, settings):
    settings.JOBS_BACKEND = "eager"  # the suite has no broker and an in-memory channel layer: not checked
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["cache"]["status"] == "ok"
    assert body["checks"]["broker"] == {"status": "skipped"}
    assert body["checks"]["channel_layer"] == {"status": "skipped"}
    assert "no-cache" in response["Cache-Control"]


def test_a_cache_on_a_closed_port_makes_the_worker_not_ready(client, settings, fast, closed_port):
    settings.JOBS_BACKEND = "eager"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": f"redis://127.0.0.1:{closed_port}/0"}}
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["cache"] == {"status": "error", "error": "ConnectionError"}
    assert body["checks"]["database"]["status"] == "ok"


def test_a_broker_on_a_closed_port_makes_the_worker_not_ready(client, settings, fast, closed_port):
    settings.JOBS_BACKEND = "celery"
    settings.CELERY_BROKER_URL = f"amqp://guest:guest@127.0.0.1:{closed_port}//"
    response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["broker"]["status"] == "error"
    assert checks["cache"]["status"] == "ok"
    assert str(closed_port) not in response.content.decode()  # no connection string in the answer


def test_a_channel_layer_on_a_closed_port_makes_the_worker_not_ready(client, settings, fast, closed_port):
    settings.JOBS_BACKEND = "eager"
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer",
                                           "CONFIG": {"hosts": [f"redis://127.0.0.1:{closed_port}/0"]}}}
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["channel_layer"] == {"status": "error", "error": "ConnectionError"}


def test_a_database_failure_makes_the_worker_not_ready(client, settings, monkeypatch):
    settings.JOBS_BACKEND = "eager"

    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {"status": "error", "error": "OperationalError"}


def test_healthz_stays_liveness_and_ignores_the_broker(client, settings, closed_port):
    settings.JOBS_BACKEND = "celery"
    settings.CELERY_BROKER_URL = f"amqp://guest:guest@127.0.0.1:{closed_port}//"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"]["status"] == "ok"
