import os
import sys

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def serves_search() -> bool:
    """Whether this process indexes or searches text as it starts: the default task worker.

    (The web server's entry points load the analyzer themselves; the photo-check worker
    `Q_CLUSTER_NAME=ml` never touches text.)
    """
    return sys.argv[1:2] == ["qcluster"] and os.environ.get("Q_CLUSTER_NAME", "") != "ml"


def warm_up() -> None:
    """Loads the Korean analyzer now, once per process, instead of on the first search.

    In the task worker this runs before its worker processes are forked, so they share it.
    """
    from korean.analyzer import site_analyzer

    site_analyzer()


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Search")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from . import indexing, registry

        # Each app's search.py registers what it makes searchable (search/registry.py).
        autodiscover_modules("search")
        indexing.connect_signals(registry.search_types().values())
        if serves_search():
            warm_up()
