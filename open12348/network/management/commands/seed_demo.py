"""`manage.py seed_demo --scale city [--seed N] [--if-empty]`: build the demo city (Pingdingshan).

`--scale province [--cases N]` builds Henan province with N legal aid cases instead (docs/scale.md).
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from open12348.checkup.demo import checkup_demo_seed
from open12348.core.errors import ApplicationError
from open12348.education.demo import education_demo_seed
from open12348.frontdesk.demo import frontdesk_demo_seed
from open12348.hotline.demo import hotline_demo_seed
from open12348.legalaid.demo import legalaid_demo_seed
from open12348.legalaid.history import legalaid_history_seed
from open12348.legalaid.province import DEFAULT_CASES, province_database_has_cases, province_seed
from open12348.mediation.demo import mediation_demo_seed
from open12348.network.demo import DEFAULT_SEED, SCALES, demo_database_is_empty, demo_seed
from open12348.quality.demo import quality_demo_seed
from open12348.stats.services import stats_sweep
from open12348.video.demo import video_demo_seed


class Command(BaseCommand):
    help = (
        "Fill an empty database with the demo city (Pingdingshan): divisions, the service network, "
        "institutions, practitioners and one demo account per role. The same seed gives the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", choices=SCALES, default="city", help="how much to build (default: city)"
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default: {DEFAULT_SEED})"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the database already holds institutions (used by `make run`)",
        )
        parser.add_argument(
            "--without-legal-aid",
            action="store_true",
            help="build the city and its accounts only, without the demo legal aid, quality and hotline work",
        )
        parser.add_argument(
            "--cases",
            type=int,
            default=DEFAULT_CASES,
            help=f"with --scale province: how many legal aid cases (default: {DEFAULT_CASES})",
        )

    def handle(self, *args, scale: str, seed: int, if_empty: bool, without_legal_aid: bool, cases: int, **options):
        if scale == "province":
            self._province(seed=seed, cases=cases, if_empty=if_empty, verbosity=options["verbosity"])
            return
        if if_empty and not demo_database_is_empty():
            self.stdout.write(_("The database already holds data; demo data not loaded."))
            return
        started = time.perf_counter()
        try:
            result = demo_seed(seed=seed, scale=scale)
            if not without_legal_aid:
                legalaid_history_seed(seed=seed)  # the cases since 2019 the seed counts, before today's
            legal_aid = {"applications": 0} if without_legal_aid else legalaid_demo_seed(seed=seed)
            if not without_legal_aid:
                quality_demo_seed(seed=seed)
                hotline_demo_seed(seed=seed)
                mediation_demo_seed(seed=seed)
                frontdesk_demo_seed(seed=seed)
                education_demo_seed(seed=seed)
                checkup_demo_seed(seed=seed)
                video_demo_seed(seed=seed)
            stats_sweep()  # the dashboard's summary tables, built from what was just written
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        counts = result.counts
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Demo data loaded in %(seconds).1f s (seed %(seed)d): %(regions)d regions, %(institutions)d "
                    "institutions, %(practitioners)d practitioners, %(stations)d stations, %(rooms)d rooms, "
                    "%(workstations)d legal aid workstations, %(applications)d legal aid applications. "
                    "Demo accounts: see docs/demo.md."
                )
                % {
                    "seconds": time.perf_counter() - started,
                    "seed": seed,
                    "regions": counts["regions"],
                    "institutions": counts["institutions"],
                    "practitioners": counts["practitioners"],
                    "stations": counts["points_station"],
                    "rooms": counts["points_room"],
                    "workstations": counts["points_aid_workstation"],
                    "applications": legal_aid["applications"],
                }
            )
        )

    def _province(self, *, seed: int, cases: int, if_empty: bool, verbosity: int) -> None:
        if if_empty and province_database_has_cases():
            self.stdout.write(_("The database already holds legal aid cases; the province was not loaded."))
            return

        shown = [0]

        def progress(done: int, total: int, seconds: float) -> None:
            tenth = done * 10 // total  # a line per tenth of the work
            if tenth == shown[0]:
                return
            shown[0] = tenth
            self.stdout.write(
                _("%(done)d of %(total)d cases written (%(seconds).0f s)")
                % {"done": done, "total": total, "seconds": seconds}
            )

        try:
            result = province_seed(seed=seed, cases=cases, progress=progress if verbosity else None)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        counts = result.counts
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Province loaded in %(seconds).1f s (seed %(seed)d): %(centres)d legal aid centres, "
                    "%(firms)d law firms, %(lawyers)d lawyers, %(cases)d cases, %(events)d case events, "
                    "%(progress)d progress entries, %(people)d people. Accounts: see docs/scale.md."
                )
                % {
                    "seconds": result.seconds,
                    "seed": seed,
                    "centres": counts["centres"],
                    "firms": counts["law_firms"],
                    "lawyers": counts["lawyers"],
                    "cases": counts["case"],
                    "events": counts["caseevent"],
                    "progress": counts["progressentry"],
                    "people": counts["person"],
                }
            )
        )
