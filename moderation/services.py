"""Writes of moderation: reports, moderators' actions (each one logged), appeals, blocks, mutes."""

import logging
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.actions import AllowedWhileSuspended, member_action
from core.staff import is_staff_member
from core.text import normalize_text
from notifications.models import Kind
from notifications.services import notify

from . import registry
from .models import (
    APPEAL_TEXT_MAX_LENGTH,
    MEMBER_FACING,
    REASON_TEXT_MAX_LENGTH,
    REPORT_TEXT_MAX_LENGTH,
    Action,
    ActionKind,
    Appeal,
    Block,
    Case,
    CaseStatus,
    Mute,
    Report,
    ReportReason,
)

logger = logging.getLogger(__name__)
User = get_user_model()
MODERATE_PERMISSION = "moderation.change_case"


def _text(value: str, *, field: str, max_length: int, required: bool) -> str:
    cleaned = normalize_text(value or "")
    if required and not cleaned:
        raise ValidationError({field: _("Give a reason.")})
    if len(cleaned) > max_length:
        raise ValidationError(
            {
                field: _("Keep it under %(max)d characters (now %(now)d).")
                % {"max": max_length, "now": len(cleaned)}
            }
        )
    return cleaned


def _target(*, target_type: str, object_id: int, viewer):
    entry = registry.get(target_type)
    if entry is None:
        raise ValidationError({"target_type": _("This cannot be reported.")})
    obj = entry.visible_to(viewer).filter(pk=object_id).first()
    if obj is None:
        raise entry.model.DoesNotExist
    return entry, obj


def may_sanction(*, actor, member) -> bool:
    """Whether ``actor`` may warn, suspend or ban ``member``: staff and moderators never
    sanction each other, only superusers sanction staff, and nobody sanctions a superuser or
    themselves."""
    if member.pk == actor.pk or member.is_superuser:
        return False
    return actor.is_superuser or not is_staff_member(member)


def _case_for_update(*, content_type, object_id: int, member_id: int | None) -> Case:
    case = Case.objects.select_for_update().filter(content_type=content_type, object_id=object_id).first()
    if case is not None:
        return case
    try:
        with transaction.atomic():
            return Case.objects.create(content_type=content_type, object_id=object_id, member_id=member_id)
    except IntegrityError:  # reported at the same moment by someone else
        return Case.objects.select_for_update().get(content_type=content_type, object_id=object_id)


@member_action("reporter", allowed_while_suspended=AllowedWhileSuspended.REPORT)
@transaction.atomic
def report_create(*, reporter, target_type: str, object_id: int, reason: str, text: str = "") -> Case:
    """Reports a thing; reports on one thing merge into its case. Reporting again updates yours."""
    if reason not in ReportReason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    details = _text(
        text, field="text", max_length=REPORT_TEXT_MAX_LENGTH, required=reason == ReportReason.OTHER
    )
    entry, obj = _target(target_type=target_type, object_id=object_id, viewer=reporter)
    author_id = entry.author_id(obj)
    if author_id == reporter.pk:
        raise ValidationError({"target_type": _("You cannot report yourself or your own content.")})
    case = _case_for_update(
        content_type=ContentType.objects.get_for_model(entry.model), object_id=obj.pk, member_id=author_id
    )
    created = Report.objects.update_or_create(
        case=case, reporter=reporter, defaults={"reason": reason, "text": details}
    )[1]
    if created:
        case.report_count = F("report_count") + 1
    if case.status != CaseStatus.OPEN:
        case.status = CaseStatus.OPEN
        case.opened_at = timezone.now()
        case.closed_at = None
    case.save()
    case.refresh_from_db()
    return case


def _close(case: Case) -> None:
    case.status = CaseStatus.CLOSED
    case.closed_at = timezone.now()
    case.save(update_fields=["status", "closed_at"])


@transaction.atomic
def case_act(
    *, case_id: int, moderator, kind: str, reason: str = "", until: datetime | None = None
) -> Action:
    """A moderator's decision on a case; it closes the case and is written to the audit log."""
    if not moderator.has_perm(MODERATE_PERMISSION):
        raise PermissionDenied(_("Only moderators can act on reports."))
    if kind not in ActionKind.values or kind == ActionKind.REOPEN:
        raise ValidationError({"kind": _("Choose an action.")})
    case = (
        Case.objects.select_for_update(of=("self",)).select_related("content_type", "member").get(pk=case_id)
    )
    reason = _text(reason, field="reason", max_length=REASON_TEXT_MAX_LENGTH, required=kind in MEMBER_FACING)
    entry = registry.for_model(case.content_type.model_class())
    obj = case.target
    member = case.member
    if kind in (ActionKind.HIDE, ActionKind.DELETE):
        method = entry.hide if kind == ActionKind.HIDE else entry.delete
        if obj is None or method is None:
            raise ValidationError({"kind": _("This content cannot be hidden or deleted that way.")})
        if kind == ActionKind.HIDE:
            method(obj, reason)
        else:
            method(obj)
    elif kind in (ActionKind.WARN, ActionKind.SUSPEND, ActionKind.BAN):
        if member is None:
            raise ValidationError({"kind": _("The member is gone.")})
        if not may_sanction(actor=moderator, member=member):
            raise ValidationError(
                {
                    "kind": _(
                        "You cannot sanction this member: only a superuser sanctions staff and "
                        "moderators, and nobody sanctions themselves or a superuser."
                    )
                }
            )
    if kind == ActionKind.SUSPEND:
        if until is None or until <= timezone.now():
            raise ValidationError({"until": _("Choose when the suspension ends (a time in the future).")})
    else:
        until = None
    if kind == ActionKind.BAN:
        User.objects.filter(pk=member.pk).update(is_active=False)
        for effect in registry.ban_effects():  # signed out everywhere (accounts/moderation.py)
            effect(member=member)
    _close(case)
    action = Action.objects.create(
        case=case,
        kind=kind,
        moderator=moderator,
        member=member if kind != ActionKind.DISMISS else None,
        reason=reason,
        until=until,
    )
    _notify_outcome(case=case, action=action, target=entry.key if entry else "")
    return action


