"""Who the citizen in this browser is: a mobile number they proved with an SMS code, nothing more.

    phone = citizen_phone(request)          # "13803751234" or None
    @citizen_required                       # unverified visitors go to portal:verify and come back
    def my_view(request): ...
    citizen_phone_hash(phone)               # the blind index to store and look records up by

The number is kept in the session encrypted (sessions live in the database, and a dump must not
hold plain phone numbers). A proof lasts while the citizen keeps using the site: it lapses after
PORTAL_CITIZEN_IDLE_MINUTES without a request, and after PORTAL_CITIZEN_MAX_HOURS in any case, so
a phone left on a counter at a township station does not stay signed in for long.
"""

from __future__ import annotations

import re
import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from open12348.core.crypto import blind_index, decrypt, encrypt

SESSION_KEY = "portal_citizen"
# The same purpose as legalaid.Person.phone_hash: a verified phone finds what was registered for it.
PHONE_HASH_PURPOSE = "phone"
MOBILE = re.compile(r"^1[3-9]\d{9}$")
_SEPARATORS = re.compile(r"[\s\-()（）]")
# Refresh the "last seen" time at most this often, so that reading pages does not write the session each time.
TOUCH_EVERY_SECONDS = 60


def idle_limit_seconds() -> int:
    return int(getattr(settings, "PORTAL_CITIZEN_IDLE_MINUTES", 60)) * 60


def max_age_seconds() -> int:
    return int(getattr(settings, "PORTAL_CITIZEN_MAX_HOURS", 12)) * 3600


def normalize_phone(value: str) -> str:
    """A mainland mobile number as 11 digits; ValueError if it is not one.

    Spaces, dashes and brackets are dropped and a +86 / 0086 prefix removed, since people copy
    numbers in all these shapes.
    """
    digits = _SEPARATORS.sub("", str(value or ""))
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix):]
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if not MOBILE.match(digits):
        raise ValueError("not a mainland mobile number")
    return digits


def citizen_phone_hash(phone: str) -> str:
    """The keyed hash (blind index) of a mobile number, the way the portal stores and finds it."""
    try:
        phone = normalize_phone(phone)
    except ValueError:
        phone = str(phone or "").strip()
    return blind_index(phone, purpose=PHONE_HASH_PURPOSE)


def citizen_phone(request) -> str | None:
    """The mobile number this browser proved with an SMS code, or None (never proved, or lapsed)."""
    data = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if not isinstance(data, dict):
        return None
    now = time.time()
    try:
        verified_at, seen_at = float(data["verified_at"]), float(data["seen_at"])
        phone = decrypt(data["phone"])
    except (KeyError, TypeError, ValueError):
        request.session.pop(SESSION_KEY, None)
        return None
    if now - verified_at > max_age_seconds() or now - seen_at > idle_limit_seconds():
        request.session.pop(SESSION_KEY, None)
        return None
    if now - seen_at > TOUCH_EVERY_SECONDS:
        request.session[SESSION_KEY] = {**data, "seen_at": now}
    return phone


def citizen_sign_in(request, *, phone: str) -> None:
    """Remember in this session that `phone` was just proved. A new session key defeats fixation."""
    request.session.cycle_key()
    now = time.time()
    request.session[SESSION_KEY] = {"phone": encrypt(normalize_phone(phone)), "verified_at": now, "seen_at": now}


def citizen_sign_out(request) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()


def safe_next(request, value: str | None, *, default: str = "") -> str:
    """`value` if it is an address on this site, else `default` (or the portal's home page)."""
    default = default or reverse("portal:home")
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()},
                                                 require_https=request.is_secure()):
        return value
    return default


def verify_url(next_url: str) -> str:
    return f"{reverse('portal:verify')}?{urlencode({'next': next_url})}"


def citizen_required(view):
    """View decorator: a visitor without a proved phone goes to the SMS-code page, then back here."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if citizen_phone(request) is None:
            return redirect(verify_url(request.get_full_path()))
        return view(request, *args, **kwargs)

    return wrapper
