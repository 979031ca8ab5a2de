"""Writing audit rows. Every service that changes data calls `audit_record` in its transaction."""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from open12348.core.fields import EncryptedJSONField, EncryptedTextField
from open12348.core.middleware import current_request_context

from .models import AuditAnchor, AuditChainHead, AuditEvent

logger = logging.getLogger("open12348.audit")

GENESIS = "0" * 64
PROTECTED = "[protected]"


def _canonical(data: dict[str, Any]) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def event_payload(event: AuditEvent) -> dict[str, Any]:
    """What a row's hash covers, as plain JSON values (also the body of an archived row)."""
    return {
        "prev": event.prev_hash,
        "at": event.at.isoformat(),
        "actor": event.actor_id,
        "username": event.actor_username,
        "action": event.action,
        "type": event.object_type,
        "id": event.object_id,
        "repr": event.object_repr,
        "changes": event.changes,
        "result": event.result,
        "ip": event.source_ip,
        "extra": event.extra,
    }


def payload_hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256((payload["prev"] + _canonical(payload)).encode("utf-8")).hexdigest()


def event_hash(event: AuditEvent) -> str:
    return payload_hash(event_payload(event))


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """A loggable copy of a record: encrypted fields are never copied in full."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in ("created_at", "updated_at"):
            continue
        value = getattr(instance, field.attname)
        if isinstance(field, EncryptedTextField | EncryptedJSONField) or field.name.endswith("_hash"):
            data[field.name] = PROTECTED if value else ""
        else:
            data[field.name] = _plain(value)
    return data


def changes_from(diff: dict[str, tuple[Any, Any]], *, protected: tuple[str, ...] = ()) -> dict[str, Any]:
    """Turn `model_update`'s `{field: (before, after)}` into the audit row's before/after."""
    before, after = {}, {}
    for name, (old, new) in diff.items():
        hidden = name in protected
        before[name] = PROTECTED if hidden else _plain(old)
        after[name] = PROTECTED if hidden else _plain(new)
    return {"before": before, "after": after}


@transaction.atomic
def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    changes: dict | None = None,
    result: str = AuditEvent.Result.SUCCESS,
    extra: dict | None = None,
    source_ip: str | None = None,
) -> AuditEvent:
    ctx = current_request_context()
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    user = actor if getattr(actor, "is_authenticated", False) else None
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1, defaults={"last_hash": GENESIS})
    event = AuditEvent(
        at=timezone.now(),
        actor=user,
        actor_username=getattr(user, "username", "") if user else (getattr(actor, "username", "") or ""),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_repr=object_repr[:200],
        changes=_plain(changes or {}),
        result=result,
        source_ip=source_ip if source_ip is not None else ctx.source_ip,
        user_agent=ctx.user_agent,
        extra=_plain(extra or {}),
        prev_hash=head.last_hash,
    )
    event.hash = event_hash(event)
    event.save()
    AuditChainHead.objects.filter(pk=1).update(last_hash=event.hash)
    return event


def chain_start() -> tuple[str, int]:
    """(hash the first kept row must chain on from, id of the last purged row or 0)."""
    anchor = AuditAnchor.objects.order_by("-last_id").first()
    return (anchor.last_hash, anchor.last_id) if anchor else (GENESIS, 0)


def audit_verify_chain(*, batch_size: int = 2000) -> tuple[bool, int | None]:
    """Recompute every hash in order, from the genesis or from the last purge's anchor.

    Returns (intact, id of the first broken row). An anchor must be confirmed by the purge's own
    audit row further down the chain (same hash), or the first kept row counts as broken. The chain
    must also end where the chain head says (the head is moved only by `audit_record`, in the
    writer's transaction): a row appended behind the application's back, even one chained and
    hashed by the published algorithm, lies beyond the head and is reported.
    """
    anchor_hash, after_id = chain_start()
    prev, last_id = anchor_hash, after_id
    confirmed = after_id == 0
    while True:
        for event in AuditEvent.objects.filter(id__gt=last_id).order_by("id").iterator(chunk_size=batch_size):
            if event.prev_hash != prev or event_hash(event) != event.hash:
                return False, event.id
            if not confirmed and event.action == "audit.purge" and event.extra.get("last_hash") == anchor_hash:
                confirmed = True
            prev, last_id = event.hash, event.id
        # Rows committed before the head is read are at or before it in the chain.
        head = AuditChainHead.objects.values_list("last_hash", flat=True).first()
        if head is None or head == prev:
            break
        head_id = AuditEvent.objects.filter(hash=head).values_list("id", flat=True).first()
        if head_id is None:
            return False, last_id or None
        if head_id <= last_id:  # the walk went past the head: what follows it was not written by audit_record
            return False, AuditEvent.objects.filter(id__gt=head_id).order_by("id").values_list("id", flat=True)[0]
        # else rows were written while the walk ran: carry on to them
    if not confirmed:
        first = AuditEvent.objects.filter(id__gt=after_id).order_by("id").values_list("id", flat=True).first()
        return False, first if first is not None else after_id
    return True, None


def audit_chain_check(*, actor=None) -> tuple[bool, int | None]:
    """Verify the chain, record the check, and raise the alarm when it is broken.

    A broken chain is logged at CRITICAL (for the log shipper's alerting) and every active security
    administrator gets a console notification and an e-mail (no personal data in either).
    """
    intact, broken_id = audit_verify_chain()
    audit_record(actor=actor, action="audit.verify_chain",
                 result=AuditEvent.Result.SUCCESS if intact else AuditEvent.Result.FAILURE,
                 extra={"intact": intact, "first_broken_id": broken_id})
    if not intact:
        logger.critical("audit hash chain broken at row %s", broken_id)
        transaction.on_commit(lambda: _alert_security_admins(broken_id))
    return intact, broken_id


def _alert_security_admins(broken_id: int | None) -> None:
    from open12348.accounts.models import User
    from open12348.accounts.roles import Role
    from open12348.notifications.services import notify

    admins = User.objects.filter(is_active=True, memberships__role=Role.SECURITY_ADMIN,
                                 memberships__is_active=True).distinct()
    for admin in admins:
        try:
            with transaction.atomic():
                notify(recipient=admin, kind="audit.chain_broken", email=True,
                       title=gettext("The audit log's hash chain is broken"),
                       body=gettext("Row %(id)s does not match the hash chain. Check the audit log and the "
                                    "database access records now.") % {"id": broken_id},
                       url=reverse("audit:log"), dedupe_key=f"audit-chain-broken-{broken_id}")
        except Exception:  # the alarm must reach the others even if one notification fails
            logger.exception("could not notify security administrator %s of the broken audit chain", admin.pk)
