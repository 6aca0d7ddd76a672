from django.core.exceptions import ValidationError
from django.db import transaction

from site_core.images import render_square

from .models import User
from .names import check_name

AVATAR_SIZE = 256


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
