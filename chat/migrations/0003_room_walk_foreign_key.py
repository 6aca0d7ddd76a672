"""A walk room's ``walk_id`` becomes a foreign key to its walk (same column, same values).

Rooms whose walk was deleted outright (before there was a key) keep their messages and lose
only the dangling id, as ``on_delete=SET_NULL`` will do from now on.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Q


def forget_deleted_walks(apps, schema_editor):
    Room = apps.get_model("chat", "Room")
    Walk = apps.get_model("walks", "Walk")
    Room.objects.filter(walk_id__isnull=False).exclude(walk_id__in=Walk.objects.values("pk")).update(
        walk_id=None
    )


class Migration(migrations.Migration):
    dependencies = [
        ("chat", "0002_drop_redundant_key_indexes"),
        ("walks", "0005_walk_point_and_reminders"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="room", name="chat_room_kind_key"),
        migrations.RunPython(forget_deleted_walks, migrations.RunPython.noop),
        migrations.RenameField(model_name="room", old_name="walk_id", new_name="walk"),
        migrations.AlterField(
            model_name="room",
            name="walk",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="chat_room",
                to="walks.walk",
                verbose_name="walk",
            ),
        ),
        migrations.AddConstraint(
            model_name="room",
            constraint=models.CheckConstraint(
                condition=Q(kind="walk", direct_key__isnull=True)
                | Q(kind="direct", walk__isnull=True, direct_key__isnull=False),
                name="chat_room_kind_key",
            ),
        ),
    ]
