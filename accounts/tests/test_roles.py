import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from wagtail.models import Collection, GroupApprovalTask, GroupCollectionPermission, GroupPagePermission, Page

from accounts import roles
from accounts.roles import COMMUNITY_MODERATORS, ROLES, WAGTAIL_MODERATORS
from accounts.tests.factories import UserFactory


def permission(spec: str) -> Permission:
    app_label, codename = spec.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@pytest.mark.django_db
class TestRolesAreExact:
    def test_every_group_grants_exactly_what_roles_declares(self):
        """Django permissions, Wagtail page and collection permissions and workflow tasks of
        every group, against accounts.roles.ROLES: a new admin screen extends ROLES, not this test."""
        assert [str(difference) for difference in roles.role_differences()] == []
        assert set(Group.objects.values_list("name", flat=True)) == set(ROLES)

    def test_the_enumerator_reports_a_group_given_an_extra_permission(self):
        group = Group.objects.get(name=COMMUNITY_MODERATORS)
        group.permissions.add(permission("wagtailcore.change_page"))

        [difference] = roles.role_differences()

        assert difference.group == COMMUNITY_MODERATORS
        assert difference.extra == {"wagtailcore.page.change_page"}
        assert difference.missing == set()

    def test_the_enumerator_reports_page_and_collection_permissions_and_workflow_tasks(self):
        group = Group.objects.get(name=COMMUNITY_MODERATORS)
        home = Page.objects.get(depth=2)
        GroupPagePermission.objects.create(
            group=group, page=home, permission=permission("wagtailcore.publish_page")
        )
        GroupCollectionPermission.objects.create(
            group=group,
            collection=Collection.get_first_root_node(),
            permission=permission("wagtailimages.add_image"),
        )
        GroupApprovalTask.objects.get(name="Moderators approval").groups.add(group)

        [difference] = roles.role_differences()

        assert difference.extra == {
            f"pages {home.url_path} wagtailcore.page.publish_page",
            "collection Root wagtailimages.image.add_image",
            "approves Moderators approval",
        }

    def test_the_enumerator_reports_a_missing_grant_an_undeclared_group_and_a_missing_group(self):
        Group.objects.get(name=COMMUNITY_MODERATORS).permissions.remove(permission("moderation.change_case"))
        Group.objects.create(name="Helpers").permissions.add(permission("wagtailadmin.access_admin"))
        Group.objects.get(name=WAGTAIL_MODERATORS).delete()

        differences = {difference.group: difference for difference in roles.role_differences()}

        assert differences[COMMUNITY_MODERATORS].missing == {"moderation.case.change_case"}
        assert not differences["Helpers"].declared
        assert differences["Helpers"].extra == {"wagtailadmin.admin.access_admin"}
        assert differences[WAGTAIL_MODERATORS].missing == ROLES[WAGTAIL_MODERATORS].grants()

    def test_applying_the_roles_again_undoes_a_grant_made_by_hand(self):
        group = Group.objects.get(name=COMMUNITY_MODERATORS)
        group.permissions.add(permission("wagtailcore.change_page"))
        GroupApprovalTask.objects.get(name="Moderators approval").groups.add(group)

        roles.apply_roles()

        assert roles.role_differences() == []

    def test_the_migration_moves_wagtails_moderators_to_community_moderators(self):
        """Before it, our moderators were members of Wagtail's "Moderators" group (with the
        review queue added to it); afterwards they are community moderators only."""
        wagtail_moderators = Group.objects.get(name=WAGTAIL_MODERATORS)
        wagtail_moderators.permissions.add(permission("moderation.change_case"))
        old_moderator = UserFactory()
        old_moderator.groups.add(wagtail_moderators)
        editor = UserFactory()
        editor.groups.add(Group.objects.get(name="Editors"))
        migration = importlib.import_module("accounts.migrations.0005_community_moderators")

        migration.move_moderators(apps, None)

        assert list(old_moderator.groups.values_list("name", flat=True)) == [COMMUNITY_MODERATORS]
        assert list(editor.groups.values_list("name", flat=True)) == ["Editors"]
        assert roles.role_differences() == []


@pytest.mark.django_db(transaction=True)
def test_roles_come_back_after_a_flush():
    """Transactional tests end with a flush: the groups come back with their grants, as the
    content types and permissions do, so the ``moderator`` fixture works there too."""
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)

    moderator = UserFactory()
    moderator.groups.add(Group.objects.get(name=COMMUNITY_MODERATORS))
    assert moderator.has_perm("moderation.change_case")
    assert set(Group.objects.values_list("name", flat=True)) == set(ROLES)
