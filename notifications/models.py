from datetime import time

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What a member can turn on or off, on the site and by e-mail."""

    LIKES = "likes", _("Likes on my posts")
    COMMENTS = "comments", _("Comments and replies")
    FOLLOWS = "follows", _("New followers")
    MENTIONS = "mentions", _("Mentions")
    WALKS = "walks", _("Walks I host or joined")
    CHAT = "chat", _("Chat messages")
    WORLDCUP = "worldcup", _("Dog World Cup")
    MODERATION = "moderation", _("Moderators' decisions and my reports")


# E-mail is off by default for what happens often.
EMAIL_OFF_BY_DEFAULT = frozenset({Kind.LIKES, Kind.CHAT})


class NotificationSetting(models.Model):
    """A member's choice for one kind. No row means the defaults: on the site, and by e-mail
    unless the kind is in ``EMAIL_OFF_BY_DEFAULT``."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_settings",
        db_index=False,  # notification_setting_once leads with it
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    on_site = models.BooleanField(_("on the site"), default=True)
    by_email = models.BooleanField(_("by e-mail"), default=True)

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")
        constraints = [models.UniqueConstraint(fields=["member", "kind"], name="notification_setting_once")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.kind}"


class EmailDigest(models.Model):
    """When a member's last digest went out, and up to which notification and chat message it covered."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_digest"
    )
    sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)
    covered_until = models.DateTimeField(_("covers notifications until"), default=timezone.now)
    chat_covered_id = models.PositiveBigIntegerField(_("covers chat messages up to"), default=0)

    class Meta:
        verbose_name = _("e-mail digest")
        verbose_name_plural = _("e-mail digests")

    def __str__(self) -> str:
        return f"digest {self.member_id}"


def default_quiet_start() -> time:
    return time(22, 0)


def default_quiet_end() -> time:
    return time(8, 0)


class PushSubscription(models.Model):
    """One browser on one device that asked for push notifications (the Push API's subscription:
    its push service's ``endpoint`` and the keys the message is encrypted for). Removed when the
    member removes it or the push service answers that it is gone (404 or 410)."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="push_subscriptions",
        db_index=False,  # push_subscription_member leads with it
    )
    endpoint = models.URLField(_("push service address"), max_length=1000, unique=True)
    p256dh = models.CharField(_("browser key"), max_length=200)
    auth = models.CharField(_("authentication secret"), max_length=100)
    name = models.CharField(_("device name"), max_length=60)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("added"), default=timezone.now)
    last_sent_at = models.DateTimeField(_("last notification sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["member", "created_at"], name="push_subscription_member")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.name}"


class QuietHours(models.Model):
    """When a member's devices stay silent (Seoul time); no row means the default, 22:00–08:00."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiet_hours"
    )
    enabled = models.BooleanField(_("quiet hours on"), default=True)
    start = models.TimeField(_("from"), default=default_quiet_start)
    end = models.TimeField(_("until"), default=default_quiet_end)

    class Meta:
        verbose_name = _("quiet hours")
        verbose_name_plural = _("quiet hours")

    def __str__(self) -> str:
        return f"{self.member_id} {self.start}-{self.end}"
