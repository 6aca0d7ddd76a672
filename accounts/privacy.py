"""The account's part of a member's data export and deletion (see core/personal_data.py)."""

import secrets

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.utils.translation import gettext_lazy as _

from core.personal_data import register

from .models import DELETED_USERNAME_PREFIX


def export(member, writer) -> None:
    writer.add_json(
        "profile.json",
        {
            "username": member.username,
            "nickname": member.nickname,
            "email": member.email,
            "bio": member.bio,
            "date_joined": member.date_joined,
            "last_login": member.last_login,
            "avatar": writer.add_file("profile", member.avatar),
            "social_accounts": list(
                SocialAccount.objects.filter(user=member).values_list("provider", flat=True)
            ),
        },
    )


def erase(erasure) -> None:
    """The account stays as an anonymous, unusable row so that kept content has an author."""
    member = erasure.member
    erasure.remove_files(member.avatar)
    EmailAddress.objects.filter(user=member).delete()
    SocialAccount.objects.filter(user=member).delete()
    Authenticator.objects.filter(user=member).delete()
    member.groups.clear()
    member.user_permissions.clear()
    member.username = f"{DELETED_USERNAME_PREFIX}{secrets.token_hex(6)}"
    member.email = ""
    member.nickname = ""
    member.first_name = ""
    member.last_name = ""
    member.bio = ""
    member.avatar = ""
    member.is_active = False
    member.is_staff = False
    member.is_superuser = False
    member.set_unusable_password()
    member.save()


register(
    "accounts",
    export=export,
    erase=erase,
    retained=[
        _(
            "An anonymous account number, so that what is kept below has an author; it cannot sign in. "
            "Your username cannot be chosen by anyone for 30 days."
        )
    ],
    order=100,
)
