"""Web Push: new notifications and chat messages sent to the member's devices (``PushSubscription``).

Off unless ``WEB_PUSH_VAPID_PUBLIC_KEY`` and ``WEB_PUSH_VAPID_PRIVATE_KEY`` are set. Writes only
queue a django-q2 task after commit (and only when a recipient has a device); the task sends,
never the request. A push goes out when the member wants that kind on the site (their
notification settings) and it is not their quiet hours; a chat message only to members with no
socket open to the room (chat/presence.py). Each push carries a ``tag`` (and the Web Push
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
from django.utils.translation import gettext as _

from .models import PushSubscription, QuietHours, default_quiet_end, default_quiet_start

logger = logging.getLogger(__name__)

SEOUL = ZoneInfo("Asia/Seoul")
TIMEOUT_SECONDS = 10
# How long a push service keeps a message for a device that is offline.
TTL_SECONDS = 60 * 60 * 24
CHAT_PREVIEW_LENGTH = 100
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


def queue_chat_push(message_id: int, room_id: int, sender_id: int) -> None:
    """Called after commit: a task that pushes a chat message to the room's absent members."""
    if not enabled():
        return
    from chat.models import RoomMember

    others = RoomMember.objects.filter(room_id=room_id).exclude(member_id=sender_id).values("member_id")
    _enqueue("notifications.push.send_chat_push", message_id, recipient_ids=others)


# ------------------------------------------------------------------------------------------ tasks


def send_notification_pushes(notification_ids: list[int]) -> int:
    """Pushes each unread notification to its recipient's devices; returns how many pushes went out."""
    from community.models import Notification

    from .selectors import KIND_OF, member_settings

    sent = 0
    notes = Notification.objects.filter(pk__in=notification_ids, read_at__isnull=True).select_related(
        "actor", "recipient", "walk", "worldcup_event", "worldcup_entry"
    )
    for note in notes:
        choice = member_settings(member=note.recipient).get(KIND_OF.get(note.kind, note.kind))
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


def send_chat_push(message_id: int) -> int:
    """Pushes a chat message to the room's members who have no socket open to it; returns how many
    pushes went out."""
    from chat import presence
    from chat import selectors as chat_selectors
    from chat.models import Message, RoomMember

    from .models import Kind
    from .selectors import member_settings

    message = Message.objects.select_related("sender", "room").filter(pk=message_id).first()
    if message is None or message.is_deleted:
        return 0
    room = message.room
    member_ids = set(
        RoomMember.objects.filter(room=room)
        .exclude(member_id=message.sender_id)
        .values_list("member_id", flat=True)
    )
    member_ids -= presence.present(room_id=room.pk, member_ids=member_ids)
    if not member_ids:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        sender_name = message.sender.display_name
        if room.kind == room.Kind.DIRECT:
            title, body = sender_name, message.text
        else:
            title = chat_selectors.room_title(room, viewer=message.sender)
            body = _("%(name)s: %(text)s") % {"name": sender_name, "text": message.text}
    if len(body) > CHAT_PREVIEW_LENGTH:
        body = body[: CHAT_PREVIEW_LENGTH - 1] + "…"
    payload = {
        "title": title,
        "body": body,
        "url": reverse("chat:room", args=[room.pk]),
        "tag": f"chat-room-{room.pk}",
    }
    sent = 0
    for member in message.room.memberships.filter(member_id__in=member_ids).select_related("member"):
        if not member_settings(member=member.member)[Kind.CHAT]["on_site"]:
            continue
        if in_quiet_hours(member_id=member.member_id):
            continue
        sent += send_to_member(member_id=member.member_id, payload=payload)
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
