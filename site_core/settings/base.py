"""Settings shared by every environment.

Everything that differs between machines comes from environment variables. With none
set, the site runs embedded: SQLite, an in-memory channel layer, a local-memory cache
and Wagtail's database search backend.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or list(default or [])


def checkout_secret(path: Path) -> str:
    """A random secret made once per checkout and kept in ``path`` (readable by its owner only).
    Processes starting together agree: the file appears whole, or not at all."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(50)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(secret)
    try:
        os.link(draft, path)
    except FileExistsError:
        secret = path.read_text().strip()
    finally:
        draft.unlink()
    return secret


DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Our proxies (addresses or CIDR networks): only their X-Forwarded-For is read, and only its
# right-most entries (core/client_ip.py). Empty: the socket peer is the client.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")

INSTALLED_APPS = [
    "site_core",
    "core",
    "home",
    "accounts",
    "community",
    "pets",
    "ml",
    "search",
    "walks",
    "chat",
    "privacy",
    "notifications",
    "moderation",
    "worldcup",
    # Wagtail
    "wagtail.contrib.routable_page",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "accounts.admin_apps.MembersAdminConfig",  # wagtail.users with our member screens
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Django (the admin for superusers only: site_core/admin_site.py)
    "site_core.admin_site.SuperuserAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    # Accounts and API
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.kakao",
    "allauth.mfa",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_prose_editor",
    # Real time and background work
    "channels",
    "django_q",
    "csp",
]

MIDDLEWARE = [
    # X-Forwarded-Proto only from TRUSTED_PROXIES (SECURE_PROXY_SSL_HEADER in production).
    "core.client_ip.ForwardedProtoMiddleware",
    "core.logging.RequestIdMiddleware",
    "site_core.health.HealthCheckMiddleware",
    "core.edge.HostileInputMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "core.csp.SitePolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.mfa.StaffSecondFactorMiddleware",
    "privacy.middleware.ConsentRequiredMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "core.ratelimit.RateLimitMiddleware",
    "moderation.middleware.SuspensionMiddleware",
    # Last: read-only pages read the replica (core/replica.py).
    "core.replica.ReplicaMiddleware",
]

ROOT_URLCONF = "site_core.urls"
WSGI_APPLICATION = "site_core.wsgi.application"
ASGI_APPLICATION = "site_core.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "home.context_processors.site_navigation",
                "home.context_processors.nav_badges",
            ],
        },
    },
]

# Database: SQLite unless DATABASE_URL names another server.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL connections come from Django's pool (psycopg-pool), one pool per process, opened
    # by the process's first query (after the server forked it; a process that forks closes its
    # pools first: core/runtime.py). A connection is checked (conn_health_checks) each time it is
    # taken, so a restarted database costs no request more than the wait for a new connection.
    # A request waits up to DATABASE_POOL_TIMEOUT seconds for a free connection, then gets 503.
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env_int("DATABASE_POOL_MIN_SIZE", 1),
        "max_size": env_int("DATABASE_POOL_MAX_SIZE", 8),
        "timeout": env_int("DATABASE_POOL_TIMEOUT", 3),
        "max_idle": 300,
        "max_lifetime": 3600,
    }
# A streaming read replica of the primary (optional): read-only pages read it unless their member
# just wrote, or it lags more than REPLICA_MAX_LAG seconds, or it is down (core/replica.py).
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
REPLICA_MAX_LAG = float(env_str("REPLICA_MAX_LAG") or 5)
REPLICA_CHECK_SECONDS = float(env_str("REPLICA_CHECK_SECONDS") or 3)
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 10)
# The views (URL names) whose reads may go to the replica on GET and HEAD.
REPLICA_READ_VIEWS = [
    "home",
    "community:post_detail",
    "community:profile",
    "community:hashtag",
    "pets:detail",
    "search:search",
    "search:suggest",
    "api-posts",
    "api-post-detail",
    "api-post-comments",
    "api-feed",
    "api-member",
    "api-member-posts",
    "api-search",
]
if DATABASE_REPLICA_URL:
    DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_health_checks=True)
    # A replica that does not answer costs a page one second at most, once per REPLICA_CHECK_SECONDS.
    DATABASES["replica"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": 1,
            "pool": {
                "min_size": 0,
                "max_size": env_int("DATABASE_POOL_MAX_SIZE", 8),
                "timeout": 1,
                "max_idle": 300,
                "max_lifetime": 3600,
            },
        }
    )
    # Tests that import these settings read the primary's test database through the alias.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web, worker) share the file: wait for locks instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "accounts.backends.CachedPermissionsBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"

