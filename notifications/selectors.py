from collections.abc import Iterable

from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Value, When

from community.models import Notification

from .models import EMAIL_OFF_BY_DEFAULT, Kind, NotificationSetting

# Which setting governs each kind of community notification.
KIND_OF = {
    Notification.Kind.LIKE: Kind.LIKES,
    Notification.Kind.COMMENT: Kind.COMMENTS,
    Notification.Kind.REPLY: Kind.COMMENTS,
    Notification.Kind.FOLLOW: Kind.FOLLOWS,
    Notification.Kind.MENTION: Kind.MENTIONS,
    Notification.Kind.WALK_JOIN: Kind.WALKS,
    Notification.Kind.WALK_LEAVE: Kind.WALKS,
    Notification.Kind.WALK_REMOVED: Kind.WALKS,
    Notification.Kind.WALK_CANCELLED: Kind.WALKS,
    Notification.Kind.WALK_REMINDER: Kind.WALKS,
    Notification.Kind.WALK_REVIEW: Kind.WALKS,
    Notification.Kind.WORLDCUP_RESULT: Kind.WORLDCUP,
    Notification.Kind.PET_OF_THE_MONTH: Kind.WORLDCUP,
    Notification.Kind.WORLDCUP_OPEN: Kind.WORLDCUP,
    Notification.Kind.MODERATION_DECISION: Kind.MODERATION,
    Notification.Kind.REPORT_OUTCOME: Kind.MODERATION,
}


def member_settings(*, member) -> dict[str, dict[str, bool]]:
    """Every kind with its ``on_site`` and ``by_email`` choice (defaults where none was made)."""
    chosen = {row.kind: row for row in NotificationSetting.objects.filter(member=member)}
    result = {}
    for kind in Kind:
        row = chosen.get(kind)
        result[kind.value] = {
            "on_site": row.on_site if row else True,
            "by_email": row.by_email if row else kind not in EMAIL_OFF_BY_DEFAULT,
        }
    return result


def recipients(*, kind: str, member_ids: Iterable[int]) -> set[int]:
    """The members among ``member_ids`` who want this kind of notification on the site or by
    e-mail (one query): each gets a row, which the site shows and the digest sends as they chose."""
    wanted = set(member_ids)
    if not wanted:
        return set()
    setting = KIND_OF.get(kind, kind)
    muted = NotificationSetting.objects.filter(
        member_id__in=wanted, kind=setting, on_site=False, by_email=False
    ).values_list("member_id", flat=True)
    return wanted - set(muted)


def off_on_site(*, member, kind: str) -> Exists:
    """An expression (no query of its own): whether ``member`` turned ``kind`` off on the site."""
    return Exists(NotificationSetting.objects.filter(member=member, kind=kind, on_site=False))


def wants_by_email(*, kind: str) -> Q:
    """A filter on members (no query of its own): those who want ``kind`` by e-mail."""
    chosen = NotificationSetting.objects.filter(member=OuterRef("pk"), kind=kind)
    if kind in EMAIL_OFF_BY_DEFAULT:
        return Q(Exists(chosen.filter(by_email=True)))
    return ~Q(Exists(chosen.filter(by_email=False)))


def shown_on_site(notifications: QuerySet, *, member) -> QuerySet:
    """The member's ``notifications`` whose kind they want on the site, in the same query (their
    settings read in a subquery). Rows kept only for the e-mail digest stay out."""
    setting_kind = Case(
        *[When(kind=kind, then=Value(setting.value)) for kind, setting in KIND_OF.items()], default=F("kind")
    )
    off = NotificationSetting.objects.filter(member=member, on_site=False, kind=OuterRef("setting_kind"))
    return notifications.alias(setting_kind=setting_kind).exclude(Exists(off))


def email_kinds(*, member_settings_map: dict[str, dict[str, bool]]) -> set[str]:
    """The community notification kinds a member wants by e-mail."""
    return {
        notification_kind
        for notification_kind, setting in KIND_OF.items()
        if member_settings_map[setting]["by_email"]
    }
