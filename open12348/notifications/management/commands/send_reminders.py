"""`manage.py send_reminders [--date YYYY-MM-DD]`: send today's deadline reminders (cron, `make run`)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from open12348.notifications.reminders import run_reminders


class Command(BaseCommand):
    help = (
        "Send the reminders due today for every open deadline: before the due day, on it, and once when "
        "it has passed. Safe to run as often as you like: a reminder is never sent twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", default=None,
                            help="act as if today were this day (YYYY-MM-DD); default: today in TIME_ZONE")

    def handle(self, *args, date: str | None, **options):
        try:
            today = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError(_("The date must be written as YYYY-MM-DD, such as 2025-10-09.")) from exc
        run = run_reminders(today=today)
        self.stdout.write(self.style.SUCCESS(
            _("Reminders for %(day)s: %(sent)d sent, %(skipped)d already sent, %(failed)d failed.")
            % {"day": today.isoformat(), "sent": run.sent, "skipped": run.skipped, "failed": run.failed}
        ))
        if run.failed_sources:
            self.stderr.write(_("These deadline sources failed (see the log): %(names)s")
                              % {"names": ", ".join(run.failed_sources)})
        if run.failed or run.failed_sources:
            raise CommandError(_("Some reminders could not be sent; the next run will try them again."))
