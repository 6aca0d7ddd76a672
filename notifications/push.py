"""Web Push: new notifications and chat messages sent to the member's devices (``PushSubscription``).

Off unless ``WEB_PUSH_VAPID_PUBLIC_KEY`` and ``WEB_PUSH_VAPID_PRIVATE_KEY`` are set. Writes only
queue a django-q2 task after commit (and only when a recipient has a device); the task sends,
never the request. A push goes out when the member wants that kind on the site (their
notification settings) and it is not their quiet hours. Pushes that are not notification rows
(a chat message, sent only to members with no socket open to the room) are built by their app's
contribution (registry.py, chat/notifications.py). Each push carries a ``tag`` (and the Web Push
``Topic``): a newer push for the same notification or chat room replaces the older one on the
device and at the push service.

Messages are encrypted for the subscription's keys (aes128gcm, RFC 8291) and signed with our
VAPID key (RFC 8292). A push service that answers 404 or 410 has dropped the subscription: so do we.
"""

import ipaddress
import json
import logging
from datetime import datetime, time
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import requests
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from . import registry
from .models import (
    TOPIC_OF,
    Notification,
    NotificationSetting,
    PushSubscription,
    QuietHours,
    default_quiet_end,
    default_quiet_start,
)
from .selectors import member_settings

logger = logging.getLogger(__name__)

SEOUL = ZoneInfo("Asia/Seoul")
TIMEOUT_SECONDS = 10
# How long a push service keeps a message for a device that is offline.
TTL_SECONDS = 60 * 60 * 24
GONE_STATUSES = {404, 410}


def enabled() -> bool:
    return bool(settings.WEB_PUSH_VAPID_PUBLIC_KEY and settings.WEB_PUSH_VAPID_PRIVATE_KEY)


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _host_allowed(host: str) -> bool:
    for allowed in settings.WEB_PUSH_ALLOWED_HOSTS:
        allowed = allowed.lower()
        if allowed.startswith("*.") and host.endswith(allowed[1:]) and len(host) > len(allowed) - 1:
            return True
        if host == allowed:
            return True
    return False


def endpoint_allowed(endpoint: str) -> bool:
    """Whether the server may post to ``endpoint``: https on a host of ``WEB_PUSH_ALLOWED_HOSTS``
    on the default port, with no user name or password in it (or plain http to a loopback host
    there, where ``WEB_PUSH_LOOPBACK_HTTP`` allows it: the tests)."""
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    if not host or parts.username is not None or parts.password is not None or not _host_allowed(host):
        return False
    if settings.WEB_PUSH_LOOPBACK_HTTP and is_loopback(host) and parts.scheme in ("http", "https"):
        return True
    return parts.scheme == "https" and port in (None, 443)


def in_quiet_hours(*, member_id: int, at: datetime | None = None) -> bool:
    hours = QuietHours.objects.filter(member_id=member_id).first()
    if hours is None:
        enabled_, start, end = True, default_quiet_start(), default_quiet_end()
    else:
        enabled_, start, end = hours.enabled, hours.start, hours.end
    if not enabled_ or start == end:
        return False
    now: time = (at or timezone.now()).astimezone(SEOUL).time()
    if start < end:
        return start <= now < end
    return now >= start or now < end


# ------------------------------------------------------------------------------------------ queueing


def _enqueue(func: str, *args, recipient_ids) -> None:
    if not enabled() or not PushSubscription.objects.filter(member_id__in=recipient_ids).exists():
        return
    from django_q.tasks import async_task

    async_task(func, *args, task_name=f"push {func.rsplit('.', 1)[-1]} {args[0]}")


def queue_notification_pushes(notifications) -> None:
    """After commit: a task that pushes these new (or newly grouped) notifications."""
    if not enabled():
        return
    ids = [note.pk for note in notifications if note.pk]
    recipients = {note.recipient_id for note in notifications if note.pk}
    if ids:
        transaction.on_commit(
            lambda: _enqueue("notifications.push.send_notification_pushes", ids, recipient_ids=recipients)
        )


