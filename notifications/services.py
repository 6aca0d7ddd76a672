"""Notifications, and writes to notification settings. Each function is one transaction."""

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actions import AllowedWhileSuspended, member_action

from . import push, registry
from .models import GROUPED_KINDS, Notification, NotificationSetting, PushSubscription, QuietHours, Topic
from .selectors import recipients as wanting
from .vapid import b64url_decode

# Devices one member can get pushes on (each one is a row, and a push sent per notification).
MAX_PUSH_DEVICES = 20


def _member_id(member: Any) -> int:
    return member if isinstance(member, int) else member.pk


@transaction.atomic
def notify(
    *,
    kind: str,
    recipients: Iterable[Any],
    actor=None,
    target: models.Model | None = None,
    details: dict | None = None,
    url: str | None = None,
    at: datetime | None = None,
    count_actors: Callable[[datetime], int] | None = None,
) -> list[Notification]:
    """Tells ``recipients`` (members or their ids) that ``kind`` happened: every app notifies
    through here. Returns the rows written.

    - Blocks: callers pass recipients already filtered (the app that notifies knows who blocked
      whom; this app cannot ask moderation).
    - Settings: a member who turned the kind's topic off both on the site and by e-mail gets no
      row; the site shows the others as chosen (``selectors.shown_on_site``) and the hourly digest
      e-mails them (tasks.py).
    - Push: after commit, a task pushes the rows to the recipients' devices (push.py checks their
      settings and quiet hours).
    - Grouping (``GROUPED_KINDS``): a recipient's unread row about the same target is updated
      instead: the new actor, ``count_actors(row.created_at)`` members, moved to the top.
    - The target's app describes it (registry.py): its text and link are stored with the row;
      ``url`` overrides the link."""
    wanted = wanting(kind=kind, member_ids={_member_id(member) for member in recipients})
    if not wanted:
        return []
    now = at or timezone.now()
    fields: dict[str, Any] = {"kind": kind, "actor": actor, "details": details or {}}
    if target is not None:
        described = registry.target_of(target._meta.model)
        fields.update(
            target=target,
            target_text=described.text(target)[:200] if described.text else "",
            target_url=url if url is not None else described.url(target),
        )
    elif url is not None:
        fields["target_url"] = url
    written = []
    if kind in GROUPED_KINDS and target is not None:
        grouped = (
            Notification.objects.select_for_update()
            .for_target(target)
            .filter(kind=kind, recipient_id__in=wanted, read_at__isnull=True)
        )
        for row in grouped:
            wanted.discard(row.recipient_id)
            row.actor = actor
            row.actor_count = count_actors(row.created_at) if count_actors else row.actor_count + 1
            row.updated_at = now
            row.save(update_fields=["actor", "actor_count", "updated_at"])
            written.append(row)
    written += Notification.objects.bulk_create(
        Notification(recipient_id=member_id, created_at=now, updated_at=now, **fields)
        for member_id in sorted(wanted)
    )
    push.queue_notification_pushes(written)
    return written


@transaction.atomic
def notifications_withdraw(
    *, target: models.Model | None = None, targets: models.QuerySet | None = None
) -> None:
    """Removes the notifications about ``target`` and about any of ``targets`` (a queryset): what
    they told of is gone (a deleted post and its comments)."""
    if target is not None:
        Notification.objects.for_target(target).delete()
    if targets is not None:
        Notification.objects.for_targets(targets).delete()


@transaction.atomic
def notification_target_text_update(*, target: models.Model) -> int:
    """Stores the target's text again on its notifications (a walk's new title)."""
    described = registry.target_of(target._meta.model)
    if described.text is None:
        return 0
    return Notification.objects.for_target(target).update(target_text=described.text(target)[:200])


@member_action("member", allowed_while_suspended=AllowedWhileSuspended.SETTINGS)
@transaction.atomic
def settings_update(*, member, choices: Mapping[str, Mapping[str, bool]]) -> None:
    """Stores the member's choice for every kind given (``{"likes": {"on_site": .., "by_email": ..}}``)."""
    for kind, choice in choices.items():
        if kind not in Topic.values:
            continue
        NotificationSetting.objects.update_or_create(
            member=member,
            kind=kind,
            defaults={"on_site": bool(choice["on_site"]), "by_email": bool(choice["by_email"])},
        )


