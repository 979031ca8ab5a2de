"""`manage.py rotate_encryption_keys [--dry-run] [--batch-size N]`: re-encrypt personal data with the current key.

The procedure (add the new key, run this, drop the old key) is in docs/security.md, "Key rotation".
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from open12348.core.rotation import ColumnReport, encryption_keys_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field with the first key of FIELD_ENCRYPTION_KEYS and, when "
        "BLIND_INDEX_PREVIOUS_KEY is set, re-compute the blind indexes under BLIND_INDEX_KEY. "
        "Safe to interrupt and to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="count what would change, change nothing")
        parser.add_argument("--batch-size", type=int, default=500, help="rows per transaction (default: 500)")

    def handle(self, *args, dry_run: bool, batch_size: int, **options):
        self.verbosity = options["verbosity"]
        if batch_size < 1:
            raise CommandError(_("--batch-size must be at least 1."))
        if getattr(settings, "BLIND_INDEX_PREVIOUS_KEY", "") == settings.BLIND_INDEX_KEY:
            raise CommandError(_("BLIND_INDEX_PREVIOUS_KEY equals BLIND_INDEX_KEY: set the new key first."))
        try:
            report = encryption_keys_rotate(dry_run=dry_run, batch_size=batch_size, progress=self._progress)
        except ValueError as exc:  # a value no configured key opens: the old key was dropped too early
            raise CommandError(_("A value could not be decrypted with FIELD_ENCRYPTION_KEYS (%(error)s). Put back "
                                 "the key it was written with and run again.") % {"error": exc}) from exc
        totals = report.totals()
        message = (_("Dry run: %(values_reencrypted)d of %(values_scanned)d values would be re-encrypted, "
                     "%(hashes_rekeyed)d of %(hashes_scanned)d blind indexes re-keyed "
                     "(%(hashes_unmatched)d matched no known value).")
                   if dry_run else
                   _("%(values_reencrypted)d of %(values_scanned)d values re-encrypted, %(hashes_rekeyed)d of "
                     "%(hashes_scanned)d blind indexes re-keyed (%(hashes_unmatched)d matched no known value)."))
        self.stdout.write(self.style.SUCCESS(message % totals))

    def _progress(self, column: ColumnReport) -> None:
        if self.verbosity < 1 or not column.scanned:
            return
        self.stdout.write(_("%(column)s: %(changed)d of %(scanned)d changed")
                          % {"column": column.label, "changed": column.changed, "scanned": column.scanned})
