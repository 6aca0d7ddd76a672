from collections import defaultdict

from django.db import migrations


def fill(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    NotificationSetting = apps.get_model("notifications", "NotificationSetting")
    off = defaultdict(list)
    for member_id, kind in NotificationSetting.objects.filter(on_site=False).values_list("member_id", "kind"):
        off[member_id].append(kind)
    for member_id, kinds in off.items():
        User.objects.filter(pk=member_id).update(notifications_off_on_site=sorted(kinds))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_member_notifications_off_on_site"),
        ("notifications", "0003_drop_redundant_key_index"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
