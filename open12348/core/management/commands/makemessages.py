"""makemessages without fuzzy matching: a new string starts untranslated, never with a guess
borrowed from a similar one (which the catalogue test would then have to catch)."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
