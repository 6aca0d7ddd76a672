from datetime import time

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """What happened: the one list of notification kinds, whichever app notifies."""

    LIKE = "like", _("like")
    COMMENT = "comment", _("comment")
    REPLY = "reply", _("reply")
    FOLLOW = "follow", _("follow")
    MENTION = "mention", _("mention")
    WALK_JOIN = "walk_join", _("joined a walk")
    WALK_LEAVE = "walk_leave", _("left a walk")
    WALK_REMOVED = "walk_removed", _("removed from a walk")
    WALK_CANCELLED = "walk_cancelled", _("walk cancelled")
    WALK_REMINDER = "walk_reminder", _("walk starts in an hour")
    WALK_REVIEW = "walk_review", _("write about a walk")
    WORLDCUP_RESULT = "worldcup_result", _("World Cup result")
    PET_OF_THE_MONTH = "pet_of_the_month", _("pet of the month")
    WORLDCUP_OPEN = "worldcup_open", _("World Cup open for entries")
    NAME_RESET = "name_reset", _("name reserved for staff")
    MODERATION_DECISION = "moderation_decision", _("moderators' decision")
    REPORT_OUTCOME = "report_outcome", _("outcome of a report")


# Kinds that lose their point if they wait: the e-mail digest sends them on its next run even
# within the hour since the member's last digest (notifications/tasks.py).
TIMELY_KINDS = frozenset({Kind.WALK_REMINDER})


class Topic(models.TextChoices):
    """What a member turns on or off, on the site and by e-mail: a group of kinds, or chat
    messages (which are not notification rows)."""

    LIKES = "likes", _("Likes on my posts")
    COMMENTS = "comments", _("Comments and replies")
    FOLLOWS = "follows", _("New followers")
    MENTIONS = "mentions", _("Mentions")
    WALKS = "walks", _("Walks I host or joined")
    CHAT = "chat", _("Chat messages")
    WORLDCUP = "worldcup", _("Dog World Cup")
    MODERATION = "moderation", _("Moderators' decisions and my reports")


# The setting that governs each kind. A kind missing here (``name_reset``) is always on.
TOPIC_OF = {
    Kind.LIKE: Topic.LIKES,
    Kind.COMMENT: Topic.COMMENTS,
    Kind.REPLY: Topic.COMMENTS,
    Kind.FOLLOW: Topic.FOLLOWS,
    Kind.MENTION: Topic.MENTIONS,
    Kind.WALK_JOIN: Topic.WALKS,
    Kind.WALK_LEAVE: Topic.WALKS,
    Kind.WALK_REMOVED: Topic.WALKS,
    Kind.WALK_CANCELLED: Topic.WALKS,
    Kind.WALK_REMINDER: Topic.WALKS,
    Kind.WALK_REVIEW: Topic.WALKS,
    Kind.WORLDCUP_RESULT: Topic.WORLDCUP,
    Kind.PET_OF_THE_MONTH: Topic.WORLDCUP,
    Kind.WORLDCUP_OPEN: Topic.WORLDCUP,
    Kind.MODERATION_DECISION: Topic.MODERATION,
    Kind.REPORT_OUTCOME: Topic.MODERATION,
}

# Grouping: an unread row of one of these kinds collects every actor on its target ("A and 3
# others liked your post"); a new one updates that row instead of adding another (services.notify).
GROUPED_KINDS = frozenset({Kind.LIKE})

# E-mail is off by default for what happens often.
EMAIL_OFF_BY_DEFAULT = frozenset({Topic.LIKES, Topic.CHAT})


class NotificationQuerySet(models.QuerySet):
    def for_target(self, target: models.Model) -> "NotificationQuerySet":
        return self.filter(
            target_type=ContentType.objects.get_for_model(target),
            target_id=target.pk,
        )

    def for_targets(self, targets: models.QuerySet) -> "NotificationQuerySet":
        """The rows about any of ``targets`` (a queryset of one model), in the same query."""
        return self.filter(
            target_type=ContentType.objects.get_for_model(targets.model),
            target_id__in=targets.values("pk"),
        )


class Notification(models.Model):
    """Something that happened to a member. Likes on one post group into one unread row.

    The target (a post, comment, walk, World Cup entry or event, the member who followed) is a
    content type and id, so this app imports no content app; what a line shows of it (a walk's or
    event's title) and where its link leads are stored with the row, so the list needs no join.
    The content app tells this app, in its ``notifications.py`` (registry.py), how to describe a
    target and when the viewer can no longer open it.

    System notifications (the World Cup's) have no actor: they point at the event, or at the
    member's entry when it is about their pet, with the figures they show in ``details``. A
    ``name_reset`` tells a member that their nickname or handle (``details["field"]``) could
    pass for staff and was changed (accounts migration 0006).

    Moderation refers to its cases by id, never by a key: a ``moderation_decision`` tells the member
    concerned what moderators did (``details``: ``case``, ``action``, ``action_kind``, ``target``,
    ``reason``, ``until``), a ``report_outcome`` tells a reporter how their report ended
    (``details``: ``case``, ``target``, ``outcome``)."""

    Kind = Kind

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,  # notification_unread leads with it
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Indexed by notification_target, which leads with it.
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+", db_index=False
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    target_text = models.CharField(
        max_length=200, blank=True, help_text=_("What the notification names of its target (a walk's title).")
    )
    target_url = models.CharField(max_length=500, blank=True, help_text=_("Where its link leads."))
    details = models.JSONField(
        default=dict, blank=True, help_text=_("Figures a system notification shows (World Cup: rank, wins).")
    )
    actor_count = models.PositiveIntegerField(default=1, help_text=_("How many members this row groups."))
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["target_type", "target_id"], name="notification_target"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient}"

    @property
    def target_key(self) -> str:
        """``app_label.model`` of the target ("walks.walk"), "" for none; no query (the content
        type cache)."""
        if self.target_type_id is None:
            return ""
        content_type = ContentType.objects.get_for_id(self.target_type_id)
        return f"{content_type.app_label}.{content_type.model}"


class NotificationSetting(models.Model):
    """A member's choice for one kind. No row means the defaults: on the site, and by e-mail
    unless the kind is in ``EMAIL_OFF_BY_DEFAULT``."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_settings",
        db_index=False,  # notification_setting_once leads with it
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Topic.choices)
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
