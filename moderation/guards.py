"""The sanctions, each enforced in one place: the service layer every door (pages, API, socket) goes
through.

- **Suspension.** Each write a member makes is a service declared with ``@member_action(actor)``
  (``core.actions``: the keyword argument naming who acts). While a suspension is in force, the
  service refuses with ``MemberSuspended`` before doing anything (``check_not_suspended``, which
  ``ModerationConfig.ready`` hands to ``core.actions``), unless the declaration names the
  action's place on the allow-list (``AllowedWhileSuspended``). Chat messages are the one write that calls
  ``check_not_suspended`` itself (``chat.services.message_send``), after membership and the
  resend of a stored client id, so that an app resending a message stored earlier gets its ack.
- **Blocks.** A service where one member acts on another (like, comment, reply, mention, follow,
  direct message, joining a walk) calls ``check_not_blocked`` with the other member, or leaves
  blocked members out (``not_blocked_ids``) where it reaches several at once (mentions). Lists,
  search and autocomplete filter with ``moderation.selectors``.

``MemberSuspended`` and ``MemberBlocked`` are ``PermissionDenied``: the API answers 403 with the
message and ``code`` (``suspended`` or ``blocked``), pages show templates/moderation/suspended.html
or blocked.html (``moderation.middleware``) and the chat socket an error frame with that code.
moderation/tests/test_guards.py tries every door of the site against these rules.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from core.korean_text import day_clock

from . import selectors


class MemberSuspended(PermissionDenied):
    code = "suspended"

    def __init__(self, action):
        self.action = action
        until = day_clock(action.until)
        super().__init__(
            _("Your account is suspended until %(until)s. Reason: %(reason)s")
            % {"until": until, "reason": action.reason}
        )


class MemberBlocked(PermissionDenied):
    code = "blocked"

    def __init__(self):
        super().__init__(_("You cannot do this: one of you has blocked the other."))


def check_not_suspended(member) -> None:
    """Raises MemberSuspended while a suspension is in force."""
    action = selectors.suspension(member=member)
    if action is not None:
        raise MemberSuspended(action)


def check_not_blocked(*, member_id: int, other_id: int) -> None:
    """Raises MemberBlocked when either member blocked the other (acting on oneself is fine)."""
    if member_id != other_id and selectors.is_blocked(member_id=member_id, other_id=other_id):
        raise MemberBlocked


def not_blocked_ids(*, member_id: int, other_ids: Iterable[int]) -> set[int]:
    """Those of ``other_ids`` the member may reach: neither blocked the other (one query)."""
    wanted = set(other_ids)
    if not wanted:
        return wanted
    return wanted - selectors.blocked_among(member_id=member_id, other_ids=wanted)
