"""Archiving audit rows past the retention period, checking an archive offline, and purging.

An archive is two files: FILE (gzipped JSON Lines, one row per line, oldest first, each line the
row's hashed payload plus its id, client and hash) and FILE.manifest.json (first/last id, row
count, the hash the first row chains on from, the last row's hash, the SHA-256 of FILE). Anyone
with the two files can re-check them without the database (`audit_archive_verify`).

The purge deletes exactly the archived rows, only after the archive was written and verified
against both itself and the database, in one transaction that leaves an AuditAnchor (where the
kept chain now starts) and an `audit.purge` row repeating the anchor's hash. On PostgreSQL the
append-only trigger lets the DELETE through only inside that transaction (`SET LOCAL
open12348.audit_purge`, migration 0003).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from open12348.core.errors import ApplicationError

from .models import AuditAnchor, AuditChainHead, AuditEvent
from .services import GENESIS, audit_record, chain_start, event_hash, event_payload, payload_hash

FORMAT = "open12348-audit-archive/1"
CHUNK = 2000


@dataclass(frozen=True)
class Manifest:
    format: str
    created_at: str
    before: str
    first_id: int
    last_id: int
    row_count: int
    first_prev_hash: str
    last_hash: str
    file: str
    sha256: str


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".manifest.json")


def retention_limit(*, today: date | None = None) -> date:
    """The newest `before` date allowed: rows younger than AUDIT_RETENTION_DAYS stay in the database."""
    today = today or timezone.localdate()
    return today - timedelta(days=settings.AUDIT_RETENTION_DAYS)


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def audit_archive_write(*, before: date, out: Path, actor=None, today: date | None = None) -> Manifest:
    """Write the kept chain's rows older than `before` (local midnight) to `out` and its manifest."""
    limit = retention_limit(today=today)
    if before > limit:
        raise ApplicationError(
            _("Rows of the last %(days)d days must stay in the database: choose %(limit)s or earlier.")
            % {"days": settings.AUDIT_RETENTION_DAYS, "limit": limit.isoformat()},
            code="inside_retention", field="before")
    start_hash, after_id = chain_start()
    cutoff = timezone.make_aware(datetime.combine(before, time.min))
    last_id = AuditEvent.objects.filter(id__gt=after_id, at__lt=cutoff).aggregate(last=Max("id"))["last"]
    if last_id is None:
        raise ApplicationError(_("There are no audit rows before %(date)s to archive.") % {"date": before.isoformat()},
                               code="nothing_to_archive", field="before")
    rows = AuditEvent.objects.filter(id__gt=after_id, id__lte=last_id).order_by("id")
    out = Path(out)
    partial = out.with_name(out.name + ".partial")
    prev, first_id, count = start_hash, None, 0
    with gzip.open(partial, "wt", encoding="utf-8") as f:
        for event in rows.iterator(chunk_size=CHUNK):
            if event.prev_hash != prev or event_hash(event) != event.hash:
                f.close()
                partial.unlink()
                raise ApplicationError(_("Row %(id)s does not match the hash chain: nothing was archived.")
                                       % {"id": event.id}, code="chain_broken")
            first_id = event.id if first_id is None else first_id
            line = {"row": event.id, **event_payload(event), "user_agent": event.user_agent, "hash": event.hash}
            f.write(json.dumps(line, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n")
            prev, count = event.hash, count + 1
    os.replace(partial, out)
    manifest = Manifest(format=FORMAT, created_at=timezone.now().isoformat(), before=before.isoformat(),
                        first_id=first_id, last_id=last_id, row_count=count, first_prev_hash=start_hash,
                        last_hash=prev, file=out.name, sha256=_file_sha256(out))
    manifest_path(out).write_text(json.dumps(asdict(manifest), indent=2) + "\n", encoding="utf-8")
    audit_record(actor=actor, action="audit.archive", object_type="audit.archive", object_id=str(last_id),
                 extra=asdict(manifest))
    return manifest


class ArchiveInvalid(ApplicationError):
    def __init__(self, message: str) -> None:
        super().__init__(message, code="archive_invalid")


def audit_archive_verify(*, path: Path) -> Manifest:
    """Re-check an archive without the database: file hash, every row's hash, the chain, the counts."""
    path = Path(path)
    try:
        manifest = Manifest(**json.loads(manifest_path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError) as exc:
        raise ArchiveInvalid(_("The manifest %(file)s is missing or unreadable.")
                             % {"file": manifest_path(path).name}) from exc
    if manifest.format != FORMAT:
        raise ArchiveInvalid(_("Unknown archive format %(format)s.") % {"format": manifest.format})
    if _file_sha256(path) != manifest.sha256:
        raise ArchiveInvalid(_("The archive file does not match the SHA-256 in its manifest."))
    prev, expected_id, count, first_id, last_id = manifest.first_prev_hash, None, 0, None, None
    try:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for number, text in enumerate(f, start=1):
                row = json.loads(text)
                payload = {k: row[k] for k in ("prev", "at", "actor", "username", "action", "type", "id", "repr",
                                               "changes", "result", "ip", "extra")}
                if row["prev"] != prev or payload_hash(payload) != row["hash"] \
                        or (expected_id is not None and row["row"] <= expected_id):
                    raise ArchiveInvalid(_("Line %(line)d (row %(id)s) does not match the hash chain.")
                                         % {"line": number, "id": row.get("row")})
                first_id = row["row"] if first_id is None else first_id
                expected_id = last_id = row["row"]
                prev, count = row["hash"], count + 1
    except (OSError, EOFError, ValueError, KeyError, TypeError) as exc:
        raise ArchiveInvalid(_("The archive file is damaged: %(error)s") % {"error": exc}) from exc
    if (count, first_id, last_id, prev) != (manifest.row_count, manifest.first_id, manifest.last_id,
                                            manifest.last_hash):
        raise ArchiveInvalid(_("The archive's rows do not match its manifest (count, first or last row, last hash)."))
    return manifest


@transaction.atomic
def audit_purge(*, path: Path, actor=None) -> AuditAnchor:
    """Delete the rows archived in `path` from the database, leaving an anchor. Refuses unless the
    archive verifies and covers exactly the oldest kept rows, unchanged in the database."""
    manifest = audit_archive_verify(path=path)
    AuditChainHead.objects.select_for_update().get_or_create(pk=1, defaults={"last_hash": GENESIS})
    start_hash, after_id = chain_start()
    kept = AuditEvent.objects.filter(id__gt=after_id)
    in_db = kept.filter(id__lte=manifest.last_id)
    last_in_db = in_db.order_by("-id").values_list("hash", flat=True).first()
    if (manifest.first_prev_hash != start_hash or kept.order_by("id").values_list("id", flat=True).first()
            != manifest.first_id or in_db.count() != manifest.row_count or last_in_db != manifest.last_hash):
        raise ApplicationError(_("The archive does not match the oldest rows in the database: nothing was deleted."),
                               code="archive_mismatch")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL open12348.audit_purge = 'on'")
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE id > %s AND id <= %s",  # noqa: S608
                       [after_id, manifest.last_id])
        deleted = cursor.rowcount
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL open12348.audit_purge = 'off'")
    if deleted != manifest.row_count:
        raise ApplicationError(_("The archive does not match the oldest rows in the database: nothing was deleted."),
                               code="archive_mismatch")
    anchor = AuditAnchor.objects.create(
        created_at=timezone.now(), before=date.fromisoformat(manifest.before), first_id=manifest.first_id,
        last_id=manifest.last_id, row_count=manifest.row_count, first_prev_hash=manifest.first_prev_hash,
        last_hash=manifest.last_hash, file_name=manifest.file, file_sha256=manifest.sha256)
    audit_record(actor=actor, action="audit.purge", obj=anchor,
                 extra={"first_id": manifest.first_id, "last_id": manifest.last_id, "rows": manifest.row_count,
                        "last_hash": manifest.last_hash, "file": manifest.file, "file_sha256": manifest.sha256,
                        "before": manifest.before})
    return anchor
