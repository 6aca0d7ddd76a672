"""Liveness (``/healthz``) and readiness (``/readyz``) probes.

``HealthCheckMiddleware`` comes first in ``MIDDLEWARE``: a probe from a load balancer or from
``docker compose`` (plain HTTP, any Host header) is answered before the HTTPS redirect and the
host check, and touches no session, user or database unless it asks for readiness.

``/readyz`` runs the checks named in ``settings.READINESS_CHECKS`` and answers 503 when one
fails. Which ones failed (and why) is told only to trusted addresses (this machine and
``TRUSTED_PROXIES``, see ``core.client_ip.is_trusted_address``); anyone else gets the status.
"""

import asyncio
import logging
import uuid
from collections.abc import Callable

from asgiref.sync import async_to_sync
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import JsonResponse

from core.client_ip import is_trusted_address

logger = logging.getLogger(__name__)

LIVENESS_PATH = "/healthz"
READINESS_PATH = "/readyz"
CHANNEL_LAYER_TIMEOUT = 2.0
WORKING_CLUSTER_STATES = {"Starting", "Idle", "Working"}


class CheckFailed(Exception):
    """A dependency answered, but not as a ready one should."""


def check_database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    key, token = "health:probe", uuid.uuid4().hex
    cache.set(key, token, timeout=10)
    if cache.get(key) != token:
        raise CheckFailed("the cache did not keep a value")


async def _channel_layer_round_trip() -> None:
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    channel = f"health.probe.{uuid.uuid4().hex}"
    await layer.send(channel, {"type": "health.probe"})
    message = await asyncio.wait_for(layer.receive(channel), timeout=CHANNEL_LAYER_TIMEOUT)
    if message.get("type") != "health.probe":
        raise CheckFailed("the channel layer returned another message")


def check_channel_layer() -> None:
    async_to_sync(_channel_layer_round_trip)()


def check_search() -> None:
    """The engine answers and has every index, made by `search_setup` with our mappings."""
    from wagtail.search.backends import get_search_backend

    client = getattr(get_search_backend(), "es", None)
    if client is None:
        return
    if not client.ping():
        raise CheckFailed("the search engine did not answer")
    from search.setup import engine_problems

    problems = engine_problems()
    if problems:
        raise CheckFailed(f"search indexes need manage.py search_setup: {', '.join(problems)}")


def check_worker() -> None:
    """The default django-q2 cluster has written its status (every half second, kept 3 s)."""
    from django_q.status import Stat

    if not any(stat.status in WORKING_CLUSTER_STATES for stat in Stat.get_all()):
        raise CheckFailed("no background worker has reported in the last seconds")


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "cache": check_cache,
    "channel_layer": check_channel_layer,
    "search": check_search,
    "worker": check_worker,
}


def run_checks(names: list[str]) -> dict[str, str]:
    results = {}
    for name in names:
        try:
            CHECKS[name]()
        except Exception as error:
            logger.warning("readiness check %s failed: %s", name, error)
            results[name] = f"failed: {type(error).__name__}"
        else:
            results[name] = "ok"
    return results


def readiness_response(request) -> JsonResponse:
    results = run_checks(settings.READINESS_CHECKS)
    failing = [name for name, result in results.items() if result != "ok"]
    body = {"status": "unavailable" if failing else "ok"}
    if is_trusted_address(request):
        body.update(failing=failing, checks=results)
    return JsonResponse(body, status=503 if failing else 200, headers={"Cache-Control": "no-store"})


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == LIVENESS_PATH:
            return JsonResponse({"status": "ok"}, headers={"Cache-Control": "no-store"})
        if request.path == READINESS_PATH:
            return readiness_response(request)
        return self.get_response(request)
