"""Drops single-column indexes on foreign keys that lead a composite index or unique constraint."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from core.migration_operations import drop_key_index


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_emaildigest_chat_covered_id"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # notification_setting_once leads with member_id.
        drop_key_index(
            model_name="notificationsetting",
            name="member",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="notification_settings",
                to=settings.AUTH_USER_MODEL,
            ),
            index="notifications_notificationsetting_member_id_3a481756",
            table="notifications_notificationsetting",
            column="member_id",
        ),
    ]
