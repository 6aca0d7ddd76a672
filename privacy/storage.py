"""Where data exports are kept: a folder outside MEDIA_ROOT that no URL serves, or (with
``AWS_PRIVATE_STORAGE_BUCKET_NAME``, ``STORAGES["private"]``) a private bucket.

Files are handed out only by the download view, which checks the owner and the expiry, then
streams the folder's file or redirects to the bucket's signed URL, valid for
``PRIVATE_MEDIA_URL_SECONDS``. With a folder, web servers and workers must share
``PRIVATE_MEDIA_ROOT``.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
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


def signed_urls() -> bool:
    """Exports are in a bucket and handed out by signed, expiring URLs."""
    return "private" in settings.STORAGES


private_storage = storages["private"] if signed_urls() else PrivateStorage()
