"""Drops single-column indexes on foreign keys that lead a composite index or unique constraint.

Only the index goes: Django's AlterField would also drop and re-validate each foreign key.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("walks", "0003_walk_hidden"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # walk_board_start leads with board_id.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="walk",
                    name="board",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="walks",
                        to="walks.walkboardpage",
                        verbose_name="board",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "walks_walk_board_id_e6ec45c5"',
                    reverse_sql='CREATE INDEX "walks_walk_board_id_e6ec45c5" ON "walks_walk" ("board_id")',
                ),
            ],
        ),
        # walk_participant_member leads with member_id.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="walkparticipant",
                    name="member",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="walk_participations",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "walks_walkparticipant_member_id_6e510630"',
                    reverse_sql='CREATE INDEX "walks_walkparticipant_member_id_6e510630" ON "walks_walkparticipant" ("member_id")',
                ),
            ],
        ),
        # walk_join_once leads with walk_id.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="walkparticipant",
                    name="walk",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="participations",
                        to="walks.walk",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "walks_walkparticipant_walk_id_5998d52d"',
                    reverse_sql='CREATE INDEX "walks_walkparticipant_walk_id_5998d52d" ON "walks_walkparticipant" ("walk_id")',
                ),
            ],
        ),
    ]
