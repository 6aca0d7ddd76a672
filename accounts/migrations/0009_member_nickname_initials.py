"""Members' nickname initials (초성), so that @ㄷㅂ while writing finds 두부엄마: the column, filled
for the members there are (save() keeps it after)."""

from django.db import migrations, models

from korean.jamo import initials

BATCH = 1000


def fill(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    members = User.objects.exclude(nickname="").only("pk", "nickname").order_by("pk")
    batch = []
    for member in members.iterator(chunk_size=BATCH):
        member.nickname_initials = initials(member.nickname)
        batch.append(member)
        if len(batch) == BATCH:
            User.objects.bulk_update(batch, ["nickname_initials"])
            batch = []
    User.objects.bulk_update(batch, ["nickname_initials"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_drop_member_speed_columns"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="nickname_initials",
            field=models.CharField(
                blank=True, editable=False, max_length=30, verbose_name="nickname initials"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
