"""Key rotation: re-encrypt every protected value with the current key, re-key the blind indexes.

`manage.py rotate_encryption_keys` is the operator's entry point (docs/security.md, "Key rotation").

* Field keys: `FIELD_ENCRYPTION_KEYS` lists every key that may still open a value, the first one
  encrypts. Every `EncryptedTextField` / `EncryptedJSONField` of every model is found through the
  app registry; a value not yet under the first key is re-encrypted.
* Blind index key: a hash cannot be turned back into its value, so re-keying needs the retired key
  (`BLIND_INDEX_PREVIOUS_KEY`): a stored hash that equals HMAC(previous key, value) becomes
  HMAC(current key, value). Columns that keep the value next to the hash take it from there; columns
  that keep only the hash (`source=None`) are matched against every value of the same purpose held
  anywhere in the database.

Every batch is its own transaction and every UPDATE is conditional on the row still holding what was
read, so the command can run while the site is up, be interrupted, and be run again: a second run
finds nothing to do.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction

from .crypto import blind_index, decrypt, is_current, reencrypt
from .fields import EncryptedJSONField, EncryptedTextField


@dataclass(frozen=True)
class BlindIndex:
    """A hash column: which model, which column, what kind of value, and where its value is kept (if anywhere)."""

    model: str
    field: str
    purpose: str
    source: str | None = None


# Every blind index column. `core/tests/test_rotation.py` fails when a model gains a `*_hash` column
# that is neither here nor in NOT_BLIND_INDEXES, so a new lookup column cannot be forgotten here.
BLIND_INDEXES: tuple[BlindIndex, ...] = (
    BlindIndex("legalaid.Person", "id_number_hash", "id_number", source="id_number"),
    BlindIndex("legalaid.Person", "phone_hash", "phone", source="phone"),
    BlindIndex("legalaid.Party", "id_number_hash", "id_number"),
    BlindIndex("network.Practitioner", "id_number_hash", "id_number", source="id_number"),
    BlindIndex("network.Practitioner", "mobile_hash", "phone", source="mobile"),
    BlindIndex("mediation.Party", "id_number_hash", "id_number", source="id_number"),
    BlindIndex("hotline.WorkOrder", "caller_phone_hash", "phone", source="caller_phone"),
    BlindIndex("consult.Question", "phone_hash", "phone", source="phone"),
    BlindIndex("consult.Rating", "phone_hash", "phone", source="phone"),
    BlindIndex("portal.CitizenAccount", "phone_hash", "phone", source="phone"),
    BlindIndex("portal.CitizenConsent", "phone_hash", "phone"),
    BlindIndex("portal.ApplicationDraft", "phone_hash", "phone"),
)

# Hash columns that are not re-keyed, and why. They stop matching after the blind index key changes.
NOT_BLIND_INDEXES: dict[str, str] = {
    "audit.AuditEvent.hash": "the audit chain (SHA-256 of the row, not keyed)",
    "audit.AuditEvent.prev_hash": "the audit chain",
    "audit.AuditChainHead.last_hash": "the audit chain",
    "audit.AuditAnchor.last_hash": "the audit chain",
    "audit.AuditAnchor.first_prev_hash": "the audit chain",
    "hotline.TelephonyClient.token_hash": "API tokens (SHA-256, not keyed)",
    "core.IdempotencyRecord.request_hash": "request fingerprints (SHA-256 of a whole request, not keyed)",
    "accounts.RecoveryCode.code_hash": "staff recovery codes: only the hash is kept; users print new codes",
    "portal.SmsCode.phone_hash": "SMS codes live minutes; a code sent before the change no longer works",
    "portal.SmsCode.ip_hash": "rate-limit counters of the last hour; no address is kept to re-key them",
    "portal.SmsCode.code_hash": "SMS codes live minutes",
}

ENCRYPTED_FIELDS = (EncryptedTextField, EncryptedJSONField)


def encrypted_columns() -> list[tuple[type[models.Model], models.Field]]:
    """Every encrypted column of every concrete model, in a stable order."""
    found = []
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed:
            continue
        found.extend((model, f) for f in meta.concrete_fields if isinstance(f, ENCRYPTED_FIELDS))
    return sorted(found, key=lambda item: (item[0]._meta.label, item[1].name))


@dataclass
class ColumnReport:
    label: str
    scanned: int = 0
    changed: int = 0
    unmatched: int = 0  # blind indexes only: hashes neither under the previous nor the current key


@dataclass
class RotationReport:
    dry_run: bool
    encryption: list[ColumnReport] = field(default_factory=list)
    blind_indexes: list[ColumnReport] = field(default_factory=list)

    def totals(self) -> dict[str, int]:
        return {
            "values_scanned": sum(r.scanned for r in self.encryption),
            "values_reencrypted": sum(r.changed for r in self.encryption),
            "hashes_scanned": sum(r.scanned for r in self.blind_indexes),
            "hashes_rekeyed": sum(r.changed for r in self.blind_indexes),
            "hashes_unmatched": sum(r.unmatched for r in self.blind_indexes),
        }


Progress = Callable[[ColumnReport], None]


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _raw_batches(model: type[models.Model], columns: list[str], *, batch_size: int) -> Iterator[list[tuple]]:
    """(pk, *raw column values) in primary key order, a batch at a time, without decrypting anything."""
    meta = model._meta
    pk = _q(meta.pk.column)
    selected = ", ".join([pk, *(_q(c) for c in columns)])
    last = None
    while True:
        where = f"WHERE {pk} > %s " if last is not None else ""
        sql = f"SELECT {selected} FROM {_q(meta.db_table)} {where}ORDER BY {pk} LIMIT %s"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, [last, batch_size] if last is not None else [batch_size])
            rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _update_if_unchanged(model: type[models.Model], column: str, updates: list[tuple[str, object, str]]) -> int:
    """Set `column` to the new value on rows that still hold the value read; returns the rows changed."""
    meta = model._meta
    sql = (f"UPDATE {_q(meta.db_table)} SET {_q(column)} = %s "  # noqa: S608
           f"WHERE {_q(meta.pk.column)} = %s AND {_q(column)} = %s")
    changed = 0
    with connection.cursor() as cursor:
        for new, pk, old in updates:
            cursor.execute(sql, [new, pk, old])
            changed += cursor.rowcount
    return changed


def _reencrypt_column(model, fld, *, batch_size: int, dry_run: bool) -> ColumnReport:
    report = ColumnReport(label=f"{model._meta.label}.{fld.name}")
    for rows in _raw_batches(model, [fld.column], batch_size=batch_size):
        report.scanned += len(rows)
        updates = [(reencrypt(token), pk, token) for pk, token in rows if token and not is_current(token)]
        if dry_run:
            report.changed += len(updates)
            continue
        with transaction.atomic():
            report.changed += _update_if_unchanged(model, fld.column, updates)
    return report


_PHONE_SEPARATORS = re.compile(r"[\s\-()（）]")


def _candidates(value: str, purpose: str) -> set[str]:
    """The forms of a value a writer may have hashed: the portal hashes the mobile without +86 or spaces."""
    forms = {value}
    if purpose == "phone":
        digits = _PHONE_SEPARATORS.sub("", value)
        for prefix in ("+86", "0086"):
            digits = digits.removeprefix(prefix)
        if len(digits) == 13 and digits.startswith("86"):
            digits = digits[2:]
        forms.add(digits)
    return forms


def _sources_of(purpose: str, *, batch_size: int) -> Iterator[str]:
    """Every value of `purpose` kept (encrypted) next to a blind index, anywhere in the database."""
    for entry in BLIND_INDEXES:
        if entry.purpose != purpose or entry.source is None:
            continue
        model = apps.get_model(entry.model)
        column = model._meta.get_field(entry.source).column
        for rows in _raw_batches(model, [column], batch_size=batch_size):
            for _pk, token in rows:
                if token:
                    yield decrypt(token)


def _hash_only_map(entry: BlindIndex, hash_column: str, *, previous: str,
                   batch_size: int) -> tuple[dict[str, str], set[str]]:
    """For a column that keeps only hashes: (previous hash -> current hash, hashes already current).

    Only the hashes present in the column are looked for, so memory stays bounded by its size.
    """
    wanted: set[str] = set()
    for rows in _raw_batches(apps.get_model(entry.model), [hash_column], batch_size=batch_size):
        wanted.update(h for _pk, h in rows if h)
    mapping: dict[str, str] = {}
    current: set[str] = set()
    for value in _sources_of(entry.purpose, batch_size=batch_size):
        for form in _candidates(value, entry.purpose):
            new = blind_index(form, purpose=entry.purpose)
            old = blind_index(form, purpose=entry.purpose, key=previous)
            if old in wanted:
                mapping[old] = new
            if new in wanted:
                current.add(new)
        if len(mapping) + len(current) >= len(wanted):
            break
    return mapping, current


def _rekey_column(entry: BlindIndex, *, previous: str, batch_size: int, dry_run: bool) -> ColumnReport:
    model = apps.get_model(entry.model)
    report = ColumnReport(label=f"{model._meta.label}.{entry.field}")
    hash_column = model._meta.get_field(entry.field).column
    columns = [hash_column]
    if entry.source is None:
        mapping, current = _hash_only_map(entry, hash_column, previous=previous, batch_size=batch_size)
    else:
        columns.append(model._meta.get_field(entry.source).column)
    for rows in _raw_batches(model, columns, batch_size=batch_size):
        report.scanned += len(rows)
        updates = []
        for pk, stored, *source in rows:
            if not stored:
                continue
            if entry.source is None:
                new, is_current_hash = mapping.get(stored), stored in current
            else:
                new, is_current_hash = _rekeyed(stored, decrypt(source[0]) if source[0] else "",
                                                purpose=entry.purpose, previous=previous)
            if new is not None:
                updates.append((new, pk, stored))
            elif not is_current_hash:
                report.unmatched += 1
        if dry_run:
            report.changed += len(updates)
            continue
        with transaction.atomic():
            report.changed += _update_if_unchanged(model, hash_column, updates)
    return report


def _rekeyed(stored: str, value: str, *, purpose: str, previous: str) -> tuple[str | None, bool]:
    """(the hash under the current key if `stored` is under the previous one, whether `stored` is current)."""
    for form in _candidates(value, purpose):
        new = blind_index(form, purpose=purpose)
        if stored == new:
            return None, True
        if stored == blind_index(form, purpose=purpose, key=previous):
            return new, False
    return None, False


def encryption_keys_rotate(*, actor=None, dry_run: bool = False, batch_size: int = 500,
                           progress: Progress | None = None) -> RotationReport:
    """Re-encrypt every protected value under the first key; re-key blind indexes if a previous key is set."""
    from open12348.audit.services import audit_record

    report = RotationReport(dry_run=dry_run)
    for model, fld in encrypted_columns():
        column = _reencrypt_column(model, fld, batch_size=batch_size, dry_run=dry_run)
        report.encryption.append(column)
        if progress:
            progress(column)
    previous = getattr(settings, "BLIND_INDEX_PREVIOUS_KEY", "")
    if previous and previous != settings.BLIND_INDEX_KEY:
        for entry in BLIND_INDEXES:
            column = _rekey_column(entry, previous=previous, batch_size=batch_size, dry_run=dry_run)
            report.blind_indexes.append(column)
            if progress:
                progress(column)
    if not dry_run:
        audit_record(actor=actor, action="crypto.rotate", object_type="core.encryption_keys",
                     extra={**report.totals(), "keys": len(settings.FIELD_ENCRYPTION_KEYS),
                            "blind_index_rekeyed": bool(report.blind_indexes)})
    return report
