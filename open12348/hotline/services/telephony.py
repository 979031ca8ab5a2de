"""Telephony systems as API clients: issue and revoke a token, and recognise a request's token.

A token is `<prefix>.<secret>`: the prefix (public, 12 characters) finds the client, the secret
(32 random bytes) proves it. Only a SHA-256 hash of the whole token is stored and it is compared
in constant time. The token is shown once, when issued.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from open12348.accounts.roles import Capability
from open12348.audit.models import AuditEvent
from open12348.audit.services import audit_record

from ..models import Hotline, TelephonyClient
from .common import require_hotline, text, user_or_none

PREFIX_BYTES = 6  # 12 hex characters
SECRET_BYTES = 32
TOUCH_EVERY = dt.timedelta(minutes=1)  # last_used_at is a hint, not worth a write per event


@dataclass(frozen=True)
class TelephonyPrincipal:
    """Who acted, for the audit log, when a telephony system reported events (not a user)."""

    client: TelephonyClient

    is_authenticated = False

    @property
    def username(self) -> str:
        return f"telephony:{self.client.name}"[:150]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def telephony_client_issue(*, actor, hotline: Hotline, name: str) -> tuple[TelephonyClient, str]:
    """A new client and its token (returned once; only its hash is kept)."""
    if actor is not None:  # None: the management command, run by whoever has the server
        require_hotline(actor, Capability.HOTLINE_MANAGE, hotline.pk)
    name = text(name, field="name", message=_("Name the telephony system."), limit=100)
    prefix = secrets.token_hex(PREFIX_BYTES)
    token = f"{prefix}.{secrets.token_urlsafe(SECRET_BYTES)}"
    client = TelephonyClient.objects.create(hotline=hotline, name=name, prefix=prefix, token_hash=token_hash(token),
                                            created_by=user_or_none(actor))
    audit_record(actor=actor, action="hotline.telephony_client.issue", obj=client,
                 extra={"hotline": hotline.pk, "prefix": prefix})
    return client, token


@transaction.atomic
def telephony_client_revoke(*, actor, client: TelephonyClient) -> TelephonyClient:
    if actor is not None:
        require_hotline(actor, Capability.HOTLINE_MANAGE, client.hotline_id)
    client = TelephonyClient.objects.select_for_update().get(pk=client.pk)
    if client.is_active:
        client.is_active, client.revoked_at = False, timezone.now()
        client.save(update_fields=["is_active", "revoked_at", "updated_at"])
        audit_record(actor=actor, action="hotline.telephony_client.revoke", obj=client,
                     changes={"before": {"is_active": True}, "after": {"is_active": False}})
    return client


def telephony_client_for_token(token: str) -> TelephonyClient | None:
    """The active client the token belongs to, or None. Constant-time on the secret."""
    prefix, dot, _secret = (token or "").partition(".")
    if not dot or not prefix or len(token) > 200:
        return None
    client = TelephonyClient.objects.select_related("hotline").filter(prefix=prefix, is_active=True).first()
    if client is None or not hmac.compare_digest(client.token_hash, token_hash(token)):
        return None
    now = timezone.now()
    if client.last_used_at is None or now - client.last_used_at > TOUCH_EVERY:
        TelephonyClient.objects.filter(pk=client.pk).update(last_used_at=now)
    return client


def telephony_refused(*, reason: str, token: str, path: str) -> None:
    """Audit a request refused for its credentials: the prefix it claimed, never the secret."""
    prefix = (token or "").partition(".")[0][:PREFIX_BYTES * 2]
    audit_record(actor=None, action="hotline.telephony.refused", result=AuditEvent.Result.DENIED,
                 object_type="hotline.telephonyclient", extra={"reason": reason, "prefix": prefix, "path": path[:200]})
