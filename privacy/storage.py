"""Where data exports are kept: a folder outside MEDIA_ROOT that no URL serves.

Files are handed out only by the download view, which checks the owner and the expiry.
Web servers and workers must share ``PRIVATE_MEDIA_ROOT``.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property


class PrivateStorage(FileSystemStorage):
    def _clear_cached_properties(self, setting, **kwargs):
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)
        super()._clear_cached_properties(setting, **kwargs)

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @cached_property
    def base_url(self):
        return None


private_storage = PrivateStorage()
