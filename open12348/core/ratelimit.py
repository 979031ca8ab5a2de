"""Rate limits on public forms (and any other action worth limiting), per client address and per
account, counted in Django's cache (Redis in production, so every worker shares the counters).

One mechanism for the whole project. A limited action has a scope name; settings.RATE_LIMITS gives
each scope its rates per key kind, e.g.

    RATE_LIMITS = {"portal.ask": {"ip": "30/h", "account": ["5/h", "20/d"]}}

A rate is "COUNT/UNIT" with UNIT one of s, m, h, d (or "COUNT/N UNIT" such as "10/15m"): at most
COUNT attempts in each fixed window of that length. A view calls

    ratelimit_hit(scope="portal.ask", ip=client_ip(request), account=phone_hash, actor=request.user)

before the write it protects: every call counts one attempt, and past any of the scope's limits it
raises RateLimited (an ApplicationError with status 429 and a Chinese message saying how long to
wait) after writing a `ratelimit.refused` audit row. The view shows it like any other refusal of a
service and renders the bound form again, so nothing the person typed is lost.
`ratelimit_reset(scope=..., account=...)` clears a key's counters (a successful sign-in, say).

The account key is any stable string for the person (a phone's blind index, a username); it is
hashed before it goes into the cache key. Unknown scopes are a programming error (KeyError).
"""

from __future__ import annotations

import hashlib
import math
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext, ngettext

from open12348.audit.models import AuditEvent
from open12348.audit.services import audit_record

from .errors import ApplicationError

KINDS = ("ip", "account")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    def __str__(self) -> str:
        return f"{self.count}/{self.seconds}s"


def parse_rate(text: str) -> Rate:
    match = _RATE.match(text)
    if not match:
        raise ValueError(f"not a rate: {text!r} (expected COUNT/UNIT such as 10/h or 5/15m)")
    count, multiple, unit = match.groups()
    return Rate(count=int(count), seconds=int(multiple or 1) * _UNITS[unit])


def scope_rates(scope: str, configured: dict | None = None) -> dict[str, list[Rate]]:
    configured = settings.RATE_LIMITS[scope] if configured is None else configured
    rates: dict[str, list[Rate]] = {}
    for kind, value in configured.items():
        if kind not in KINDS:
            raise ValueError(f"RATE_LIMITS[{scope!r}]: unknown key kind {kind!r}; use one of {KINDS}")
        rates[kind] = [parse_rate(v) for v in ([value] if isinstance(value, str) else value)]
    return rates


def too_many_message() -> str:
    return gettext("You have done this too many times in a short while.")


class RateLimited(ApplicationError):
    def __init__(self, *, scope: str, kind: str, retry_after: int) -> None:
        minutes = max(math.ceil(retry_after / 60), 1)
        message = " ".join([
            too_many_message(),
            ngettext("Please try again in %(minutes)d minute.", "Please try again in %(minutes)d minutes.", minutes)
            % {"minutes": minutes},
            gettext("What you entered is still here."),
        ])
        super().__init__(message, code="rate_limited", status=429,
                         extra={"scope": scope, "by": kind, "retry_after": retry_after})
        self.retry_after = retry_after


def _key(scope: str, kind: str, value: str, rate: Rate, window: int) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{kind}:{value}".encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{kind}:{rate.count}-{rate.seconds}:{digest}:{window}"


def _increment(key: str, timeout: int) -> int:
    if cache.add(key, 1, timeout=timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=timeout)
        return 1


def ratelimit_hit(*, scope: str, ip: str = "", account: str = "", actor=None, now: float | None = None,
                  rates: dict | None = None, detail: dict | None = None) -> None:
    """Count one attempt at `scope` by `ip` and `account` (either may be empty: not counted).

    Raises RateLimited when any of the scope's limits is exceeded, after auditing the refusal.
    `rates` ({"ip": ..., "account": ...}) replaces settings.RATE_LIMITS[scope] for a scope whose limits
    have settings of their own (the staff sign-in's SECURITY_SIGNIN_RATE_*); `detail` is added to
    the refusal's audit row.
    """
    if not settings.RATE_LIMITS_ENABLED:
        return
    now = time.time() if now is None else now
    values = {"ip": ip, "account": account}
    exceeded: tuple[str, Rate, int] | None = None
    for kind, kind_rates in scope_rates(scope, rates).items():
        if not values[kind]:
            continue
        for rate in kind_rates:
            window = int(now // rate.seconds)
            count = _increment(_key(scope, kind, values[kind], rate, window), rate.seconds + 1)
            if count > rate.count:
                retry_after = int((window + 1) * rate.seconds - now) + 1
                if exceeded is None or retry_after > exceeded[2]:
                    exceeded = (kind, rate, retry_after)
    if exceeded is None:
        return
    kind, rate, retry_after = exceeded
    audit_record(actor=actor, action="ratelimit.refused", object_type="ratelimit", object_id=scope,
                 result=AuditEvent.Result.DENIED,
                 extra={**(detail or {}), "scope": scope, "by": kind, "limit": str(rate)})
    raise RateLimited(scope=scope, kind=kind, retry_after=retry_after)


def ratelimit_reset(*, scope: str, ip: str = "", account: str = "", now: float | None = None) -> None:
    """Forget the current windows' counts of `scope` for `ip` and/or `account`."""
    now = time.time() if now is None else now
    values = {"ip": ip, "account": account}
    for kind, rates in scope_rates(scope).items():
        if values[kind]:
            cache.delete_many([_key(scope, kind, values[kind], rate, int(now // rate.seconds)) for rate in rates])
