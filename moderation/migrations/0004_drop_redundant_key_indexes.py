"""Drops single-column indexes on foreign keys that lead a composite index or unique constraint."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from core.migration_operations import drop_key_index


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("moderation", "0003_fill_has_blocks_or_mutes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # moderation_action_member leads with member_id.
        drop_key_index(
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
            index="moderation_action_member_id_4cb7dd7e",
            table="moderation_action",
            column="member_id",
        ),
        # moderation_blocked_by leads with blocked_id.
        drop_key_index(
            model_name="block",
            name="blocked",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
            index="moderation_block_blocked_id_b70cc2f0",
            table="moderation_block",
            column="blocked_id",
        ),
        # moderation_block_once leads with blocker_id.
        drop_key_index(
            model_name="block",
            name="blocker",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
            index="moderation_block_blocker_id_cf3a8f0e",
            table="moderation_block",
            column="blocker_id",
        ),
        # moderation_case_per_target leads with content_type_id.
        drop_key_index(
            model_name="case",
            name="content_type",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                to="contenttypes.contenttype",
                verbose_name="kind",
            ),
            index="moderation_case_content_type_id_cf9a3076",
            table="moderation_case",
            column="content_type_id",
        ),
        # moderation_mute_once leads with muter_id.
        drop_key_index(
            model_name="mute",
            name="muter",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
            index="moderation_mute_muter_id_d07578e3",
            table="moderation_mute",
            column="muter_id",
        ),
        # moderation_report_once leads with case_id.
        drop_key_index(
            model_name="report",
            name="case",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="reports",
                to="moderation.case",
                verbose_name="case",
            ),
            index="moderation_report_case_id_69382b22",
            table="moderation_report",
            column="case_id",
        ),
    ]
