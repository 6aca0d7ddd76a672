from django.core.management.base import BaseCommand

from worldcup.tasks import monthly_reset


class Command(BaseCommand):
    help = "Close last month's World Cup (recording its pet of the month) and create this month's event."

    def handle(self, *args, **options):
        self.stdout.write(monthly_reset())
