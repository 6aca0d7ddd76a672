from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WalksConfig(AppConfig):
    name = "walks"
    verbose_name = _("Walks")
