"""Generic write helpers shared by every app's services."""

from __future__ import annotations

from typing import Any

from django.db import models


def model_update(*, instance: models.Model, fields: list[str], data: dict[str, Any]) -> tuple[models.Model, bool, dict]:
    """Set the listed fields from `data`, save only what changed, and return the changes.

    Returns `(instance, has_updated, changes)` where `changes` maps field to `(before, after)`,
    which the caller writes to the audit log.
    """
    changes: dict[str, tuple[Any, Any]] = {}
    m2m: dict[str, Any] = {}
    model_fields = {f.name: f for f in instance._meta.get_fields()}
    for name in fields:
        if name not in data:
            continue
        field = model_fields[name]
        value = data[name]
        if field.many_to_many:
            before = sorted(str(o.pk) for o in getattr(instance, name).all())
            after = sorted(str(getattr(o, "pk", o)) for o in value)
            if before != after:
                m2m[name] = value
                changes[name] = (before, after)
            continue
        attr = field.attname if field.is_relation and not isinstance(value, models.Model) else name
        before = getattr(instance, attr)
        if before != value:
            setattr(instance, attr, value)
            changes[name] = (before, value)
    concrete = [n for n in changes if n not in m2m]
    if concrete:
        instance.full_clean(exclude=[f.name for f in instance._meta.fields if f.name not in concrete])
        if "updated_at" in model_fields:
            concrete.append("updated_at")
        instance.save(update_fields=concrete)
    for name, value in m2m.items():
        getattr(instance, name).set(value)
    return instance, bool(changes), changes
