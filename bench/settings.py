"""The production settings plus the benchmark's trivial routes (bench/urls.py).

Used only by bench/feed.py, which starts the production ASGI server with
DJANGO_SETTINGS_MODULE=bench.settings. The middleware, authentication, templates, storage and
security settings are production's; only STATIC_ROOT moves to a scratch folder, and the opt-in
connection pool experiment below changes the database settings.
"""

import os

from site_core.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

# collectstatic output (the manifest that {% static %} reads) goes to a scratch folder, not staticfiles/.
if os.environ.get("BENCH_STATIC_ROOT"):
    STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]

# Experiment (off by default): `bench/feed.py --db-pool` tries psycopg's connection pool, which needs
# the psycopg-pool package. Django under ASGI opens a connection per request without it.
if os.environ.get("BENCH_DB_POOL"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405 - Django refuses persistent connections with a pool
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {  # noqa: F405
        "min_size": int(os.environ.get("BENCH_DB_POOL_MIN", "4")),
        "max_size": int(os.environ.get("BENCH_DB_POOL_MAX", "16")),
    }