def _notify_outcome(*, case: Case, action: Action, target: str) -> None:
    """Tells the member concerned what moderators decided (with the reason, so they can appeal),
    and each member whose report this decision answers how it ended (never the reason or the
    sanction: that is between moderators and the member). As the member chose in their
    notification settings; the e-mail goes with the digest. No moderator is named."""
    if action.member_id is not None and action.kind in MEMBER_FACING:
        notify(
            kind=Kind.MODERATION_DECISION,
            recipients=[action.member_id],
            details={
                "case": case.pk,
                "action": action.pk,
                "action_kind": action.kind,
                "target": target,
                "reason": action.reason,
                "until": action.until.isoformat() if action.until else None,
            },
        )
    # The reports this decision answers: those made since the case's previous decision.
    previous = (
        Action.objects.filter(case=case)
        .exclude(kind=ActionKind.REOPEN)
        .exclude(pk=action.pk)
        .aggregate(at=Max("created_at"))["at"]
    )
    reports = case.reports.all() if previous is None else case.reports.filter(created_at__gt=previous)
    reporter_ids = set(reports.values_list("reporter_id", flat=True))
    reporter_ids.discard(action.member_id)
    outcome = "dismissed" if action.kind == ActionKind.DISMISS else "actioned"
    notify(
        kind=Kind.REPORT_OUTCOME,
        recipients=reporter_ids,
        details={"case": case.pk, "target": target, "outcome": outcome},
    )


@member_action("member", allowed_while_suspended=AllowedWhileSuspended.APPEAL)
@transaction.atomic
def appeal_create(*, member, action_id: int, text: str) -> Appeal:
    """One appeal per action; it reopens the case in the review queue."""
    action = (
        Action.objects.select_for_update(of=("self",))
        .filter(pk=action_id, member=member, kind__in=MEMBER_FACING)
        .select_related("case")
        .first()
    )
    if action is None:
        raise Action.DoesNotExist
    if Appeal.objects.filter(action=action).exists():
        raise ValidationError({"text": _("You have already appealed this decision.")})
    appeal = Appeal.objects.create(
        action=action,
        member=member,
        text=_text(text, field="text", max_length=APPEAL_TEXT_MAX_LENGTH, required=True),
    )
    if action.case is not None:
        Case.objects.filter(pk=action.case_id).update(status=CaseStatus.OPEN, closed_at=None)
        Action.objects.create(
            case=action.case,
            kind=ActionKind.REOPEN,
            member=member,
            reason=appeal.text[:REASON_TEXT_MAX_LENGTH],
        )
    return appeal


def _other_member(member, other):
    if other.pk == member.pk:
        raise ValidationError(_("You cannot do that to yourself."))


@member_action("member", allowed_while_suspended=AllowedWhileSuspended.BLOCK)
@transaction.atomic
def block_add(*, member, other) -> bool:
    """Blocks the other member; what the block ends elsewhere (follows) is each app's ``on_block``."""
    _other_member(member, other)
    created = Block.objects.get_or_create(blocker=member, blocked=other)[1]
    for effect in registry.block_effects():
        effect(member=member, other=other)
    return created


@member_action("member", allowed_while_suspended=AllowedWhileSuspended.BLOCK)
@transaction.atomic
def block_remove(*, member, other) -> bool:
    return bool(Block.objects.filter(blocker=member, blocked=other).delete()[0])


@member_action("member", allowed_while_suspended=AllowedWhileSuspended.MUTE)
@transaction.atomic
def mute_add(*, member, other) -> bool:
    _other_member(member, other)
    return Mute.objects.get_or_create(muter=member, muted=other)[1]


@member_action("member", allowed_while_suspended=AllowedWhileSuspended.MUTE)
@transaction.atomic
def mute_remove(*, member, other) -> bool:
    return bool(Mute.objects.filter(muter=member, muted=other).delete()[0])
