"""Drops single-column indexes on foreign keys that lead a composite index or unique constraint."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from core.migration_operations import drop_key_index


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0005_notification_system_worldcup"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # follow_once leads with follower_id.
        drop_key_index(
            model_name="follow",
            name="follower",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="following_set",
                to=settings.AUTH_USER_MODEL,
            ),
            index="community_follow_follower_id_2655bdf3",
            table="community_follow",
            column="follower_id",
        ),
        # like_once_per_member leads with user_id.
        drop_key_index(
            model_name="like",
            name="user",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="likes",
                to=settings.AUTH_USER_MODEL,
            ),
            index="community_like_user_id_690d9f50",
            table="community_like",
            column="user_id",
        ),
        # notification_unread leads with recipient_id.
        drop_key_index(
            model_name="notification",
            name="recipient",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="notifications",
                to=settings.AUTH_USER_MODEL,
            ),
            index="community_notification_recipient_id_bf810c4d",
            table="community_notification",
            column="recipient_id",
        ),
        # post_author_recent leads with author_id.
        drop_key_index(
            model_name="post",
            name="author",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="posts",
                to=settings.AUTH_USER_MODEL,
                verbose_name="author",
            ),
            index="community_post_author_id_a6c5f564",
            table="community_post",
            column="author_id",
        ),
    ]
