"""`manage.py second_factor_reset <username>`: forget an account's authenticator and recovery codes.

The break-glass path for when nobody who could use the admin's reset action can sign in (the only
superuser lost their phone and their recovery codes). Audited as `auth.2fa.reset` with no actor;
the account sets up a new authenticator at its next sign-in.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from open12348.accounts.models import User
from open12348.accounts.services import second_factor_reset


class Command(BaseCommand):
    help = "Reset an account's second factor (TOTP device and recovery codes); it enrols again at next sign-in."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("No account is called %(username)s.") % {"username": username})
        second_factor_reset(actor=None, user=user)
        self.stdout.write(_("The second factor of %(username)s was reset; the account sets up a new "
                            "authenticator app at its next sign-in.") % {"username": username})
