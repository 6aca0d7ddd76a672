"""Settings for the test suite: the database comes from DATABASE_URL (SQLite by default)."""

from .base import *  # noqa: F403
from .base import BASE_DIR

DEBUG = False
SECRET_KEY = "test-only-key-petrasche-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# The tests' recording push service listens on 127.0.0.1 (notifications/tests/push_service.py);
# push itself stays off until a test sets VAPID keys it generated.
WEB_PUSH_ALLOWED_HOSTS = [*WEB_PUSH_ALLOWED_HOSTS, "127.0.0.1"]  # noqa: F405
WEB_PUSH_LOOPBACK_HTTP = True
# Transactional tests end with a flush; on PostgreSQL this app's flush puts the database back as it
# was migrated, from a snapshot, instead of emptying it and re-running post_migrate
# (site_core/tests/flush).
INSTALLED_APPS = [*INSTALLED_APPS, "site_core.tests.flush"]  # noqa: F405
