"""The production settings, for the benchmarks' servers.

Used by bench/feed.py and bench/load.py, which start the production server with
DJANGO_SETTINGS_MODULE=bench.settings. Everything is production's (middleware, authentication,
templates, storage, security, the connection pool); only STATIC_ROOT moves to a scratch folder.
"""

import os

from site_core.settings.production import *  # noqa: F403

# collectstatic output (the manifest that {% static %} reads) goes to a scratch folder, not staticfiles/.
if os.environ.get("BENCH_STATIC_ROOT"):
    STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
