"""The portal's public forms are rate-limited per client address and per proved phone
(open12348/core/ratelimit.py; scopes and numbers in settings.RATE_LIMITS)."""

from __future__ import annotations

from django.http import HttpRequest

from open12348.core.middleware import client_ip
from open12348.core.ratelimit import ratelimit_hit

from .identity import citizen_phone, citizen_phone_hash


def citizen_ratelimit(request: HttpRequest, scope: str) -> None:
    """Count one attempt at `scope` by this address and this citizen's phone; raises RateLimited (429)."""
    phone = citizen_phone(request)
    ratelimit_hit(scope=scope, ip=client_ip(request), account=citizen_phone_hash(phone) if phone else "")