def queue_push(name: str, object_id: int) -> None:
    """Called after commit: a task that sends the push ``name`` an app registered (registry.py)
    about ``object_id`` (a chat message)."""
    if not enabled():
        return
    _enqueue(
        "notifications.push.send_push",
        name,
        object_id,
        recipient_ids=registry.push_of(name).recipients(object_id),
    )


# ------------------------------------------------------------------------------------------ tasks


def send_notification_pushes(notification_ids: list[int]) -> int:
    """Pushes each unread notification to its recipient's devices; returns how many pushes went out."""
    sent = 0
    notes = Notification.objects.filter(pk__in=notification_ids, read_at__isnull=True).select_related(
        "actor", "recipient"
    )
    for note in notes:
        choice = member_settings(member=note.recipient).get(TOPIC_OF.get(note.kind, note.kind))
        if (choice is not None and not choice["on_site"]) or in_quiet_hours(member_id=note.recipient_id):
            continue
        with translation.override(settings.LANGUAGE_CODE):
            payload = {
                "title": "Petrasche",
                "body": render_to_string("notifications/push/notification.txt", {"note": note}).strip(),
                "url": reverse("community:notifications"),
                "tag": f"notification-{note.pk}",
            }
        sent += send_to_member(member_id=note.recipient_id, payload=payload)
    return sent


def send_push(name: str, object_id: int) -> int:
    """Sends the push ``name`` about ``object_id`` to the members its app chose, unless they turned
    its topic off on the site or it is their quiet hours; returns how many pushes went out."""
    contribution = registry.push_of(name)
    with translation.override(settings.LANGUAGE_CODE):
        built = contribution.build(object_id)
    if built is None:
        return 0
    member_ids, payload = built
    off = set(
        NotificationSetting.objects.filter(
            member_id__in=member_ids, kind=contribution.topic, on_site=False
        ).values_list("member_id", flat=True)
    )
    sent = 0
    for member_id in sorted(set(member_ids) - off):
        if in_quiet_hours(member_id=member_id):
            continue
        sent += send_to_member(member_id=member_id, payload=payload)
    return sent


def send_to_member(*, member_id: int, payload: dict) -> int:
    """Sends ``payload`` to every device of the member; returns how many accepted it."""
    return sum(
        deliver(subscription, payload)
        for subscription in PushSubscription.objects.filter(member_id=member_id)
    )


def deliver(subscription: PushSubscription, payload: dict) -> bool:
    """One encrypted, signed push to one device. A subscription gone at the push service is deleted."""
    from py_vapid import Vapid02
    from pywebpush import WebPushException, webpush

    if not endpoint_allowed(subscription.endpoint):
        logger.warning("push: subscription %s names a host that is not allowed", subscription.pk)
        return False
    session = requests.Session()
    session.max_redirects = 0  # a push service answers; it never sends us elsewhere
    try:
        webpush(
            subscription_info={
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            data=json.dumps(payload, ensure_ascii=False),
            vapid_private_key=Vapid02.from_raw(settings.WEB_PUSH_VAPID_PRIVATE_KEY.encode()),
            vapid_claims={"sub": settings.WEB_PUSH_CONTACT},
            ttl=TTL_SECONDS,
            timeout=TIMEOUT_SECONDS,
            headers={"Topic": payload["tag"][:32], "Urgency": "normal"},
            requests_session=session,
        )
    except WebPushException as error:
        status = getattr(error.response, "status_code", None)
        if status in GONE_STATUSES:
            subscription.delete()
        else:
            logger.warning("push: the push service refused subscription %s (%s)", subscription.pk, status)
        return False
    except (requests.RequestException, ValueError):
        logger.warning(
            "push: could not reach the push service of subscription %s", subscription.pk, exc_info=True
        )
        return False
    finally:
        session.close()
    PushSubscription.objects.filter(pk=subscription.pk).update(last_sent_at=timezone.now())
    return True
