"""The rate limits on what members write (settings.RATE_LIMITS), applied by pages and the API."""

from django.conf import settings
from django.utils import timezone

from core import ratelimit


def is_new_account(member) -> bool:
    return member.date_joined > timezone.now() - settings.RATE_LIMIT_NEW_ACCOUNT_AGE


def hit_post(*, member, photo_count: int) -> None:
    """A post: limited for accounts younger than a day; each photo counts as an upload."""
    if is_new_account(member):
        ratelimit.hit("post_new_account", member.pk)
    if photo_count:
        ratelimit.hit("upload", member.pk, amount=photo_count)


def hit_comment(*, member) -> None:
    ratelimit.hit("comment", member.pk)
