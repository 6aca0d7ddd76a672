"""Drops single-column indexes on foreign keys that lead a composite index or unique constraint,
and the match indexes that repeated the foreign keys' own.

Only the index goes: Django's AlterField would also drop and re-validate each foreign key.
Game.event keeps its index: both (event, player) constraints are partial.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("worldcup", "0002_moderators_withdraw_entries"),
    ]

    operations = [
        # The foreign keys' own indexes cover the same columns.
        migrations.RemoveIndex(
            model_name="match",
            name="worldcup_match_winner",
        ),
        migrations.RemoveIndex(
            model_name="match",
            name="worldcup_match_entry_a",
        ),
        migrations.RemoveIndex(
            model_name="match",
            name="worldcup_match_entry_b",
        ),
        # worldcup_one_entry_per_member leads with event_id.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="entry",
                    name="event",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="entries",
                        to="worldcup.worldcupeventpage",
                        verbose_name="event",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "worldcup_entry_event_id_55000192"',
                    reverse_sql='CREATE INDEX "worldcup_entry_event_id_55000192" ON "worldcup_entry" ("event_id")',
                ),
            ],
        ),
        # worldcup_game_champion leads with champion_id.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="game",
                    name="champion",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="worldcup.entry",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "worldcup_game_champion_id_b5eeaef4"',
                    reverse_sql='CREATE INDEX "worldcup_game_champion_id_b5eeaef4" ON "worldcup_game" ("champion_id")',
                ),
            ],
        ),
        # worldcup_match_slot leads with game_id.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="match",
                    name="game",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="matches",
                        to="worldcup.game",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "worldcup_match_game_id_956d68b8"',
                    reverse_sql='CREATE INDEX "worldcup_match_game_id_956d68b8" ON "worldcup_match" ("game_id")',
                ),
            ],
        ),
    ]
