"""Idle timeout and password expiry for staff sessions (等保三级)."""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from open12348.audit.services import audit_record

_SESSION_KEY = "last_activity"
_EXEMPT_PREFIXES = ("/static/", "/healthz", "/i18n/")


class StaffSessionPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(_EXEMPT_PREFIXES):
            now = time.time()
            last = request.session.get(_SESSION_KEY)
            idle_limit = settings.SECURITY_IDLE_TIMEOUT_MINUTES * 60
            if last is not None and now - last > idle_limit:
                audit_record(actor=user, action="auth.session_timeout", obj=user)
                logout(request)
                return self._refuse(request, _("You were signed out after a period of inactivity. Please sign in again."),
                                    code="session_timeout")
            request.session[_SESSION_KEY] = now
            if self._password_expired(user) and not self._is_password_page(request):
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"code": "password_expired", "message": _("Your password has expired. Please change it.")},
                        status=403,
                    )
                messages.warning(request, _("Your password has expired. Please choose a new one."))
                return redirect("accounts:password_change")
        return self.get_response(request)

    @staticmethod
    def _password_expired(user) -> bool:
        max_age = settings.SECURITY_PASSWORD_MAX_AGE_DAYS
        if not max_age:
            return False
        changed = user.password_changed_at
        return changed is None or timezone.now() - changed > timedelta(days=max_age)

    @staticmethod
    def _is_password_page(request) -> bool:
        return request.path in (reverse("accounts:password_change"), reverse("accounts:logout"))

    @staticmethod
    def _refuse(request, message: str, *, code: str):
        if request.path.startswith("/api/"):
            return JsonResponse({"code": code, "message": message}, status=401)
        messages.info(request, message)
        return redirect(f"{reverse('accounts:login')}?next={request.path}")
