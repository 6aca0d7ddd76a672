"""Django's makemessages without fuzzy matching: a new message starts untranslated instead of
borrowing a look-alike's translation ("Mon" → "남성" from "Men"), which the catalogue tests
(site_core/tests/test_translations.py) would then have to catch."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
