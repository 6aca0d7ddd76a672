from django.db import migrations


def fill(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    Block = apps.get_model("moderation", "Block")
    Mute = apps.get_model("moderation", "Mute")
    involved = set(Block.objects.values_list("blocker_id", flat=True))
    involved |= set(Block.objects.values_list("blocked_id", flat=True))
    involved |= set(Mute.objects.values_list("muter_id", flat=True))
    User.objects.filter(pk__in=involved).update(has_blocks_or_mutes=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_member_has_blocks_or_mutes"),
        ("moderation", "0002_moderators_permissions"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
