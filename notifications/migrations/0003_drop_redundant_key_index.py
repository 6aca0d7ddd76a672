"""Drops single-column indexes on foreign keys that lead a composite index or unique constraint.

Only the index goes: Django's AlterField would also drop and re-validate each foreign key.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_emaildigest_chat_covered_id"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # notification_setting_once leads with member_id.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="notificationsetting",
                    name="member",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notification_settings",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "notifications_notificationsetting_member_id_3a481756"',
                    reverse_sql='CREATE INDEX "notifications_notificationsetting_member_id_3a481756" ON "notifications_notificationsetting" ("member_id")',
                ),
            ],
        ),
    ]
