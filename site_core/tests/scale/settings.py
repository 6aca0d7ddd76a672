"""The scale tier's nodes: the test settings, with what production takes from the environment
(object storage for uploads and exports) and HTTPS as nginx reports it (X-Forwarded-Proto, from
TRUSTED_PROXIES only)."""

from site_core.settings import base
from site_core.settings.test import *  # noqa: F403

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
STORAGES = {
    **base.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_SERVED_BY_DJANGO = base.MEDIA_SERVED_BY_DJANGO
