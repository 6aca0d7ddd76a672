"""The suspension rule's declaration (core/actions.py); moderation/tests/test_guards.py tries it at
every door of the site with moderation's check."""

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied

from core import actions
from core.actions import AllowedWhileSuspended, member_action
from moderation.guards import check_not_suspended


@member_action("member")
def write(*, member):
    return "written"


@member_action("member", allowed_while_suspended=AllowedWhileSuspended.APPEAL)
def appeal(*, member):
    return "appealed"


def refuse(member):
    raise PermissionDenied(member)


def test_moderation_hands_in_its_suspension_check_when_ready():
    assert actions._member_check is check_not_suspended


def test_a_declared_service_runs_the_check_first_and_the_allow_list_skips_it(monkeypatch):
    monkeypatch.setattr(actions, "_member_check", None)
    actions.set_member_check(refuse)

    with pytest.raises(PermissionDenied):
        write(member="dubu")
    assert appeal(member="dubu") == "appealed"
    assert write.member_action == actions.MemberAction("member", None)
    assert appeal.member_action == actions.MemberAction("member", AllowedWhileSuspended.APPEAL)


def test_without_a_check_a_declared_service_refuses_to_run(monkeypatch):
    monkeypatch.setattr(actions, "_member_check", None)

    with pytest.raises(ImproperlyConfigured):
        write(member="dubu")
