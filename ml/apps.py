from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MlConfig(AppConfig):
    """The classifier's model layer. Importing it (or ``ml.images``) never loads TensorFlow."""

    name = "ml"
    label = "ml"
    verbose_name = _("Photo classifier")
