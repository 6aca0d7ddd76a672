from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from . import registry
from .models import EMAIL_OFF_BY_DEFAULT, TOPIC_OF, Notification, NotificationSetting, Topic


def member_settings(*, member) -> dict[str, dict[str, bool]]:
    """Every topic with its ``on_site`` and ``by_email`` choice (defaults where none was made)."""
    chosen = {row.kind: row for row in NotificationSetting.objects.filter(member=member)}
    result = {}
    for topic in Topic:
        row = chosen.get(topic)
        result[topic.value] = {
            "on_site": row.on_site if row else True,
            "by_email": row.by_email if row else topic not in EMAIL_OFF_BY_DEFAULT,
        }
    return result


def recipients(*, kind: str, member_ids: Iterable[int]) -> set[int]:
    """The members among ``member_ids`` who want this kind of notification on the site or by
    e-mail (one query): each gets a row, which the site shows and the digest sends as they chose."""
    wanted = set(member_ids)
    if not wanted:
        return set()
    muted = NotificationSetting.objects.filter(
        member_id__in=wanted, kind=TOPIC_OF.get(kind, kind), on_site=False, by_email=False
    ).values_list("member_id", flat=True)
    return wanted - set(muted)


def off_on_site(*, member, kind: str) -> Exists:
    """An expression (no query of its own): whether ``member`` turned topic ``kind`` off on the site."""
    return Exists(NotificationSetting.objects.filter(member=member, kind=kind, on_site=False))


def wants_by_email(*, kind: str) -> Q:
    """A filter on members (no query of its own): those who want topic ``kind`` by e-mail."""
    chosen = NotificationSetting.objects.filter(member=OuterRef("pk"), kind=kind)
    if kind in EMAIL_OFF_BY_DEFAULT:
        return Q(Exists(chosen.filter(by_email=True)))
    return ~Q(Exists(chosen.filter(by_email=False)))


def shown_on_site(notifications: QuerySet, *, member) -> QuerySet:
    """The member's ``notifications`` whose kind they want on the site, in the same query (their
    settings read in a subquery). Rows kept only for the e-mail digest stay out."""
    setting_kind = Case(
        *[When(kind=kind, then=Value(topic.value)) for kind, topic in TOPIC_OF.items()], default=F("kind")
    )
    off = NotificationSetting.objects.filter(member=member, on_site=False, kind=OuterRef("setting_kind"))
    return notifications.alias(setting_kind=setting_kind).exclude(Exists(off))


def email_kinds(*, member_settings_map: dict[str, dict[str, bool]]) -> set[str]:
    """The notification kinds a member wants by e-mail."""
    return {kind for kind, topic in TOPIC_OF.items() if member_settings_map[topic]["by_email"]}


def _target_gone(*, viewer) -> Case:
    """Whether the viewer can no longer open a row's target (deleted, hidden from them, a former
    member, blocked either way: each target's app says which of its rows they can open), as an
    expression of the list's own query."""
    whens = []
    for model, target in registry.targets().items():
        if target.visible is None:
            continue
        openable = model._default_manager.filter(target.visible(viewer), pk=OuterRef("target_id"))
        whens.append(When(target_type=ContentType.objects.get_for_model(model), then=~Exists(openable)))
    return Case(*whens, default=Value(False), output_field=BooleanField())


def notification_list(*, member):
    """The member's notifications of the kinds they want on the site, each with ``target_gone``
    (the list says so instead of linking to a page that answers 404). One query."""
    return (
        shown_on_site(Notification.objects.filter(recipient=member), member=member)
        .select_related("actor")
        .annotate(target_gone=_target_gone(viewer=member))
        .order_by("-updated_at", "-id")
    )


def unread_notification_count_expression(*, member) -> Coalesce:
    """The number on the nav's notifications link, as an expression (core/badges.py, notifications/badges.py)."""
    unread = shown_on_site(Notification.objects.filter(recipient=member, read_at__isnull=True), member=member)
    counted = unread.order_by().values("recipient").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted[:1]), 0)
