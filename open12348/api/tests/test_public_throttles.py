"""Every API endpoint an anonymous client may call is throttled (DRF throttles, per client address).

Walks every URL under /api/, asks each view's permission classes whether an anonymous request
would pass, and requires throttle classes on each one that would. A new public endpoint without a
throttle fails here."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

# Endpoints that answer machines authenticated by their own token, not the public.
MACHINE_CLIENTS = {"TelephonyEventsApi"}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def api_views() -> list[tuple[str, type[APIView]]]:
    found = []
    for route, callback in _walk(get_resolver().url_patterns):
        view_class = getattr(callback, "cls", None)
        if route.startswith("api/v1/") and view_class is not None and issubclass(view_class, APIView):
            found.append((route, view_class))
    return found


def anonymous_allowed(view_class: type[APIView], method: str) -> bool:
    view = view_class()
    request = view.initialize_request(getattr(APIRequestFactory(), method)("/"))
    request.user = AnonymousUser()
    view.request, view.args, view.kwargs, view.format_kwarg = request, (), {}, None
    try:
        return all(permission.has_permission(request, view) for permission in view.get_permissions())
    except Exception:  # a permission that needs more than an anonymous request: not public
        return False


def test_the_walk_finds_the_api():
    assert len(api_views()) > 30


@pytest.mark.django_db
def test_every_anonymous_endpoint_is_throttled():
    unthrottled = []
    for route, view_class in api_views():
        if view_class.__name__ in MACHINE_CLIENTS:
            continue
        methods = [m for m in ("get", "post", "put", "patch", "delete") if hasattr(view_class, m)]
        if any(anonymous_allowed(view_class, m) for m in methods) and not view_class.throttle_classes:
            unthrottled.append(f"{route} ({view_class.__name__})")
    assert unthrottled == []
