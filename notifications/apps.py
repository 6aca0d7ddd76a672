from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notification settings")

    def ready(self):
        from django.db.models.signals import post_migrate
        from django.utils.module_loading import autodiscover_modules

        from . import checks  # noqa: F401 - registers the deployment check
        from .schedule import ensure_digest_schedule

        # Each app's notifications.py registers its targets, pushes and digest items (registry.py).
        autodiscover_modules("notifications")
        post_migrate.connect(
            ensure_digest_schedule, sender=self, dispatch_uid="notifications-digest-schedule"
        )
