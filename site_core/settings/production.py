"""Production: every secret comes from the environment, and nothing starts without them."""

from django.core.exceptions import ImproperlyConfigured

from core.client_ip import parse_networks

from .base import *  # noqa: F403
from .base import (
    ALLOWED_HOSTS,
    LOGGING,
    SECRET_KEY,
    TRUSTED_PROXIES,
    WEB_PUSH_VAPID_PRIVATE_KEY,
    WEB_PUSH_VAPID_PUBLIC_KEY,
    env_bool,
    env_int,
    env_str,
)

if not SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set to a random string of at least 50 characters.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the host names this site answers to.")
parse_networks(tuple(TRUSTED_PROXIES))  # refuses to start on an entry that is not an address
if WEB_PUSH_VAPID_PUBLIC_KEY or WEB_PUSH_VAPID_PRIVATE_KEY:
    from notifications.vapid import vapid_key_problems

    if problems := vapid_key_problems(WEB_PUSH_VAPID_PUBLIC_KEY, WEB_PUSH_VAPID_PRIVATE_KEY):
        raise ImproperlyConfigured(" ".join(problems))

DEBUG = False

# TLS is terminated by the proxy in front (ops/nginx/); its X-Forwarded-Proto is believed only
# when the request comes from TRUSTED_PROXIES (core.client_ip.ForwardedProtoMiddleware).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
# Our scripts take the CSRF token from the page, never from the cookie.
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
LOGGING["handlers"]["console"]["formatter"] = env_str("LOG_FORMAT", "json")
