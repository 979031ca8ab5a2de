"""`manage.py backup_verify --source <alias or URL> --target <alias or URL>`: prove that a restored
database holds exactly the rows of its source, table by table (row count and checksum).

Prints one line per table and exits non-zero when any table differs or is missing on either side.
See docs/operations.md for the whole backup and restore procedure.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from open12348.ops.backup import compare, open_database


def _describe(side) -> str:
    return "-" if side is None else f"{side.rows} rows, sum {side.checksum}"


class Command(BaseCommand):
    help = "Compare every table of two databases (a source and its restored copy) by row count and checksum."

    def add_arguments(self, parser):
        parser.add_argument("--source", default="default",
                            help="the database backed up: an alias of DATABASES or a URL (default: default)")
        parser.add_argument("--target", required=True, help="the restored database: an alias or a URL")

    def handle(self, *args, source: str, target: str, **options):
        started = time.monotonic()
        source_db, close_source = open_database(source)
        target_db, close_target = open_database(target)
        try:
            try:
                reports = compare(source_db, target_db)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        finally:
            if close_source:
                source_db.close()
            if close_target:
                target_db.close()
        differing = [report for report in reports if not report.ok]
        for report in reports:
            if report.ok:
                self.stdout.write(f"ok       {report.table}: {_describe(report.source)}")
            else:
                self.stdout.write(f"DIFFERS  {report.table}: source {_describe(report.source)}; "
                                  f"target {_describe(report.target)}")
        rows = sum(report.source.rows for report in reports if report.source is not None)
        self.stdout.write(_("%(tables)d tables, %(rows)d rows compared in %(seconds).1f s.")
                          % {"tables": len(reports), "rows": rows, "seconds": time.monotonic() - started})
        if differing:
            raise CommandError(_("The restore differs from its source in %(count)d tables: %(tables)s")
                               % {"count": len(differing), "tables": ", ".join(r.table for r in differing)})
        self.stdout.write(self.style.SUCCESS(_("The restore matches its source in every table.")))
