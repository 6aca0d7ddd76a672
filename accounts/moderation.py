"""Members in the moderators' review queue (moderation/registry.py), and what a ban ends."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from moderation.registry import on_ban, register

from .models import User
from .services import member_credentials_raise


def _sign_out_everywhere(*, member) -> None:
    """Sessions, tokens and (after commit) open sockets."""
    member_credentials_raise(member=member)


register(
    "member",
    User,
    author_field=None,
    text=lambda member: f"{member.display_name} (@{member.username}) {member.bio}".strip(),
    url=lambda member: reverse("community:profile", args=[member.username]),
    visible_to=lambda viewer: User.objects.filter(is_active=True),
    label=_("member"),
)
on_ban(_sign_out_everywhere)
