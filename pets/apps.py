from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetsConfig(AppConfig):
    """Members' dogs and cats: pet profiles, tagging pets in posts, and the photo check."""

    name = "pets"
    verbose_name = _("Pets")
