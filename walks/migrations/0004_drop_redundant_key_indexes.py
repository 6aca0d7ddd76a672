"""Drops single-column indexes on foreign keys that lead a composite index or unique constraint."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from core.migration_operations import drop_key_index


class Migration(migrations.Migration):
    dependencies = [
        ("walks", "0003_walk_hidden"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # walk_board_start leads with board_id.
        drop_key_index(
            model_name="walk",
            name="board",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="walks",
                to="walks.walkboardpage",
                verbose_name="board",
            ),
            index="walks_walk_board_id_e6ec45c5",
            table="walks_walk",
            column="board_id",
        ),
        # walk_participant_member leads with member_id.
        drop_key_index(
            model_name="walkparticipant",
            name="member",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="walk_participations",
                to=settings.AUTH_USER_MODEL,
            ),
            index="walks_walkparticipant_member_id_6e510630",
            table="walks_walkparticipant",
            column="member_id",
        ),
        # walk_join_once leads with walk_id.
        drop_key_index(
            model_name="walkparticipant",
            name="walk",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="participations",
                to="walks.walk",
            ),
            index="walks_walkparticipant_walk_id_5998d52d",
            table="walks_walkparticipant",
            column="walk_id",
        ),
    ]
