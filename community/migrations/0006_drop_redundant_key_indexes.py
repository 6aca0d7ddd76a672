"""Drops single-column indexes on foreign keys that lead a composite index or unique constraint.

Only the index goes: Django's AlterField would also drop and re-validate each foreign key.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0005_notification_system_worldcup"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # follow_once leads with follower_id.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="follow",
                    name="follower",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="following_set",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "community_follow_follower_id_2655bdf3"',
                    reverse_sql='CREATE INDEX "community_follow_follower_id_2655bdf3" ON "community_follow" ("follower_id")',
                ),
            ],
        ),
        # like_once_per_member leads with user_id.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="like",
                    name="user",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="likes",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "community_like_user_id_690d9f50"',
                    reverse_sql='CREATE INDEX "community_like_user_id_690d9f50" ON "community_like" ("user_id")',
                ),
            ],
        ),
        # notification_unread leads with recipient_id.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="notification",
                    name="recipient",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "community_notification_recipient_id_bf810c4d"',
                    reverse_sql='CREATE INDEX "community_notification_recipient_id_bf810c4d" ON "community_notification" ("recipient_id")',
                ),
            ],
        ),
        # post_author_recent leads with author_id.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="post",
                    name="author",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="posts",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="author",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "community_post_author_id_a6c5f564"',
                    reverse_sql='CREATE INDEX "community_post_author_id_a6c5f564" ON "community_post" ("author_id")',
                ),
            ],
        ),
    ]
