from django.core.management.base import BaseCommand

from core import services


class Command(BaseCommand):
    help = "Deletes temporary uploads (photos chosen for a form that was never sent) older than 24 hours."

    def handle(self, *args, **options):
        removed = services.temporary_uploads_remove_expired()
        self.stdout.write(f"Removed {removed} expired temporary uploads.")
