from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderation")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from core import actions

        from .guards import check_not_suspended

        # The suspension rule every ``@member_action`` service runs first (core/actions.py).
        actions.set_member_check(check_not_suspended)
        # Each app's moderation.py registers what members can report (moderation/registry.py).
        autodiscover_modules("moderation")