# Internationalization: Korean first, English as the alternative.
LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
# Our catalogue (written by `make messages`), then the Korean we give third-party messages
# (allauth, Django's forms, Wagtail's admin, the prose editor's toolbar), kept by hand where
# `make messages` cannot mark it obsolete. The first entry wins where both translate a message.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_third_party"]
# Korean dates with the time of day before the clock ("오후 11:29"): core/formats/ko.
FORMAT_MODULE_PATH = ["core.formats"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("ko", "한국어"), ("en", "English")]

# Static files are served by whitenoise; uploads live in MEDIA_ROOT.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
# Members' data exports (privacy/storage.py): outside MEDIA_ROOT, served only to their owner.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT") or BASE_DIR / "var" / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Photos decoded at once per process, web and worker (ml.images.decode_slots): each can take up to
# 100 MB while it is scaled down, whatever the file's size; further uploads wait for a slot.
UPLOAD_DECODE_CONCURRENCY = env_int("UPLOAD_DECODE_CONCURRENCY", 1)
# Uploads go to MEDIA_ROOT (served by core/media.py) unless AWS_STORAGE_BUCKET_NAME names an
# S3-compatible bucket (django-storages; credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY).
MEDIA_CACHE_SECONDS = env_int("MEDIA_CACHE_SECONDS", 60 * 60 * 24 * 7)
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            "custom_domain": env_str("AWS_S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False),
            "file_overwrite": False,
            "object_parameters": {"CacheControl": f"public, max-age={MEDIA_CACHE_SECONDS}"},
        },
    }
MEDIA_SERVED_BY_DJANGO = not AWS_STORAGE_BUCKET_NAME
# Data exports in a private bucket of their own (nothing public in it): the download view hands
# the owner a signed URL that expires after PRIVATE_MEDIA_URL_SECONDS.
AWS_PRIVATE_STORAGE_BUCKET_NAME = env_str("AWS_PRIVATE_STORAGE_BUCKET_NAME")
PRIVATE_MEDIA_URL_SECONDS = env_int("PRIVATE_MEDIA_URL_SECONDS", 300)
if AWS_PRIVATE_STORAGE_BUCKET_NAME:
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_PRIVATE_STORAGE_BUCKET_NAME,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            "querystring_auth": True,
            "querystring_expire": PRIVATE_MEDIA_URL_SECONDS,
            "signature_version": "s3v4",
            "default_acl": "private",
            "file_overwrite": False,
        },
    }
# Path-style addresses (http://host/bucket/key) for S3-compatible servers that need them.
if env_bool("AWS_S3_PATH_STYLE"):
    for _storage in ("default", "private"):
        if STORAGES.get(_storage, {}).get("BACKEND") == "storages.backends.s3.S3Storage":
            STORAGES[_storage]["OPTIONS"]["addressing_style"] = "path"
# Identical web and worker nodes (DEPLOYMENT_NODES > 1): `check --deploy` fails unless uploads and
# data exports are in object storage and Redis carries the cache and the channel layer
# (site_core/checks.py).
DEPLOYMENT_NODES = env_int("DEPLOYMENT_NODES", 1)

# Redis carries the channel layer and the cache when REDIS_URL is set.
REDIS_URL = env_str("REDIS_URL")
# channels_redis waits up to 5 s for a channel's next message (BZPOPMIN), so redis-py's default
# 5 s socket timeout would cut those reads off and drop idle sockets; its pool refuses (rather
# than waits) past 100 connections, and a busy process holds one per concurrent layer call.
CHANNEL_REDIS_HOST_OPTIONS = {"socket_timeout": 15, "socket_connect_timeout": 2, "max_connections": 2000}
# All sockets of a server process share one Redis queue, which silently drops messages beyond
# its capacity (default 100): room for bursts to every socket of a busy process.
CHANNEL_REDIS_OPTIONS = {"capacity": 5000}


def redis_cache(location: str, *, key_prefix: str = "petrasche") -> dict:
    """The cache on Redis (django-redis). It holds only what can be recomputed (counters, data
    caches), so a Redis outage costs speed, never a 500: with IGNORE_EXCEPTIONS reads miss,
    writes are dropped and counters count nothing (rate limits let everything through), each
    failure logged; a call waits half a second at most for Redis."""
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": location,
        "KEY_PREFIX": key_prefix,
        "OPTIONS": {
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
            "IGNORE_EXCEPTIONS": True,
            "LOG_IGNORED_EXCEPTIONS": True,
        },
    }


