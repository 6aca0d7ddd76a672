"""Fixed-window rate limits counted in the cache: the site's one mechanism (allauth counts only
its own e-mail limits, ``ACCOUNT_RATE_LIMITS``).

``settings.RATE_LIMITS = {name: (requests, seconds)}``; chat messages have a setting of their own
(``CHAT_RATE_LIMIT``, passed as ``limit``). A limit is counted per key (a member id, an
account, a client address from ``core.client_ip``, never from a header a client wrote), so
request N+1 within the window is refused with ``RateLimited``: pages
answer with templates/429.html (``RateLimitMiddleware``), the API with JSON (the exception
handler), both with ``Retry-After``. If the cache fails, nothing is refused (fail open).
"""

import hashlib
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework.throttling import BaseThrottle

from .client_ip import client_ip

logger = logging.getLogger(__name__)


class RateLimited(Exception):
    """Too many requests; ``retry_after`` is the whole seconds until the window ends."""

    def __init__(self, name: str, retry_after: int):
        super().__init__(f"rate limit {name!r} reached; retry after {retry_after} s")
        self.name = name
        self.retry_after = retry_after


def limit_for(name: str) -> tuple[int, int]:
    count, seconds = settings.RATE_LIMITS[name]
    return int(count), int(seconds)


def _window(
    name: str, parts: tuple, now: float | None, limit: tuple[int, int] | None = None
) -> tuple[str, int, int, int]:
    limit, seconds = limit_for(name) if limit is None else (int(limit[0]), int(limit[1]))
    now = time.time() if now is None else now
    start = math.floor(now / seconds) * seconds
    retry_after = max(1, math.ceil(start + seconds - now))
    digest = hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()[:32]
    return f"ratelimit:{name}:{digest}:{start}", limit, seconds, retry_after


def _current(key: str) -> int:
    try:
        return int(cache.get(key) or 0)
    except Exception:
        logger.warning("rate limit cache unavailable; not limiting", exc_info=True)
        return 0


def _add(key: str, amount: int, seconds: int) -> int:
    try:
        if cache.add(key, amount, timeout=seconds + 1):
            return amount
        return int(cache.incr(key, amount))
    except ValueError:  # the key expired between add and incr
        return amount if cache.add(key, amount, timeout=seconds + 1) else 0
    except Exception:
        logger.warning("rate limit cache unavailable; not limiting", exc_info=True)
        return 0


def hit(
    name: str,
    *key: object,
    amount: int = 1,
    now: float | None = None,
    limit: tuple[int, int] | None = None,
) -> None:
    """Counts ``amount`` requests; raises RateLimited if that goes past the limit
    (``settings.RATE_LIMITS[name]``, or ``limit`` for a limit with a setting of its own)."""
    cache_key, limit, seconds, retry_after = _window(name, key, now, limit)
    if limit <= 0:
        return
    if _add(cache_key, amount, seconds) > limit:
        raise RateLimited(name, retry_after)


def check(name: str, *key: object, now: float | None = None) -> None:
    """Raises RateLimited if the limit is already used up, without counting (see ``count``)."""
    cache_key, limit, _seconds, retry_after = _window(name, key, now)
    if limit > 0 and _current(cache_key) >= limit:
        raise RateLimited(name, retry_after)


def count(name: str, *key: object, now: float | None = None) -> None:
    """Counts one event that ``check`` refuses once the limit is used up (failed logins)."""
    cache_key, limit, seconds, _retry_after = _window(name, key, now)
    if limit > 0:
        _add(cache_key, 1, seconds)


def too_many_requests(request, retry_after: int):
    """The friendly page, or JSON for the site's own scripts (they ask with Accept: application/json)."""
    if "application/json" in request.headers.get("Accept", ""):
        detail = _("Too many requests: try again in %(seconds)d seconds.") % {"seconds": retry_after}
        response = JsonResponse({"detail": detail}, status=429)
    else:
        response = render(request, "429.html", {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


class RateLimitMiddleware:
    """Turns RateLimited raised by a page's view into the friendly 429 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RateLimited):
            return too_many_requests(request, exception.retry_after)
        return None


class MemberApiThrottle(BaseThrottle):
    """The API limit (``RATE_LIMITS["api"]``) per signed-in member, and per address for visitors."""

    def get_ident(self, request) -> str:
        return client_ip(request)

    def allow_request(self, request, view):
        self.retry_after = None
        if request.user and request.user.is_authenticated:
            key = ("member", request.user.pk)
        else:
            key = ("ip", self.get_ident(request))
        try:
            hit("api", *key)
        except RateLimited as limited:
            self.retry_after = limited.retry_after
            return False
        return True

    def wait(self):
        return self.retry_after
