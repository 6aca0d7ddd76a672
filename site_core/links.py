"""Links to member content, reversed once per process instead of once per use.

A feed page links every post, author and hashtag several times; Django's `reverse` walks the URL
resolver each time. The site routes every request by ROOT_URLCONF (no per-request URLconf), so
the answer depends only on the view, its arguments and the script prefix: those are the cache key,
and a change of ROOT_URLCONF (tests) empties the cache. Its measured gain: bench/README.md.
"""

from collections.abc import Callable
from functools import lru_cache

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, reverse


@lru_cache(maxsize=8192)
def _reverse(viewname: str, args: tuple, script_prefix: str) -> str:
    return reverse(viewname, args=args)


def cached_reverse(viewname: str, *args) -> str:
    return _reverse(viewname, args, get_script_prefix())


def link_reverser() -> Callable[..., str]:
    """``cached_reverse`` with the script prefix read once, for code that links many things in a row."""
    script_prefix = get_script_prefix()
    return lambda viewname, *args: _reverse(viewname, args, script_prefix)


@receiver(setting_changed)
def forget_links(*, setting: str, **kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _reverse.cache_clear()
