"""Drops single-column indexes on foreign keys that lead a composite index or unique constraint.

Only the index goes: Django's AlterField would also drop and re-validate each foreign key.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("moderation", "0003_fill_has_blocks_or_mutes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # moderation_action_member leads with member_id.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="action",
                    name="member",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="moderation_actions",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="member concerned",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "moderation_action_member_id_4cb7dd7e"',
                    reverse_sql='CREATE INDEX "moderation_action_member_id_4cb7dd7e" ON "moderation_action" ("member_id")',
                ),
            ],
        ),
        # moderation_blocked_by leads with blocked_id.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="block",
                    name="blocked",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "moderation_block_blocked_id_b70cc2f0"',
                    reverse_sql='CREATE INDEX "moderation_block_blocked_id_b70cc2f0" ON "moderation_block" ("blocked_id")',
                ),
            ],
        ),
        # moderation_block_once leads with blocker_id.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="block",
                    name="blocker",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "moderation_block_blocker_id_cf3a8f0e"',
                    reverse_sql='CREATE INDEX "moderation_block_blocker_id_cf3a8f0e" ON "moderation_block" ("blocker_id")',
                ),
            ],
        ),
        # moderation_case_per_target leads with content_type_id.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="case",
                    name="content_type",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        to="contenttypes.contenttype",
                        verbose_name="kind",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "moderation_case_content_type_id_cf9a3076"',
                    reverse_sql='CREATE INDEX "moderation_case_content_type_id_cf9a3076" ON "moderation_case" ("content_type_id")',
                ),
            ],
        ),
        # moderation_mute_once leads with muter_id.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="mute",
                    name="muter",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "moderation_mute_muter_id_d07578e3"',
                    reverse_sql='CREATE INDEX "moderation_mute_muter_id_d07578e3" ON "moderation_mute" ("muter_id")',
                ),
            ],
        ),
        # moderation_report_once leads with case_id.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="report",
                    name="case",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reports",
                        to="moderation.case",
                        verbose_name="case",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "moderation_report_case_id_69382b22"',
                    reverse_sql='CREATE INDEX "moderation_report_case_id_69382b22" ON "moderation_report" ("case_id")',
                ),
            ],
        ),
    ]
