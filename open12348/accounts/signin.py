"""The state between the two sign-in steps, and the sign-in rate limits.

After the right password the session holds only `signin_pending` (user id, time, where to go
next); the user is not logged in. `signin_complete` logs them in once the second step passed.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import login

from open12348.core.middleware import client_ip
from open12348.core.ratelimit import RateLimited, ratelimit_hit

from .models import User

PENDING_KEY = "signin_pending"


def pending_start(request, *, user: User, next_url: str) -> None:
    request.session.cycle_key()
    request.session[PENDING_KEY] = {"user_id": user.pk, "at": time.time(), "backend": user.backend, "next": next_url}


def pending_user(request) -> User | None:
    """The user who passed the password step in this session less than the allowed time ago."""
    data = request.session.get(PENDING_KEY)
    if not isinstance(data, dict):
        return None
    try:
        fresh = time.time() - float(data["at"]) <= settings.SECURITY_SECOND_FACTOR_PENDING_SECONDS
        user = User.objects.filter(pk=data["user_id"], is_active=True).first() if fresh else None
    except (KeyError, TypeError, ValueError):
        user = None
    if user is None:
        request.session.pop(PENDING_KEY, None)
        return None
    user.backend = data.get("backend") or settings.AUTHENTICATION_BACKENDS[0]
    return user


def pending_next(request) -> str:
    return (request.session.get(PENDING_KEY) or {}).get("next") or settings.LOGIN_REDIRECT_URL


def pending_clear(request) -> None:
    request.session.pop(PENDING_KEY, None)


def signin_complete(request, *, user: User) -> str:
    """Log the user in (a new session key) and return where they were going."""
    next_url = pending_next(request)
    pending_clear(request)
    login(request, user, backend=user.backend)
    return next_url


def signin_rate_refused(request, *, username: str, step: str) -> str | None:
    """Count one sign-in attempt. Returns "ip" or "account" when over that limit, else None.

    Both counters always go up, so spreading guesses over many names is caught by the address
    limit and guessing one name from many addresses by the account limit. The counting is the
    project's one rate-limit mechanism (core/ratelimit.py: the shared cache, keys hashed, the
    refusal audited as `ratelimit.refused` with scope "signin" and the step), with the limits
    SECURITY_SIGNIN_RATE_PER_IP and SECURITY_SIGNIN_RATE_PER_ACCOUNT.
    """
    account = (username or "").strip().lower()[:150]
    try:
        ratelimit_hit(scope="signin", ip=client_ip(request) or "-", account=account,
                      rates={"ip": settings.SECURITY_SIGNIN_RATE_PER_IP,
                             "account": settings.SECURITY_SIGNIN_RATE_PER_ACCOUNT},
                      detail={"step": step, "username": account})
    except RateLimited as refused:
        return refused.extra["by"]
    return None
