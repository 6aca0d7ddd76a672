"""Reports merged into cases, moderators' actions (the audit log), appeals, blocks and mutes.

A reported thing is any model in the registry (``moderation.registry``), named by its content
type and id, so other apps make their models reportable with one call.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

REPORT_TEXT_MAX_LENGTH = 1000
REASON_TEXT_MAX_LENGTH = 500
APPEAL_TEXT_MAX_LENGTH = 1000


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam")
    ABUSE = "abuse", _("Abuse or harassment")
    ANIMAL_CRUELTY = "animal_cruelty", _("Animal cruelty")
    OTHER = "other", _("Other")


class CaseStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("moderation case status", "Open")
    CLOSED = "closed", pgettext_lazy("moderation case status", "Closed")


class Case(models.Model):
    """Every report on one thing, with how many there are; reopened by new reports and appeals."""

    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        verbose_name=_("kind"),
        db_index=False,  # moderation_case_per_target leads with it
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    target = GenericForeignKey("content_type", "object_id")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_cases",
        verbose_name=_("reported member"),
        help_text=_("The author of the reported content, or the reported member."),
    )
    status = models.CharField(_("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    report_count = models.PositiveIntegerField(_("reports"), default=0)
    opened_at = models.DateTimeField(_("opened"), default=timezone.now, db_index=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-report_count", "opened_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="moderation_case_per_target")
        ]
        indexes = [models.Index(fields=["status", "-report_count"], name="moderation_case_queue")]

    def __str__(self) -> str:
        return f"{self.content_type.name} #{self.object_id}"


class Report(models.Model):
    """One member's report; a second report by the same member updates the first."""

    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name=_("case"),
        db_index=False,  # moderation_report_once leads with it
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("reporter")
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ReportReason.choices)
    text = models.TextField(_("details"), max_length=REPORT_TEXT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("reported"), default=timezone.now)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["case", "reporter"], name="moderation_report_once")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.case})"


class ActionKind(models.TextChoices):
    DISMISS = "dismiss", _("Dismissed")
    HIDE = "hide", _("Hid the content")
    DELETE = "delete", _("Deleted the content")
    WARN = "warn", _("Warned the member")
    SUSPEND = "suspend", _("Suspended the member")
    BAN = "ban", _("Banned the member")
    REOPEN = "reopen", _("Reopened by an appeal")


MEMBER_FACING = (ActionKind.HIDE, ActionKind.DELETE, ActionKind.WARN, ActionKind.SUSPEND, ActionKind.BAN)


class ActionQuerySet(models.QuerySet):
    def suspensions_in_force(self, now=None):
        return self.filter(kind=ActionKind.SUSPEND, until__gt=now or timezone.now())


class Action(models.Model):
    """One moderator's decision: the audit log, and what the member is told (with the reason)."""

    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="actions", verbose_name=_("case")
    )
    kind = models.CharField(_("action"), max_length=10, choices=ActionKind.choices)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderator"),
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="moderation_actions",
        verbose_name=_("member concerned"),
        db_index=False,  # moderation_action_member leads with it
    )
    reason = models.CharField(_("reason"), max_length=REASON_TEXT_MAX_LENGTH, blank=True)
    until = models.DateTimeField(_("until"), null=True, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("moderation action")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["member", "kind", "until"], name="moderation_action_member")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.case or self.member}"

    @property
    def is_member_facing(self) -> bool:
        return self.kind in MEMBER_FACING


class Appeal(models.Model):
    """A member's one appeal against one action; it reopens the action's case."""

    action = models.OneToOneField(
        Action, on_delete=models.CASCADE, related_name="appeal", verbose_name=_("action appealed")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("member")
    )
    text = models.TextField(_("appeal"), max_length=APPEAL_TEXT_MAX_LENGTH)
    created_at = models.DateTimeField(_("appealed"), default=timezone.now)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.member} · {self.action}"


class Block(models.Model):
    """The blocker and the blocked no longer see or reach each other."""

    # Both keys lead an index already (moderation_block_once and moderation_blocked_by).
    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="moderation_block_once"),
            models.CheckConstraint(
                condition=~Q(blocker=models.F("blocked")), name="moderation_no_self_block"
            ),
        ]
        indexes = [models.Index(fields=["blocked", "blocker"], name="moderation_blocked_by")]

    def __str__(self) -> str:
        return f"{self.blocker_id} ⊘ {self.blocked_id}"


class Mute(models.Model):
    """The muter stops seeing the muted member's posts and comments; nothing else changes."""

    muter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # moderation_mute_once leads with it
    )
    muted = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("mute")
        verbose_name_plural = _("mutes")
        constraints = [
            models.UniqueConstraint(fields=["muter", "muted"], name="moderation_mute_once"),
            models.CheckConstraint(condition=~Q(muter=models.F("muted")), name="moderation_no_self_mute"),
        ]

    def __str__(self) -> str:
        return f"{self.muter_id} 🔇 {self.muted_id}"
