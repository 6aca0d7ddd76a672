from django.db import migrations

MODERATORS = "Moderators"


def ensure_moderators_group(apps, schema_editor):
    """Moderators reach the Wagtail admin (for the review queue) without being superusers."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_type, codename="access_admin", defaults={"name": "Can access Wagtail admin"}
    )
    group, _ = Group.objects.get_or_create(name=MODERATORS)
    group.permissions.add(access_admin)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(ensure_moderators_group, migrations.RunPython.noop)]