@member_action("member", allowed_while_suspended=AllowedWhileSuspended.SETTINGS)
@transaction.atomic
def email_unsubscribe(*, member) -> None:
    """Turns every e-mail notification off, keeping what the member sees on the site."""
    for kind in Topic.values:
        setting, _created = NotificationSetting.objects.get_or_create(member=member, kind=kind)
        if setting.by_email:
            setting.by_email = False
            setting.save(update_fields=["by_email"])


@member_action("member", allowed_while_suspended=AllowedWhileSuspended.SETTINGS)
@transaction.atomic
def push_subscription_save(
    *, member, endpoint: str, p256dh: str, auth: str, user_agent: str = ""
) -> PushSubscription:
    """Stores this browser's subscription for the member (the same endpoint again updates it; one
    another member had moves to this member: a browser has one subscription, for whoever signed
    in last). Refused (``ValidationError``) unless the endpoint is an allowed push service (notifications/push.py)."""
    if not push.enabled():
        raise ValidationError(_("Push notifications are not available on this site."), code="push_off")
    if not push.endpoint_allowed(endpoint):
        raise ValidationError(
            _("This address is not a push service we send to."), code="endpoint_not_allowed"
        )
    try:
        if len(b64url_decode(p256dh)) != 65 or len(b64url_decode(auth)) != 16:
            raise ValueError
    except ValueError as error:
        raise ValidationError(_("The browser's keys are not valid."), code="bad_keys") from error
    known = PushSubscription.objects.filter(member=member)
    if not known.filter(endpoint=endpoint).exists() and known.count() >= MAX_PUSH_DEVICES:
        raise ValidationError(
            _("You can get notifications on up to %(count)d devices. Remove one first.")
            % {"count": MAX_PUSH_DEVICES},
            code="too_many_devices",
        )
    subscription, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint,
        defaults={
            "member": member,
            "p256dh": p256dh,
            "auth": auth,
            "user_agent": user_agent[:300],
            "name": device_name(user_agent),
        },
    )
    return subscription


def device_name(user_agent: str) -> str:
    """A name a member recognises their device by, from the browser's user agent."""
    agent = user_agent or ""
    if "iPhone" in agent:
        device = "iPhone"
    elif "iPad" in agent:
        device = "iPad"
    elif "Android" in agent:
        device = "Android"
    elif "Windows" in agent:
        device = "Windows"
    elif "Mac OS X" in agent or "Macintosh" in agent:
        device = "Mac"
    elif "Linux" in agent:
        device = "Linux"
    else:
        device = _("Device")
    for marker, browser in (
        ("SamsungBrowser", "Samsung Internet"),
        ("Edg/", "Edge"),
        ("Firefox", "Firefox"),
        ("CriOS", "Chrome"),
        ("Chrome", "Chrome"),
        ("Safari", "Safari"),
    ):
        if marker in agent:
            return f"{device} · {browser}"
    return device


@member_action("member", allowed_while_suspended=AllowedWhileSuspended.SETTINGS)
@transaction.atomic
def push_subscription_rename(*, member, subscription_id: int, name: str) -> PushSubscription:
    """Raises ``PushSubscription.DoesNotExist`` for a device that is not the member's."""
    subscription = PushSubscription.objects.get(pk=subscription_id, member=member)
    subscription.name = name.strip()[:60] or subscription.name
    subscription.save(update_fields=["name"])
    return subscription


@member_action("member", allowed_while_suspended=AllowedWhileSuspended.SETTINGS)
@transaction.atomic
def push_subscription_remove(*, member, subscription_id: int) -> None:
    """Raises ``PushSubscription.DoesNotExist`` for a device that is not the member's."""
    deleted, _rows = PushSubscription.objects.filter(pk=subscription_id, member=member).delete()
    if not deleted:
        raise PushSubscription.DoesNotExist


@member_action("member", allowed_while_suspended=AllowedWhileSuspended.SETTINGS)
@transaction.atomic
def quiet_hours_update(*, member, enabled: bool, start: time, end: time) -> QuietHours:
    hours, _created = QuietHours.objects.update_or_create(
        member=member, defaults={"enabled": enabled, "start": start, "end": end}
    )
    return hours
