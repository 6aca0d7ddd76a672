"""Who may do what in the admin: every group and everything it grants, declared once.

``ROLES`` is the whole truth about groups. ``apply_roles`` makes the database say exactly
that (run by migration 0005 and after every ``migrate``, so a grant added here reaches
every site with its next deploy), and ``role_differences`` lists where the database says
anything else (the roles test asserts there is nothing). A new admin screen adds its
permission to the role that needs it here, and nowhere else.

A grant is written the way ``role_differences`` reports it:

- ``"app_label.model.codename"``: a Django permission (the model names its content type);
- ``"pages / app_label.model.codename"``: a Wagtail page permission on a page (by URL path);
- ``"collection Root app_label.model.codename"``: a Wagtail collection permission;
- ``"approves <task name>"``: a member of the group approves that Wagtail workflow task.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Q

# Our community moderators: the review queue, sanctions, the hidden-content view and World Cup
# entry withdrawal in the Wagtail admin; members, walks and pets to look up (view only, members
# without their e-mail addresses); and nothing on pages, media, snippets, settings, groups or
# workflows.
COMMUNITY_MODERATORS = "Community moderators"
# Wagtail's own groups, for staff who edit pages ("Moderators" also publish and approve).
WAGTAIL_EDITORS = "Editors"
WAGTAIL_MODERATORS = "Moderators"

# Wagtail's admin-access permission: whoever has it is staff (core.staff.is_staff_member).
ADMIN_ACCESS = "wagtailadmin.admin.access_admin"
ROOT_PAGE_PATH = "/"
ROOT_COLLECTION = "Root"
ROLES_MIGRATION = "0005_community_moderators"


@dataclass(frozen=True)
class Role:
    permissions: frozenset[str]
    # Page permissions on the whole page tree and collection permissions on every collection
    # (Wagtail grants them on the root page and the root collection).
    pages: frozenset[str] = frozenset()
    collections: frozenset[str] = frozenset()
    approval_tasks: frozenset[str] = frozenset()

    def grants(self) -> set[str]:
        return {
            *self.permissions,
            *(f"pages {ROOT_PAGE_PATH} {permission}" for permission in self.pages),
            *(f"collection {ROOT_COLLECTION} {permission}" for permission in self.collections),
            *(f"approves {task}" for task in self.approval_tasks),
        }


_MEDIA = frozenset(
    {
        "wagtaildocs.document.add_document",
        "wagtaildocs.document.change_document",
        "wagtaildocs.document.choose_document",
        "wagtailimages.image.add_image",
        "wagtailimages.image.change_image",
        "wagtailimages.image.choose_image",
    }
)

ROLES: dict[str, Role] = {
    COMMUNITY_MODERATORS: Role(
        permissions=frozenset(
            {
                ADMIN_ACCESS,
                "moderation.case.view_case",
                "moderation.case.change_case",
                "moderation.action.view_action",
                "moderation.report.view_report",
                "moderation.appeal.view_appeal",
                "community.post.view_hidden_content",
                "worldcup.entry.view_entry",
                "worldcup.entry.change_entry",
                "accounts.user.view_user",
                "walks.walk.view_walk",
                "pets.pet.view_pet",
            }
        ),
    ),
    WAGTAIL_EDITORS: Role(
        permissions=frozenset(
            {
                ADMIN_ACCESS,
                *_MEDIA,
                "wagtaildocs.document.delete_document",
                "wagtailimages.image.delete_image",
            }
        ),
        pages=frozenset({"wagtailcore.page.add_page", "wagtailcore.page.change_page"}),
        collections=_MEDIA,
    ),
    WAGTAIL_MODERATORS: Role(
        permissions=frozenset(
            {
                ADMIN_ACCESS,
                *_MEDIA,
                "wagtaildocs.document.delete_document",
                "wagtailimages.image.delete_image",
            }
        ),
        pages=frozenset(
            {
                "wagtailcore.page.add_page",
                "wagtailcore.page.change_page",
                "wagtailcore.page.lock_page",
                "wagtailcore.page.publish_page",
                "wagtailcore.page.unlock_page",
            }
        ),
        collections=_MEDIA,
        approval_tasks=frozenset({"Moderators approval"}),
    ),
}


def staff_filter(apps=global_apps) -> Q:
    """``core.staff.is_staff_member`` as a filter on members (for lists of staff, and migrations)."""
    app_label, model, codename = ADMIN_ACCESS.split(".")
    access = {"content_type__app_label": app_label, "content_type__model": model, "codename": codename}
    return (
        Q(is_staff=True)
        | Q(is_superuser=True)
        | Q(groups__permissions__in=_permissions_matching(apps, access))
        | Q(user_permissions__in=_permissions_matching(apps, access))
    )


def _permissions_matching(apps, lookup: dict):
    return apps.get_model("auth", "Permission").objects.filter(**lookup).values("pk")


def _permission(apps, spec: str):
    """The permission a grant names, made if missing (after a flush, permissions of apps later
    in INSTALLED_APPS come back after ours)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    app_label, model, codename = spec.split(".")
    content_type = ContentType.objects.get_or_create(app_label=app_label, model=model)[0]
    return Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": codename.replace("_", " ")}
    )[0]


