"""Notification settings' part of a member's data export and deletion (see privacy/registry.py)."""

from privacy.registry import register

from .models import EmailDigest, NotificationSetting


def export(member, writer) -> None:
    writer.add_json(
        "notification_settings.json",
        list(NotificationSetting.objects.filter(member=member).values("kind", "on_site", "by_email")),
    )


def erase(erasure) -> None:
    NotificationSetting.objects.filter(member=erasure.member).delete()
    EmailDigest.objects.filter(member=erasure.member).delete()


register("notifications", export=export, erase=erase)
