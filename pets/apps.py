from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetsConfig(AppConfig):
    """Members' dogs and cats: pet profiles, tagging pets in posts, and the photo check."""

    name = "pets"
    verbose_name = _("Pets")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # community/pets.py registers the posts that tag pets (pets/registry.py).
        autodiscover_modules("pets")
