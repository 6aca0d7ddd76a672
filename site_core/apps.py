from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteCoreConfig(AppConfig):
    name = "site_core"
    verbose_name = _("Site")

    def ready(self):
        from . import checks  # noqa: F401 - registers the deployment checks
