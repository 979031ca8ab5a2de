import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from open12348.stats.services import stats_rebuild
from open12348.stats.sources import SOURCES


class Command(BaseCommand):
    help = "Rebuild the dashboard's summary tables from the records (all sources, or the ones named)."

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="*", help=", ".join(SOURCES))

    def handle(self, *args, sources: list[str], **options):
        unknown = set(sources) - set(SOURCES)
        if unknown:
            raise CommandError(_("Unknown source: %(names)s") % {"names": ", ".join(sorted(unknown))})
        for name in sources or SOURCES:
            started = time.perf_counter()
            records = stats_rebuild(source=name)
            self.stdout.write(_("%(source)s: %(records)s records counted in %(seconds).1f s")
                              % {"source": name, "records": records, "seconds": time.perf_counter() - started})
