from django.db import migrations

GRANTS = {
    "case": ("view", "change"),
    "action": ("view",),
    "report": ("view",),
    "appeal": ("view",),
}


def grant(apps, schema_editor):
    """Moderators review cases and read the audit log in the Wagtail admin."""
    ContentType = apps.get_model("contenttypes.ContentType")
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    group = Group.objects.get_or_create(name="Moderators")[0]
    for model, actions in GRANTS.items():
        content_type = ContentType.objects.get_or_create(app_label="moderation", model=model)[0]
        for action in actions:
            permission = Permission.objects.get_or_create(
                content_type=content_type,
                codename=f"{action}_{model}",
                defaults={"name": f"Can {action} {model}"},
            )[0]
            group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0001_initial"),
        ("accounts", "0002_moderators_group"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
