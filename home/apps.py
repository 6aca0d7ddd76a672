from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The home page and what the layout shows on every page (the nav's badges)."""

    name = "home"
    verbose_name = _("Home")
