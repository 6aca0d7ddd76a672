from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = _("Community")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # Each app's community.py registers what its members do together (community/activities.py).
        autodiscover_modules("community")
