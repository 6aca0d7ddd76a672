from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Privacy")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate
        from django.utils.module_loading import autodiscover_modules
        from wagtail.signals import page_published, page_unpublished

        from .consent import flag_missing_consent
        from .schedule import ensure_cleanup_schedule
        from .selectors import forget_current_documents

        # Each app's privacy.py registers what it exports and erases (core/personal_data.py).
        autodiscover_modules("privacy")
        user_logged_in.connect(flag_missing_consent, dispatch_uid="privacy-consent-at-login")
        post_migrate.connect(ensure_cleanup_schedule, sender=self, dispatch_uid="privacy-cleanup-schedule")
        for signal in (page_published, page_unpublished):
            signal.connect(forget_current_documents, dispatch_uid=f"privacy-documents-{id(signal)}")
