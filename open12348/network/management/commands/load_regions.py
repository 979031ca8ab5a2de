"""`manage.py load_regions PATH.csv [--root CODE]`: load administrative divisions from a CSV file."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from open12348.core.errors import ApplicationError
from open12348.network.regions import regions_load_csv


class Command(BaseCommand):
    help = (
        "Load administrative divisions from a CSV file with the columns code,name,level,parent_code. "
        "The whole file is checked first; re-running updates names and adds new divisions."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV file, UTF-8, with the columns code,name,level,parent_code")
        parser.add_argument(
            "--root", default=None, help="load only this division's subtree and its ancestors, e.g. 4104"
        )

    def handle(self, *args, path: str, root: str | None, **options):
        try:
            result = regions_load_csv(actor=None, path=path, root=root)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("Loaded %(rows)d divisions: %(created)d new, %(updated)d updated, %(unchanged)d unchanged.")
                % {
                    "rows": result.rows,
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                }
            )
        )