# The channel layer may spread its channels over several Redis servers (channels_redis shards
# by channel name; every node must list the same servers in the same order).
CHANNEL_REDIS_URLS = env_list("CHANNEL_REDIS_URLS", [REDIS_URL] if REDIS_URL else [])

if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL)}
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [{"address": url, **CHANNEL_REDIS_HOST_OPTIONS} for url in CHANNEL_REDIS_URLS],
                **CHANNEL_REDIS_OPTIONS,
            },
        }
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "petrasche"}
    }
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# Readiness (/readyz, site_core/health.py): what must answer before traffic is sent here. The
# worker's heartbeat is django-q2's cluster status in the cache, so it is seen across processes
# only when the cache is shared (Redis).
READINESS_CHECKS = ["database", "cache", "channel_layer", "search"] + (["worker"] if REDIS_URL else [])

# Web Push (notifications/push.py): off unless both VAPID keys are set (base64url, as
# `vapid --gen` or notifications.vapid.generate_vapid_keys() print them). A member's browser hands
# us the address of its push service; the server only ever posts to https addresses on these hosts
# (a leading "*." allows subdomains), so a subscription can't make the server post anywhere else.
WEB_PUSH_VAPID_PUBLIC_KEY = env_str("WEB_PUSH_VAPID_PUBLIC_KEY")
WEB_PUSH_VAPID_PRIVATE_KEY = env_str("WEB_PUSH_VAPID_PRIVATE_KEY")
WEB_PUSH_CONTACT = env_str("WEB_PUSH_CONTACT", "mailto:admin@petrasche.kr")
WEB_PUSH_ALLOWED_HOSTS = env_list(
    "WEB_PUSH_ALLOWED_HOSTS",
    [
        "fcm.googleapis.com",
        "updates.push.services.mozilla.com",
        "*.notify.windows.com",
        "web.push.apple.com",
    ],
)
# Plain http to a loopback address (the tests' recording push service); never in production.
WEB_PUSH_LOOPBACK_HTTP = False

# Chat: messages per member per window of seconds, counted by core/ratelimit.py.
CHAT_RATE_LIMIT = (10, 10)

# Rate limits (core/ratelimit.py): name -> (requests, seconds), counted per key in the cache
# (per client address as core/client_ip.py finds it, per account or member); request N+1 in
# a window gets 429 with Retry-After. A count of 0 turns a limit off (benchmarks, load tests).
# The cache failing lets everything through.
RATE_LIMITS = {
    "signup": (env_int("RATE_LIMIT_SIGNUP", 5), 30 * 60),  # per address
    # Wrong passwords (login page, API token, leaving the site; core/login_limits.py), per
    # account whether its handle or its e-mail was typed: from one address, from all addresses
    # (higher, so that a stranger alone cannot lock a member out), and per address for any account.
    "login_failed": (env_int("RATE_LIMIT_LOGIN_FAILED", 10), 15 * 60),
    "login_failed_account": (env_int("RATE_LIMIT_LOGIN_FAILED_ACCOUNT", 100), 15 * 60),
    "login_failed_address": (env_int("RATE_LIMIT_LOGIN_FAILED_ADDRESS", 50), 15 * 60),
    "post_new_account": (env_int("RATE_LIMIT_POST_NEW_ACCOUNT", 10), 60 * 60),  # per member < 1 day old
    "comment": (env_int("RATE_LIMIT_COMMENT", 30), 10 * 60),  # per member
    "upload": (env_int("RATE_LIMIT_UPLOAD", 30), 30 * 60),  # photos per member
    "api": (env_int("RATE_LIMIT_API", 300), 5 * 60),  # API requests per member, or per address
    # "… is typing" frames per member (chat.js sends one at most every 3 s while the member types).
    "chat_typing": (env_int("RATE_LIMIT_CHAT_TYPING", 10), 20),
    # @ and # completions in the post and comment boxes, per member (the script waits for a pause).
    "compose_suggest": (env_int("RATE_LIMIT_COMPOSE_SUGGEST", 60), 60),
}
RATE_LIMIT_NEW_ACCOUNT_AGE = timedelta(days=1)

