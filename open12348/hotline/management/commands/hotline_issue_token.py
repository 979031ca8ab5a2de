"""`manage.py hotline_issue_token --hotline ID --name NAME`: a token for a telephony system, shown once."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from open12348.core.errors import ApplicationError
from open12348.hotline.models import Hotline
from open12348.hotline.services.telephony import telephony_client_issue


class Command(BaseCommand):
    help = ("Issue an API token for a telephony system that reports call events to a hotline. The token is "
            "printed once; only its hash is kept.")

    def add_arguments(self, parser):
        parser.add_argument("--hotline", type=int, help="the hotline's id (default: the only one)")
        parser.add_argument("--name", required=True, help="a name for the telephony system")

    def handle(self, *args, hotline: int | None, name: str, **options):
        hotlines = Hotline.objects.filter(pk=hotline) if hotline else Hotline.objects.all()
        if hotlines.count() != 1:
            raise CommandError(_("Say which hotline with --hotline ID (see the admin for the ids)."))
        try:
            client, token = telephony_client_issue(actor=None, hotline=hotlines.get(), name=name)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(_("The token of %(name)s (%(prefix)s), shown only now: %(token)s")
                          % {"name": client.name, "prefix": client.prefix, "token": token})
