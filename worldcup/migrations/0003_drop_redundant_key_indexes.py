"""Drops single-column indexes on foreign keys that lead a composite index or unique constraint,
and the match indexes that repeated the foreign keys' own.

Game.event keeps its index: both (event, player) constraints are partial.
"""

import django.db.models.deletion
from django.db import migrations, models

from core.migration_operations import drop_key_index


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
        drop_key_index(
            model_name="entry",
            name="event",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="entries",
                to="worldcup.worldcupeventpage",
                verbose_name="event",
            ),
            index="worldcup_entry_event_id_55000192",
            table="worldcup_entry",
            column="event_id",
        ),
        # worldcup_game_champion leads with champion_id.
        drop_key_index(
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
            index="worldcup_game_champion_id_b5eeaef4",
            table="worldcup_game",
            column="champion_id",
        ),
        # worldcup_match_slot leads with game_id.
        drop_key_index(
            model_name="match",
            name="game",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="matches",
                to="worldcup.game",
            ),
            index="worldcup_match_game_id_956d68b8",
            table="worldcup_match",
            column="game_id",
        ),
    ]
