"""Writing audit rows. Every service that changes data calls `audit_record` in its transaction."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from open12348.core.fields import EncryptedJSONField, EncryptedTextField
from open12348.core.middleware import current_request_context

from .models import AuditChainHead, AuditEvent

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


def event_hash(event: AuditEvent) -> str:
    payload = {
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
    return hashlib.sha256((event.prev_hash + _canonical(payload)).encode("utf-8")).hexdigest()


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


def audit_verify_chain(*, batch_size: int = 2000) -> tuple[bool, int | None]:
    """Recompute every hash in order. Returns (intact, id of the first broken row)."""
    prev = GENESIS
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=batch_size):
        if event.prev_hash != prev or event_hash(event) != event.hash:
            return False, event.id
        prev = event.hash
    return True, None
