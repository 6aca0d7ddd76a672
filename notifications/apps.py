from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notification settings")

    def ready(self):
        from django.db.models.signals import post_migrate, post_save

        from community.models import Notification, notifications_created

        from . import checks  # noqa: F401 - registers the deployment check
        from .receivers import notification_saved, notifications_bulk_created
        from .schedule import ensure_digest_schedule

        post_save.connect(notification_saved, sender=Notification, dispatch_uid="notifications-push-saved")
        notifications_created.connect(
            notifications_bulk_created, sender=Notification, dispatch_uid="notifications-push-bulk"
        )

        post_migrate.connect(
            ensure_digest_schedule, sender=self, dispatch_uid="notifications-digest-schedule"
        )