# Sessions live in the database so that a Redis outage logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Background tasks: django-q2 with its ORM broker everywhere, so queued tasks are rows
# that survive a restart of any other server.
Q_CLUSTER = {
    "name": "petrasche",
    "orm": "default",
    "workers": env_int("Q_WORKERS", 2),
    "timeout": 120,
    "retry": 180,
    "max_attempts": 3,
    "catch_up": False,
    # Cron schedules (the World Cup's monthly reset, worldcup/schedule.py) run on Seoul's clock.
    "time_zone": "Asia/Seoul",
    "label": _("Background tasks"),
    # The photo classifier's own cluster and queue (pets.tasks), started as
    # `Q_CLUSTER_NAME=ml ML_THREADS=1 manage.py qcluster`: one worker, so TensorFlow is loaded
    # once and only there, and slow checks never hold up the default cluster's tasks. A check
    # that fails runs again after `retry` seconds (the first run includes loading the model).
    "ALT_CLUSTERS": {
        "ml": {"workers": 1, "queue_limit": 1, "timeout": 90, "retry": 120, "max_attempts": 3},
    },
}

# Search: Wagtail's database backend unless SEARCH_URL names a search engine
# (http(s)://… for Elasticsearch 9, opensearch://… for OpenSearch 3).
SEARCH_URL = env_str("SEARCH_URL")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
SEARCH_KOREAN_ANALYZER = env_str("SEARCH_KOREAN_ANALYZER")
# Result counts stop here ("100+"): counting all matches of a common word costs as much as reading them.
SEARCH_COUNT_CAP = env_int("SEARCH_COUNT_CAP", 100)


# The settings `search_setup` creates engine indexes with. Our documents hold terms computed by
# our Korean analysis (search/korean.py) separated by spaces: autocomplete splits on whitespace
# and stores edge n-grams as long as the longest term (search.korean.MAX_INDEXED_LENGTH); other
# text uses nori when the cluster has it (SEARCH_KOREAN_ANALYZER=nori), n-grams otherwise.
SEARCH_ENGINE_INDEX_SETTINGS = {
    "settings": {
        "analysis": {
            "analyzer": {
                "default": (
                    {"type": "nori", "decompound_mode": "mixed"}
                    if SEARCH_KOREAN_ANALYZER == "nori"
                    else {"type": "custom", "tokenizer": "korean_ngram", "filter": ["lowercase"]}
                ),
                "edgengram_analyzer": {
                    "type": "custom",
                    "tokenizer": "whitespace",
                    "filter": ["lowercase", "edgengram"],
                },
            },
            "tokenizer": {
                "korean_ngram": {
                    "type": "ngram",
                    "min_gram": 2,
                    "max_gram": 3,
                    "token_chars": ["letter", "digit"],
                }
            },
            "filter": {"edgengram": {"type": "edge_ngram", "min_gram": 1, "max_gram": 32}},
        },
        "index": {"max_ngram_diff": 32},
    }
}
if SEARCH_URL:
    _is_opensearch = SEARCH_URL.startswith(("opensearch://", "opensearchs://"))
    _search_url = SEARCH_URL.replace("opensearchs://", "https://").replace("opensearch://", "http://")
    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": (
                "wagtail.search.backends.opensearch3"
                if _is_opensearch
                else "wagtail.search.backends.elasticsearch9"
            ),
            "URLS": [_search_url],
            "INDEX_PREFIX": env_str("SEARCH_INDEX_PREFIX", "petrasche_"),
            "TIMEOUT": 5,
            "AUTO_UPDATE": False,
            "INDEX_SETTINGS": SEARCH_ENGINE_INDEX_SETTINGS,
        },
        "database": {"BACKEND": "wagtail.search.backends.database"},
    }

# Wagtail
WAGTAIL_SITE_NAME = "Petrasche"
# No Gravatar images in the admin: they come from another origin, which the admin's CSP refuses
# (one console error per avatar), and they would tell Gravatar who the moderators are.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# No calls from the admin to wagtail.io (upgrade check, "what's new" banner): English notices
# staff cannot act on, fetched from another origin.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILADMIN_BASE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Staff images obey members' pixel limit (ml.images.MAX_PIXELS; site_core/tests/test_images.py).
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 25_000_000

