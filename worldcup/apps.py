from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WorldcupConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "worldcup"
    verbose_name = _("Dog World Cup")

    def ready(self):
        from . import moderation
        from .schedule import ensure_monthly_schedule

        post_migrate.connect(ensure_monthly_schedule, sender=self, dispatch_uid="worldcup-monthly-schedule")
        moderation.register_reportable()
