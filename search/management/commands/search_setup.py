"""Creates or updates the search indexes; part of every deployment (see search/setup.py)."""

from django.core.management.base import BaseCommand

from search.setup import setup


class Command(BaseCommand):
    help = (
        "Creates missing search indexes with their mappings and rebuilds, in the background, those "
        "made with another analysis or mapping. Safe to run again."
    )

    def handle(self, *args, **options):
        done = setup(out=self.stdout.write)
        current = sum(1 for state in done.values() if state in ("current", "empty"))
        self.stdout.write(self.style.SUCCESS(f"search indexes: {current} of {len(done)} current"))
