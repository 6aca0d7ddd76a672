"""Signed one-click unsubscribe links: they name a member and need no login."""

from django.core import signing
from django.urls import reverse

SALT = "notifications.unsubscribe"


def unsubscribe_token(member) -> str:
    return signing.dumps({"member": member.pk}, salt=SALT)


def member_id_from_token(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=SALT)["member"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def unsubscribe_path(member) -> str:
    return reverse("notifications:unsubscribe", args=[unsubscribe_token(member)])
