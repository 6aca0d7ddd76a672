from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


class MlConfig(AppConfig):
    """The classifier's model layer. Importing it (or ``ml.images``) never loads TensorFlow."""

    name = "ml"
    label = "ml"
    verbose_name = _("Photo classifier")

    def ready(self):
        from . import images

        # Web processes (members' uploads) and workers (the photo check) decode through the same slots.
        concurrency = settings.UPLOAD_DECODE_CONCURRENCY
        if concurrency < 1:
            raise ImproperlyConfigured(f"UPLOAD_DECODE_CONCURRENCY must be at least 1 (got {concurrency}).")
        images.decode_slots.configure(concurrency)
