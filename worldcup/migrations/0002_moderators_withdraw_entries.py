"""Moderators may see World Cup entries in the admin and withdraw them (the change permission)."""

from django.db import migrations

MODERATORS = "Moderators"


def grant_entry_permissions(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    entry_type, _ = ContentType.objects.get_or_create(app_label="worldcup", model="entry")
    group, _ = Group.objects.get_or_create(name=MODERATORS)
    for action, label in (("view", "Can view World Cup entry"), ("change", "Can change World Cup entry")):
        permission, _ = Permission.objects.get_or_create(
            content_type=entry_type, codename=f"{action}_entry", defaults={"name": label}
        )
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("worldcup", "0001_initial"),
        ("accounts", "0002_moderators_group"),
    ]

    operations = [migrations.RunPython(grant_entry_permissions, migrations.RunPython.noop)]
