"""What members do: each write a member makes is a service declared with ``@member_action(actor)``
(the keyword argument naming who acts).

The suspension rule is declared here, once, for every app: while a suspension is in force the
service refuses before doing anything, unless the declaration names the action's place on the
allow-list (``AllowedWhileSuspended``). Whether a member is suspended is moderation's to say, and
moderation sits above the apps whose services are declared here; it hands its check in with
``set_member_check`` when it is ready (``ModerationConfig.ready``). A declared service called
before any check was handed in refuses to run rather than skip the rule. moderation/guards.py
describes the sanctions, and moderation/tests/test_guards.py tries every door against them.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ImproperlyConfigured


class AllowedWhileSuspended(StrEnum):
    """What a suspended member may still do with our services: look after their account, ask
    moderators to look again, keep themselves safe, and leave. (Logging in and out, tokens,
    passwords, e-mail addresses, two-factor authentication and the language are not our
    services: they are open to everyone.)"""

    APPEAL = "appeal"
    REPORT = "report"
    BLOCK = "block or unblock"
    MUTE = "mute or unmute"
    MARK_READ = "mark notifications or chat as read"
    SETTINGS = "notification or direct-message settings"
    CONSENT = "consent to the terms"
    DATA_EXPORT = "data export"
    LEAVE = "leave the site or a walk"


@dataclass(frozen=True)
class MemberAction:
    """What ``@member_action`` declared about a service."""

    actor: str
    allowed_while_suspended: AllowedWhileSuspended | None


_member_check: Callable[[object], None] | None = None


def set_member_check(check: Callable[[object], None]) -> None:
    """Installs the check every declared service runs first: it raises to refuse the member."""
    global _member_check
    _member_check = check


def check_member(member) -> None:
    if _member_check is None:
        raise ImproperlyConfigured("No member check is installed: is the moderation app installed?")
    _member_check(member)


def member_action(actor: str, *, allowed_while_suspended: AllowedWhileSuspended | None = None) -> Callable:
    """Declares a service as something a member does, ``actor`` naming the keyword argument that
    holds the member. Refused while they are suspended unless ``allowed_while_suspended`` says
    which item of the allow-list it is."""
    if allowed_while_suspended is not None:
        allowed_while_suspended = AllowedWhileSuspended(allowed_while_suspended)

    def declare(service: Callable) -> Callable:
        if allowed_while_suspended is None:

            @functools.wraps(service)
            def guarded(*args, **kwargs):
                check_member(kwargs[actor])
                return service(*args, **kwargs)

        else:
            guarded = service
        guarded.member_action = MemberAction(actor, allowed_while_suspended)
        return guarded

    return declare
