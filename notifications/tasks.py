"""The e-mail digest (django-q2, scheduled by schedule.py): at most one e-mail an hour per member,
with what they chose to get by e-mail and have not read yet, except that a timely notification
(``TIMELY_KINDS``: a walk starting in an hour) goes out on the next run (every 10 minutes) with
whatever else is new. Chat messages are not notification
rows: chat's contribution (chat/notifications.py) counts, per room, those that arrived since the
last digest and are still unread (read markers), without their text."""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import ngettext

from . import registry
from .models import TIMELY_KINDS, EmailDigest, Notification
from .selectors import email_kinds, member_settings, wants_by_email
from .unsubscribe import unsubscribe_path

logger = logging.getLogger(__name__)

DIGEST_INTERVAL = timedelta(hours=1)
LOOKBACK = timedelta(days=7)
MAX_ITEMS = 50


def send_digests() -> int:
    """Sends every digest that is due; returns how many went out."""
    now = timezone.now()
    recent_recipients = (
        Notification.objects.filter(read_at__isnull=True, updated_at__gt=now - LOOKBACK)
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    due = Q(pk__in=recent_recipients)
    chat = registry.digest_source("chat")
    if chat is not None:
        due |= Q(pk__in=chat.members(now - LOOKBACK)) & wants_by_email(kind=chat.topic)
    members = get_user_model().objects.filter(due).filter(is_active=True).exclude(email="")
    sent = 0
    for member in members:
        try:
            sent += send_digest(member=member, now=now)
        except Exception:
            logger.exception("The digest for member %s failed", member.pk)
    return sent


def send_digest(*, member, now) -> bool:
    with transaction.atomic():
        digest, _created = EmailDigest.objects.select_for_update().get_or_create(
            member=member, defaults={"covered_until": member.date_joined}
        )
        choices = member_settings(member=member)
        kinds = email_kinds(member_settings_map=choices)
        new = Notification.objects.filter(
            recipient=member, read_at__isnull=True, updated_at__gt=digest.covered_until, kind__in=kinds
        )
        within_the_hour = digest.sent_at is not None and digest.sent_at > now - DIGEST_INTERVAL
        if within_the_hour and not new.filter(kind__in=TIMELY_KINDS).exists():
            return False
        notes = list(new.select_related("actor").order_by("-updated_at")[:MAX_ITEMS])
        chats = []
        chat = registry.digest_source("chat")
        if chat is not None and choices[chat.topic]["by_email"]:
            chats = chat.items(member, digest.chat_covered_id, now - LOOKBACK)[:MAX_ITEMS]
        if not notes and not chats:
            return False
        digest.sent_at = now
        if notes:
            digest.covered_until = notes[0].updated_at
        if chats:
            digest.chat_covered_id = max(room.last_message_id for room in chats)
        digest.save(update_fields=["sent_at", "covered_until", "chat_covered_id"])
        message = _digest_message(member, notes, chats)
        transaction.on_commit(message.send)
    return True


def _digest_message(member, notes, chats) -> EmailMessage:
    site_url = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    unsubscribe_url = site_url + unsubscribe_path(member)
    count = len(notes) + len(chats)
    with translation.override(settings.LANGUAGE_CODE):
        subject = ngettext(
            "Petrasche: %(count)d new notification", "Petrasche: %(count)d new notifications", count
        ) % {"count": count}
        body = render_to_string(
            "notifications/email/digest.txt",
            {
                "member": member,
                "notes": notes,
                "chats": chats,
                "site_url": site_url,
                "unsubscribe_url": unsubscribe_url,
            },
        )
    return EmailMessage(
        subject,
        body,
        to=[member.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
