"""Notifications' part of a member's data export and deletion (see core/personal_data.py): their
settings and devices; the notifications they got or caused go with the account."""

from django.db.models import Q

from core.personal_data import register

from .models import EmailDigest, Notification, NotificationSetting, PushSubscription, QuietHours


def export(member, writer) -> None:
    writer.add_json(
        "notification_settings.json",
        list(NotificationSetting.objects.filter(member=member).values("kind", "on_site", "by_email")),
    )
    writer.add_json(
        "push_devices.json",
        [
            {
                "name": device.name,
                "browser": device.user_agent,
                "push_service": device.endpoint,
                "added": device.created_at.isoformat(),
                "last_sent": device.last_sent_at.isoformat() if device.last_sent_at else None,
            }
            for device in PushSubscription.objects.filter(member=member)
        ],
    )
    hours = QuietHours.objects.filter(member=member).first()
    if hours is not None:
        writer.add_json(
            "quiet_hours.json",
            {"enabled": hours.enabled, "start": hours.start.isoformat(), "end": hours.end.isoformat()},
        )


def erase(erasure) -> None:
    Notification.objects.filter(Q(recipient=erasure.member) | Q(actor=erasure.member)).delete()
    NotificationSetting.objects.filter(member=erasure.member).delete()
    EmailDigest.objects.filter(member=erasure.member).delete()
    PushSubscription.objects.filter(member=erasure.member).delete()
    QuietHours.objects.filter(member=erasure.member).delete()


register("notifications", export=export, erase=erase)
