from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from open12348.stats.services import stats_check
from open12348.stats.sources import SOURCES


class Command(BaseCommand):
    help = ("Compare the dashboard's summary tables with a direct count of the records and a full recount; "
            "print every difference and exit with status 1 if there is any.")

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="*", help=", ".join(SOURCES))

    def handle(self, *args, sources: list[str], **options):
        unknown = set(sources) - set(SOURCES)
        if unknown:
            raise CommandError(_("Unknown source: %(names)s") % {"names": ", ".join(sorted(unknown))})
        failed = False
        for name in sources or SOURCES:
            result = stats_check(source=name)
            if result.ok:
                self.stdout.write(_("%(source)s: %(records)s records, no difference")
                                  % {"source": name, "records": result.records})
                continue
            failed = True
            self.stdout.write(_("%(source)s: %(count)s differences") % {"source": name,
                                                                        "count": len(result.differences)})
            for line in result.differences:
                self.stdout.write("  " + line)
        if failed:
            raise CommandError(_("The summary tables differ from the records: run stats_rebuild."))
