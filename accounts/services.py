from functools import partial

from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest

from core.actions import member_action
from core.images import render_square

from . import realtime
from .models import User
from .names import check_name

AVATAR_SIZE = 256


@transaction.atomic
def member_credentials_raise(*, member: User, request: HttpRequest | None = None) -> int:
    """The member's credentials changed: every session, token and socket they hold ends.

    Sessions and tokens carry the version they were made under and are refused once it is
    raised (``User.get_session_auth_hash``, ``accounts.tokens``); open sockets are told after
    commit and close. ``request``'s own session stays signed in when it is the member's, as
    Django's ``update_session_auth_hash`` does after a password change. Returns the new version.
    """
    User.objects.filter(pk=member.pk).update(credentials_version=F("credentials_version") + 1)
    member.refresh_from_db(fields=["credentials_version"])
    transaction.on_commit(partial(realtime.credentials_changed, member.pk, member.credentials_version))
    if request is not None and request.user.is_authenticated and request.user.pk == member.pk:
        update_session_auth_hash(request, member)
    return member.credentials_version


@member_action("member")
@transaction.atomic
def member_update_profile(
    *, member: User, nickname: str, bio: str, avatar=None, remove_avatar: bool = False
) -> User:
    """Saves what a member shows about themselves; a new avatar is re-encoded without metadata.
    A nickname that could pass for staff is refused (``accounts.names``)."""
    nickname = " ".join(nickname.split())
    try:
        check_name(nickname, member=member)
    except ValidationError as error:
        raise ValidationError({"nickname": error.messages}) from error
    rendered_avatar = None
    if avatar is not None:
        try:
            rendered_avatar = render_square(avatar, size=AVATAR_SIZE, basename="avatar")
        except ValidationError as error:
            raise ValidationError({"avatar": error.messages}) from error
    member.nickname = nickname
    member.bio = bio.strip()
    if rendered_avatar is not None:
        member.avatar.save("avatar.webp", rendered_avatar, save=False)
    elif remove_avatar:
        member.avatar = ""
    member.full_clean(exclude=["password", "username", "email", "avatar"])
    member.save(update_fields=["nickname", "bio", "avatar"])
    return member
