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

# A/B switch for bench/feed.py --env SERVER:BENCH_UNCACHED_REVERSE=1: member links reversed by Django's
# reverse() every time instead of site_core.links' per-process cache, to measure what the cache gains.
if os.environ.get("BENCH_UNCACHED_REVERSE"):
    from django.urls import reverse

    import site_core.links

    def _uncached(viewname, args, script_prefix):
        return reverse(viewname, args=args)

    site_core.links._reverse = _uncached
