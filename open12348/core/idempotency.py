"""Safe retries of API writes: the `Idempotency-Key` request header.

A client that may send a request twice (a double click, a retry after a timeout) sends a key of its
choosing, e.g. a UUID, with the request. For one client (a signed-in user, or a telephony system):

* the first request with a key runs and, when it succeeds (2xx), its answer is kept for
  `IDEMPOTENCY_TTL_HOURS`;
* a repeat with the same key, method, path and body gets that answer again (same status and body,
  header `Idempotent-Replayed: true`) and changes nothing;
* a repeat while the first is still running gets 409 `idempotency_in_progress`;
* the same key with another body or on another endpoint gets 422 `idempotency_key_reused`;
* a request that fails (an error, any non-2xx answer) keeps nothing, so the key can be used again.

Without the header a request runs as before. The claim is an INSERT in its own short transaction,
committed before the view runs: the unique (scope, key) constraint makes the database, not a check
in Python, decide which of two simultaneous requests runs. The view's writes and the stored answer
commit together, so an answer is kept exactly when the writes it describes are.

Apply `@idempotent()` to the `post` method of an APIView; it documents the header in the OpenAPI
document (open12348.api.schema adds the 409 and 422 answers).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from .models import IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 200
MARKER = "idempotent"  # attribute set on decorated view methods (the schema test looks for it)

PARAMETER = OpenApiParameter(
    HEADER, OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description=(
        "Makes a retry safe: any printable ASCII up to 200 characters, e.g. a UUID, new for each new request. "
        "A repeat with the same key and the same body returns the first answer (header `Idempotent-Replayed: "
        "true`) and changes nothing; a repeat while the first is still running is 409 `idempotency_in_progress`; "
        "the same key with a different body is 422 `idempotency_key_reused`. Keys are kept for "
        "IDEMPOTENCY_TTL_HOURS (24 by default)."
    ),
)


def _in_progress() -> Response:
    return Response({"code": "idempotency_in_progress", "fields": {},
                     "message": _("A request with this Idempotency-Key is still being processed. Try again in a "
                                  "moment.")}, status=status.HTTP_409_CONFLICT)


def _reused() -> Response:
    return Response({"code": "idempotency_key_reused", "fields": {},
                     "message": _("This Idempotency-Key was already used for a different request. Use a new key "
                                  "for a new request.")}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)


def ttl() -> dt.timedelta:
    return dt.timedelta(hours=getattr(settings, "IDEMPOTENCY_TTL_HOURS", 24))


def abandoned_after() -> dt.timedelta:
    return dt.timedelta(seconds=getattr(settings, "IDEMPOTENCY_ABANDONED_SECONDS", 300))


def request_key(request: Request) -> str | None:
    """The header's key, or None without one; 400 for a key that is not printable ASCII of ≤ 200."""
    raw = request.headers.get(HEADER, "").strip()
    if not raw:
        return None
    if len(raw) > MAX_KEY_LENGTH or not raw.isascii() or not raw.isprintable():
        raise ValidationError({HEADER: [
            _("The idempotency key must be printable ASCII of at most %(n)d characters.") % {"n": MAX_KEY_LENGTH}
        ]})
    return raw


def client_scope(request: Request) -> str | None:
    """Whose keys these are: the signed-in user, else an API client identified by its credentials
    (the telephony system, whose `request.auth` is its TelephonyClient). Anonymous callers have no
    identity to keep keys apart, so for them the header does nothing."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and isinstance(user.pk, int):
        return f"user:{user.pk}"
    auth = getattr(request, "auth", None)
    if auth is not None and getattr(auth, "pk", None) is not None:
        return f"{auth._meta.model_name}:{auth.pk}"
    return None


def fingerprint(data: Any) -> str:
    """SHA-256 of a parsed body in a canonical form: key order and spacing do not matter."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, cls=JSONEncoder)
    return hashlib.sha256(canonical.encode()).hexdigest()


def claim(*, scope: str, key: str, method: str, path: str, request_hash: str) -> IdempotencyRecord | Response:
    """Insert the in-progress row for this key, or answer from the row already there (a replay, 409 or 422)."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return IdempotencyRecord.objects.create(scope=scope, key=key, method=method, path=path,
                                                        request_hash=request_hash)
        except IntegrityError:
            pass
        existing = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
        if existing is None:  # finished with an error, or purged, between our insert and this read
            continue
        now = timezone.now()
        stale = existing.created_at < now - ttl() or (
            existing.state == IdempotencyRecord.State.IN_PROGRESS and existing.created_at < now - abandoned_after())
        if stale:
            IdempotencyRecord.objects.filter(pk=existing.pk, created_at=existing.created_at).delete()
            continue
        if (existing.method, existing.path, existing.request_hash) != (method, path, request_hash):
            return _reused()
        if existing.state == IdempotencyRecord.State.IN_PROGRESS:
            return _in_progress()
        return replay(existing)
    return _in_progress()  # the row kept changing under us: another request is at work on this key


def replay(record: IdempotencyRecord) -> Response:
    headers = {REPLAYED_HEADER: "true"}
    if record.response_location:
        headers["Location"] = record.response_location
    return Response(json.loads(record.response_body) if record.response_body else None,
                    status=record.response_status, headers=headers)


def complete(record: IdempotencyRecord, response: Response, *, replay_status: int | None) -> None:
    """Keep the answer; called inside the view's transaction so that both commit or neither does."""
    record.state = IdempotencyRecord.State.DONE
    record.response_status = replay_status or response.status_code
    record.response_body = json.dumps(response.data, cls=JSONEncoder, ensure_ascii=False)
    record.response_location = (response.get("Location") or "")[:500]
    record.completed_at = timezone.now()
    record.save(update_fields=["state", "response_status", "response_body", "response_location", "completed_at"])


def release(record: IdempotencyRecord) -> None:
    """Forget a claim whose request failed, so that a retry runs."""
    IdempotencyRecord.objects.filter(pk=record.pk, state=IdempotencyRecord.State.IN_PROGRESS).delete()


def idempotent(*, replay_status: int | None = None) -> Callable:
    """Decorate an APIView's `post(self, request, ...)`: the header becomes optional idempotency.

    `replay_status`: the status a replay answers with, when an endpoint's contract says so (legal aid
    applications answer a repeat with 200); by default the first answer's.
    """

    def decorator(view_method: Callable) -> Callable:
        @functools.wraps(view_method)
        def wrapper(self, request: Request, *args: Any, **kwargs: Any) -> Response:
            key = request_key(request)
            scope = client_scope(request) if key else None
            if scope is None or getattr(request, "_idempotency_claimed", False):  # none, or claimed by a caller
                return view_method(self, request, *args, **kwargs)
            claimed = claim(scope=scope, key=key, method=request.method, path=request.path[:500],
                            request_hash=fingerprint(request.data))
            if isinstance(claimed, Response):
                return claimed
            request._idempotency_claimed = True
            try:
                with transaction.atomic():
                    response = view_method(self, request, *args, **kwargs)
                    if status.is_success(response.status_code):
                        complete(claimed, response, replay_status=replay_status)
            except BaseException:
                release(claimed)
                raise
            if not status.is_success(response.status_code):
                release(claimed)
            return response

        setattr(wrapper, MARKER, True)
        return extend_schema(parameters=[PARAMETER])(wrapper)

    return decorator


def idempotency_records_purge(*, now: dt.datetime | None = None) -> int:
    """Delete records older than the TTL (their keys may be used again). Returns how many went."""
    cutoff = (now or timezone.now()) - ttl()
    deleted, _by_model = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
