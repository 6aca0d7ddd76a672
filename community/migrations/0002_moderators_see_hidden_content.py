from django.db import migrations


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    post_type, _ = ContentType.objects.get_or_create(app_label="community", model="post")
    permission, _ = Permission.objects.get_or_create(
        content_type=post_type,
        codename="view_hidden_content",
        defaults={"name": "Can see hidden and deleted member content"},
    )
    Group.objects.get_or_create(name="Moderators")[0].permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0001_initial"),
        ("accounts", "0002_moderators_group"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
