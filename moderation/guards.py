"""Checks other apps make before a member acts: suspensions and blocks.

``MemberSuspended`` is a ``PermissionDenied``: the API answers 403 with its message, and pages
show templates/moderation/suspended.html (``moderation.middleware``).
"""

from django.core.exceptions import PermissionDenied
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from . import selectors


class MemberSuspended(PermissionDenied):
    def __init__(self, action):
        self.action = action
        until = formats.date_format(timezone.localtime(action.until), "DATETIME_FORMAT")
        super().__init__(
            _("Your account is suspended until %(until)s. Reason: %(reason)s")
            % {"until": until, "reason": action.reason}
        )


class MemberBlocked(PermissionDenied):
    def __init__(self):
        super().__init__(_("You cannot do this: one of you has blocked the other."))


def check_not_suspended(member) -> None:
    """Raises MemberSuspended while a suspension is in force (posting, commenting, chat, walks, votes)."""
    action = selectors.suspension(member=member)
    if action is not None:
        raise MemberSuspended(action)


def check_not_blocked(*, member_id: int, other_id: int) -> None:
    if member_id != other_id and selectors.is_blocked(member_id=member_id, other_id=other_id):
        raise MemberBlocked
