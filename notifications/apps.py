from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notification settings")

    def ready(self):
        from django.db.models.signals import post_migrate

        from .schedule import ensure_digest_schedule

        post_migrate.connect(
            ensure_digest_schedule, sender=self, dispatch_uid="notifications-digest-schedule"
        )