def apply_roles(apps=global_apps) -> None:
    """Makes every declared group grant exactly what ``ROLES`` says (groups not declared are
    left alone; ``role_differences`` reports them)."""
    from .backends import bump_permissions_version

    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    root_page = Page.objects.filter(depth=1).first()
    root_collection = Collection.objects.filter(depth=1).first()
    for name, role in ROLES.items():
        group = Group.objects.get_or_create(name=name)[0]
        group.permissions.set([_permission(apps, spec) for spec in role.permissions])
        _set_rows(
            GroupPagePermission.objects.filter(group=group),
            {"page": root_page} if root_page else None,
            [_permission(apps, spec) for spec in role.pages],
        )
        _set_rows(
            GroupCollectionPermission.objects.filter(group=group),
            {"collection": root_collection} if root_collection else None,
            [_permission(apps, spec) for spec in role.collections],
        )
        for task in GroupApprovalTask.objects.filter(groups=group).exclude(name__in=role.approval_tasks):
            task.groups.remove(group)
        for task in GroupApprovalTask.objects.filter(name__in=role.approval_tasks):
            task.groups.add(group)
    bump_permissions_version()


def _set_rows(rows, place: dict | None, permissions: list) -> None:
    """Keeps exactly ``permissions`` at ``place`` among a group's page or collection rows."""
    if place is None:
        rows.delete()
        return
    rows.exclude(**place, permission__in=permissions).delete()
    for permission in permissions:
        rows.get_or_create(**place, permission=permission)


def _spec(permission) -> str:
    content_type = permission.content_type
    return f"{content_type.app_label}.{content_type.model}.{permission.codename}"


def group_grants(group) -> set[str]:
    """Everything ``group`` grants in the database, written as ``ROLES`` writes it."""
    from wagtail.models import GroupApprovalTask, GroupCollectionPermission, GroupPagePermission

    grants = {_spec(permission) for permission in group.permissions.select_related("content_type")}
    for row in GroupPagePermission.objects.filter(group=group).select_related(
        "page", "permission__content_type"
    ):
        grants.add(f"pages {row.page.url_path} {_spec(row.permission)}")
    for row in GroupCollectionPermission.objects.filter(group=group).select_related(
        "collection", "permission__content_type"
    ):
        path = "/".join(c.name for c in [*row.collection.get_ancestors(), row.collection])
        grants.add(f"collection {path} {_spec(row.permission)}")
    grants.update(f"approves {task.name}" for task in GroupApprovalTask.objects.filter(groups=group))
    return grants


@dataclass(frozen=True)
class RoleDifference:
    group: str
    extra: frozenset[str]
    missing: frozenset[str]
    declared: bool = True

    def __str__(self) -> str:
        if not self.declared:
            return f"{self.group!r} is not declared in accounts.roles.ROLES (grants {sorted(self.extra)})"
        return f"{self.group!r} grants {sorted(self.extra)} beyond ROLES and lacks {sorted(self.missing)}"


def role_differences(groups: Iterable | None = None) -> list[RoleDifference]:
    """Every group whose grants differ from ``ROLES``, every undeclared group, and every
    declared group that is missing."""
    from django.contrib.auth.models import Group

    groups = list(Group.objects.order_by("name") if groups is None else groups)
    differences = []
    for group in groups:
        actual = group_grants(group)
        role = ROLES.get(group.name)
        if role is None:
            differences.append(RoleDifference(group.name, frozenset(actual), frozenset(), declared=False))
            continue
        declared = role.grants()
        if actual != declared:
            differences.append(
                RoleDifference(group.name, frozenset(actual - declared), frozenset(declared - actual))
            )
    present = {group.name for group in groups}
    differences.extend(
        RoleDifference(name, frozenset(), frozenset(role.grants()))
        for name, role in ROLES.items()
        if name not in present
    )
    return differences


def apply_roles_after_migrate(sender, apps=global_apps, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """Grants follow ``ROLES`` after every ``migrate`` (and after a test's flush), once the
    migration that brought roles in has run."""
    applied = MigrationRecorder(connections[using]).applied_migrations()
    if ("accounts", ROLES_MIGRATION) in applied:
        apply_roles(apps)
