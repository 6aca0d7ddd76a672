"""Writes to notification settings. Each function is one transaction."""

from collections.abc import Mapping

from django.db import transaction

from moderation.guards import AllowedWhileSuspended, member_action

from .models import Kind, NotificationSetting


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
