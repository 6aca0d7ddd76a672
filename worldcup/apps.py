from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class WorldcupConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "worldcup"
    verbose_name = _("Dog World Cup")

    def ready(self):
        from . import cards, views  # noqa: F401 - cards registers its system check, views the pages' routes
        from .schedule import ensure_monthly_schedule

        post_migrate.connect(ensure_monthly_schedule, sender=self, dispatch_uid="worldcup-monthly-schedule")
        self._forget_pet_of_the_month_on_change()

    def _forget_pet_of_the_month_on_change(self) -> None:
        from wagtail.signals import page_published, page_unpublished

        from .models import Entry, PetOfTheMonth, WorldCupEventPage
        from .selectors import forget_pet_of_the_month

        for model in (PetOfTheMonth, Entry, WorldCupEventPage):
            for signal in (post_save, post_delete):
                signal.connect(forget_pet_of_the_month, sender=model, dispatch_uid=f"potm-{model.__name__}")
        for signal in (page_published, page_unpublished):
            signal.connect(
                forget_pet_of_the_month, sender=WorldCupEventPage, dispatch_uid="potm-event-publish"
            )
