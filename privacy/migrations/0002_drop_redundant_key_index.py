"""Drops single-column indexes on foreign keys that lead a composite index or unique constraint.

Only the index goes: Django's AlterField would also drop and re-validate each foreign key.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # consent_once_per_version leads with member_id.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="consent",
                    name="member",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="consents",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "privacy_consent_member_id_c1ad88d9"',
                    reverse_sql='CREATE INDEX "privacy_consent_member_id_c1ad88d9" ON "privacy_consent" ("member_id")',
                ),
            ],
        ),
    ]
