"""Links to member content, reversed once per process instead of once per use.

A feed page links every post, author and hashtag several times; Django's `reverse` walks the URL
resolver each time. The answer depends only on the view, its arguments, the URL configuration
and the script prefix, so those are the cache key.
"""

from collections.abc import Callable
from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse


@lru_cache(maxsize=8192)
def _reverse(viewname: str, args: tuple, urlconf, script_prefix: str) -> str:
    return reverse(viewname, args=args, urlconf=urlconf)


def cached_reverse(viewname: str, *args) -> str:
    return _reverse(viewname, args, get_urlconf(), get_script_prefix())


def link_reverser() -> Callable[..., str]:
    """``cached_reverse`` with the URL configuration and script prefix read once, for code that
    links many things in a row (reading them costs more than the cached lookup)."""
    urlconf, script_prefix = get_urlconf(), get_script_prefix()
    return lambda viewname, *args: _reverse(viewname, args, urlconf, script_prefix)