# Accounts (django-allauth)
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_FORMS = {
    "login": "accounts.forms.LoginForm",
    "signup": "accounts.forms.SignupForm",
    "confirm_email_verification_code": "accounts.forms.EmailCodeForm",
}
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
# allauth's messages name members by their nickname ("지우맘님, 환영해요!"), not their handle.
ACCOUNT_USER_DISPLAY = "accounts.adapters.user_display"
ACCOUNT_USERNAME_VALIDATORS = "accounts.validators.username_validators"
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_PRESERVE_USERNAME_CASING = False
# Every member proves their e-mail address with a 6-digit code on the page after sign-up (and,
# if it is still unconfirmed, at their next login). Sign-up reveals nobody: a taken address
# gets the "someone tried to sign up with your address" mail, and the page looks the same.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_EMAIL_VERIFICATION_SUPPORTS_RESEND = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Petrasche] "
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
# Sign-ups and failed logins are limited by RATE_LIMITS (core/login_limits.py), not allauth's
# own; allauth's other limits see the address core/client_ip.py finds (AccountAdapter).
# An address gets at most 3 code (or "someone tried to sign up") e-mails in 10 minutes: the
# owner told by the "someone tried" mail still gets a code when they log in right after.
ACCOUNT_RATE_LIMITS = {"signup": None, "login_failed": None, "confirm_email": "3/10m/key"}
# Kakao's verified address signs into (and connects to) the member with that address only if
# the member confirmed it here too (accounts.adapters.SocialAccountAdapter.authenticate_by_email);
# otherwise they prove the account is theirs first: their password, or the e-mail's link.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
KAKAO_CLIENT_ID = env_str("KAKAO_CLIENT_ID")
KAKAO_CLIENT_SECRET = env_str("KAKAO_CLIENT_SECRET")
SOCIALACCOUNT_PROVIDERS = {
    "kakao": {
        "APPS": (
            [{"client_id": KAKAO_CLIENT_ID, "secret": KAKAO_CLIENT_SECRET, "key": ""}]
            if KAKAO_CLIENT_ID
            else []
        ),
        "SCOPE": ["profile_nickname", "account_email"],
    }
}

# Two-factor login (allauth.mfa): TOTP with recovery codes, required for the admin (accounts/mfa.py).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Petrasche"

# E-mail: an SMTP server when EMAIL_HOST is set, the console otherwise.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Petrasche <no-reply@petrasche.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# API: DRF with JWT for apps and the session for the site's own scripts.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.tokens.ConsentCheckingJWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # Bodies with NUL bytes or unpaired surrogates are refused with 400 (core/edge.py).
    "DEFAULT_PARSER_CLASSES": [
        "core.edge.JSONParser",
        "core.edge.FormParser",
        "core.edge.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["core.ratelimit.MemberApiThrottle"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "core.api.exception_handler",
}
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=10),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=14),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "AUTH_HEADER_TYPES": ("Bearer",),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Petrasche API",
    "DESCRIPTION": "The API behind Petrasche, the community for people who live with dogs and cats.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["core.openapi.public_api_only"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.openapi.document_rate_limits",
    ],
    "ENUM_NAME_OVERRIDES": {"WalkStatusEnum": "walks.models.WalkStatus"},
}

# Map tiles for walks' meeting points (Leaflet): a tile server's URL template with {z}, {x} and {y},
# and the attribution its terms ask for. None by default: the public OpenStreetMap tiles are not
# for an app's traffic. Without tiles, walk pages show the area and links to Kakao/NAVER maps. The
# CSP (core/csp.py) lets member pages load images from this URL's origin only.
MAP_TILE_URL = env_str("MAP_TILE_URL")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION")

# Content-Security-Policy (django-csp, core/csp.py). Member pages: our own scripts, and an
# inline script only with the request's nonce ({{ request.csp_nonce }}). Inline styles are allowed:
# the prose editor (Tiptap) injects its base stylesheet as a <style> element. The Wagtail admin
# needs inline scripts too, so it gets a looser policy of its own.
_MEDIA_ORIGINS = [f"https://{domain}" for domain in [env_str("AWS_S3_CUSTOM_DOMAIN")] if domain] + [
    url for url in [env_str("AWS_S3_ENDPOINT_URL")] if url
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *_MEDIA_ORIGINS],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'", "https://kauth.kakao.com"],
        "frame-ancestors": ["'none'"],
    }
}
CONTENT_SECURITY_POLICY_ADMIN_PREFIXES = ["/admin/"]
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *_MEDIA_ORIGINS],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}

# Logs carry the request's id (core/logging.py); LOG_FORMAT=json writes one JSON object a line
# (the production default).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "core.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": env_str("LOG_FORMAT", "plain"),
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Errors (unhandled exceptions and ERROR log records) go to Sentry when SENTRY_DSN is set.
SENTRY_DSN = env_str("SENTRY_DSN")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", "production"),
        release=env_str("SENTRY_RELEASE") or None,
        traces_sample_rate=float(env_str("SENTRY_TRACES_SAMPLE_RATE") or 0),
        send_default_pii=False,
    )
