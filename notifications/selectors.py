from collections.abc import Iterable

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


def recipients_on_site(*, kind: str, member_ids: Iterable[int]) -> set[int]:
    """The members among ``member_ids`` who want this kind of notification on the site (one query)."""
    wanted = set(member_ids)
    if not wanted:
        return set()
    setting = KIND_OF.get(kind, kind)
    muted = NotificationSetting.objects.filter(member_id__in=wanted, kind=setting, on_site=False).values_list(
        "member_id", flat=True
    )
    return wanted - set(muted)


def email_kinds(*, member_settings_map: dict[str, dict[str, bool]]) -> set[str]:
    """The community notification kinds a member wants by e-mail."""
    return {
        notification_kind
        for notification_kind, setting in KIND_OF.items()
        if member_settings_map[setting]["by_email"]
    }
