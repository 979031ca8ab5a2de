"""/metrics for Prometheus (never public) and /readyz, the readiness check of a web worker."""

from __future__ import annotations

import hmac
import ipaddress
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from open12348.core.middleware import client_ip

from .metrics import scrape_registry

log = logging.getLogger(__name__)


def _address_allowed(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for allowed in settings.METRICS_ALLOWED_IPS:
        try:
            if ip in ipaddress.ip_network(allowed, strict=False):
                return True
        except ValueError:
            log.warning("METRICS_ALLOWED_IPS: %r is not an address or network", allowed)
    return False


def _token_ok(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    scheme, _, given = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return bool(token) and scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), token)


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """The Prometheus text format, for a scraper with the bearer token or from an allowed address.

    With neither METRICS_TOKEN nor METRICS_ALLOWED_IPS set the endpoint does not exist (404).
    """
    if not settings.METRICS_TOKEN and not settings.METRICS_ALLOWED_IPS:
        return HttpResponse(status=404)
    if not (_token_ok(request) or _address_allowed(client_ip(request))):
        response = HttpResponse("Forbidden\n", status=403, content_type="text/plain")
        response["WWW-Authenticate"] = "Bearer"
        return response
    return HttpResponse(generate_latest(scrape_registry()), content_type=CONTENT_TYPE_LATEST)


# --- readiness ----------------------------------------------------------------------------------------

def _check_databases() -> None:
    for alias in connections:  # the primary, and the dashboard's replica when configured
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()


def _check_cache() -> None:
    key = "open12348:readyz"
    cache.set(key, "1", 10)
    if cache.get(key) != "1":
        raise RuntimeError("cache did not keep a value")


def _check_channel_layer() -> None:
    import redis

    for host in settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"]:
        address = host if isinstance(host, str) else host.get("address")
        client = redis.Redis.from_url(address, socket_connect_timeout=settings.READYZ_TIMEOUT_SECONDS,
                                      socket_timeout=settings.READYZ_TIMEOUT_SECONDS)
        try:
            client.ping()
        finally:
            client.close()


def _check_broker() -> None:
    from kombu import Connection

    timeout = settings.READYZ_TIMEOUT_SECONDS
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=timeout,
                    transport_options={"socket_timeout": timeout, "max_retries": 0}) as connection:
        connection.ensure_connection(max_retries=1, timeout=timeout)


def _checks() -> dict[str, Callable[[], None] | None]:
    """Each dependency a worker needs to serve; None when this deployment does not use it."""
    uses_redis_layer = settings.CHANNEL_LAYERS["default"]["BACKEND"] == "channels_redis.core.RedisChannelLayer"
    return {
        "database": _check_databases,
        "cache": _check_cache,
        "channel_layer": _check_channel_layer if uses_redis_layer else None,
        "broker": _check_broker if settings.JOBS_BACKEND == "celery" else None,
    }


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready to take traffic: the database(s), the cache, the channel layer and the broker answer.

    The load balancer takes a worker out of rotation on 503; /healthz (liveness) stays as it is, so
    a broker outage does not get every web worker restarted.
    """
    results = {}
    ready = True
    for name, check in _checks().items():
        if check is None:
            results[name] = {"status": "skipped"}
            continue
        started = time.perf_counter()
        try:
            check()
        except Exception as exc:  # any failure means "not ready"; the class name only, never a DSN
            ready = False
            results[name] = {"status": "error", "error": exc.__class__.__name__}
        else:
            results[name] = {"status": "ok", "ms": round((time.perf_counter() - started) * 1000, 1)}
    return JsonResponse({"status": "ok" if ready else "error", "checks": results}, status=200 if ready else 503)
