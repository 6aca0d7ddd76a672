"""Who is staff, for every app that treats staff apart (the groups and their grants are declared
in accounts/roles.py)."""

# What ``has_perm`` calls Wagtail's admin-access permission: whoever has it is staff.
ADMIN_ACCESS_PERMISSION = "wagtailadmin.access_admin"


def is_staff_member(user) -> bool:
    """Staff: superusers, Django staff and whoever may open the Wagtail admin (moderators too)."""
    return bool(
        user.is_authenticated
        and (user.is_superuser or user.is_staff or user.has_perm(ADMIN_ACCESS_PERMISSION))
    )
