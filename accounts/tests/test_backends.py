import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from accounts.roles import COMMUNITY_MODERATORS
from accounts.tests.factories import UserFactory


def fresh(user):
    return User.objects.get(pk=user.pk)


@pytest.mark.django_db
class TestCachedPermissions:
    def test_a_members_permissions_are_loaded_once_then_cached(self, moderator):
        assert fresh(moderator).has_perm("community.view_hidden_content")

        with CaptureQueriesContext(connection) as queries:
            assert fresh(moderator).has_perm("community.view_hidden_content")

        assert [q["sql"] for q in queries.captured_queries if "permission" in q["sql"]] == []

    def test_joining_a_group_takes_effect_at_once(self):
        member = UserFactory()
        assert not fresh(member).has_perm("community.view_hidden_content")

        member.groups.add(Group.objects.get(name=COMMUNITY_MODERATORS))

        assert fresh(member).has_perm("community.view_hidden_content")

    def test_leaving_a_group_takes_effect_at_once(self, moderator):
        assert fresh(moderator).has_perm("wagtailadmin.access_admin")

        moderator.groups.clear()

        assert not fresh(moderator).has_perm("wagtailadmin.access_admin")

    def test_changing_a_groups_permissions_takes_effect_at_once(self, moderator):
        assert fresh(moderator).has_perm("community.view_hidden_content")

        Group.objects.get(name=COMMUNITY_MODERATORS).permissions.remove(
            Permission.objects.get(codename="view_hidden_content")
        )

        assert not fresh(moderator).has_perm("community.view_hidden_content")

    def test_inactive_members_have_no_permissions(self, moderator):
        moderator.is_active = False

        assert not moderator.has_perm("community.view_hidden_content")
