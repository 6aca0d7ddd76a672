"""Local development: debug pages on, mail to the console, any local host."""

from .base import *  # noqa: F403
from .base import BASE_DIR, checkout_secret, env_list, env_str

DEBUG = True
# Never a key written in the code: anyone could forge sessions and tokens for a `make run`
# reachable from outside. Each checkout makes its own once (like the demo password).
SECRET_KEY = env_str("SECRET_KEY") or checkout_secret(BASE_DIR / "var" / "secret-key.txt")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
