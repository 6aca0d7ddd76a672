from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Helpers every app may use; it imports none of the content apps."""

    name = "core"
    verbose_name = _("Shared helpers")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import runtime
        from .schedule import ensure_expiry_schedule

        runtime.close_connection_pools_before_fork()
        post_migrate.connect(ensure_expiry_schedule, sender=self, dispatch_uid="core-upload-expiry-schedule")
