from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The home page and what the layout shows on every page (the nav's badges)."""

    name = "home"
    verbose_name = _("Home")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("badges")
