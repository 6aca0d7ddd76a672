"""Writes to notification settings. Each function is one transaction."""

from collections.abc import Mapping
from datetime import time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.actions import AllowedWhileSuspended, member_action

from . import push
from .models import Kind, NotificationSetting, PushSubscription, QuietHours
from .vapid import b64url_decode

# Devices one member can get pushes on (each one is a row, and a push sent per notification).
MAX_PUSH_DEVICES = 20


@member_action("member", allowed_while_suspended=AllowedWhileSuspended.SETTINGS)
@transaction.atomic
def settings_update(*, member, choices: Mapping[str, Mapping[str, bool]]) -> None:
    """Stores the member's choice for every kind given (``{"likes": {"on_site": .., "by_email": ..}}``)."""
    for kind, choice in choices.items():
        if kind not in Kind.values:
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
    for kind in Kind.values:
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
