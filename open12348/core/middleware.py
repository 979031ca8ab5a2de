"""Request context (source address, user) that the audit log reads without passing it everywhere."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import check_for_language


@dataclass(frozen=True)
class RequestContext:
    source_ip: str = ""
    user_agent: str = ""


_EMPTY = RequestContext()
_current: ContextVar[RequestContext] = ContextVar("open12348_request", default=_EMPTY)  # noqa: B039  (frozen)


def current_request_context() -> RequestContext:
    return _current.get()


def client_ip(request) -> str:
    # Only a deployment behind its own reverse proxy may trust the proxy's X-Real-IP header.
    if settings.TRUST_X_REAL_IP:
        return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR", "")
    return request.META.get("REMOTE_ADDR", "")


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(
            RequestContext(source_ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:200])
        )
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the user chose another language with the language switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language header; a public service
    of a Chinese city speaks Chinese to everyone by default, whatever the device's setting.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen and check_for_language(chosen) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
