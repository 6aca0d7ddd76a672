from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WalksConfig(AppConfig):
    name = "walks"
    verbose_name = _("Walks")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import (
            checks,  # noqa: F401 - registers the map settings' checks
            views,  # noqa: F401 - fills the pages' route tables
        )
        from .schedule import ensure_reminder_schedule

        post_migrate.connect(ensure_reminder_schedule, sender=self, dispatch_uid="walks-reminder-schedule")
