"""manage.py audit_archive: move audit rows past the retention period to an archive file.

    manage.py audit_archive --before 2026-01-01 --out /backup/audit-2025.jsonl.gz           write + verify
    manage.py audit_archive --before 2026-01-01 --out /backup/audit-2025.jsonl.gz --purge   ... then delete them
    manage.py audit_archive --verify /backup/audit-2025.jsonl.gz                           re-check offline

See docs/security.md ("Audit retention and archive").
"""

from __future__ import annotations

import getpass
from datetime import date
from pathlib import Path
from types import SimpleNamespace

from django.core.management.base import BaseCommand, CommandError

from open12348.audit.archive import audit_archive_verify, audit_archive_write, audit_purge, manifest_path
from open12348.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Archive audit rows older than a date to gzipped JSON Lines with a manifest; verify; optionally purge."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--before", type=date.fromisoformat, help="archive rows older than this date (YYYY-MM-DD)")
        parser.add_argument("--out", type=Path, help="the archive file to write (.jsonl.gz)")
        parser.add_argument("--purge", action="store_true",
                            help="after writing and verifying the archive, delete the archived rows")
        parser.add_argument("--verify", type=Path, metavar="FILE", help="re-check an archive file and its manifest")

    def handle(self, *args, before=None, out=None, purge=False, verify=None, **options) -> None:
        try:
            if verify:
                if before or out or purge:
                    raise CommandError("--verify takes no other option")
                manifest = audit_archive_verify(path=verify)
                self.stdout.write(f"OK {verify}: rows {manifest.first_id}-{manifest.last_id} "
                                  f"({manifest.row_count}), last hash {manifest.last_hash}")
                return
            if not before or not out:
                raise CommandError("give --before and --out, or --verify FILE")
            operator = SimpleNamespace(username=f"manage.py:{getpass.getuser()}", is_authenticated=False)
            manifest = audit_archive_write(before=before, out=out, actor=operator)
            audit_archive_verify(path=out)
            self.stdout.write(f"archived rows {manifest.first_id}-{manifest.last_id} ({manifest.row_count}) to {out}; "
                              f"manifest {manifest_path(out)}; sha256 {manifest.sha256}")
            if purge:
                anchor = audit_purge(path=out, actor=operator)
                self.stdout.write(f"purged {anchor.row_count} rows; the chain now starts after row {anchor.last_id}")
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from exc
