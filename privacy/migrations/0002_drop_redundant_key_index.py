"""Drops single-column indexes on foreign keys that lead a composite index or unique constraint."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from core.migration_operations import drop_key_index


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # consent_once_per_version leads with member_id.
        drop_key_index(
            model_name="consent",
            name="member",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="consents",
                to=settings.AUTH_USER_MODEL,
            ),
            index="privacy_consent_member_id_c1ad88d9",
            table="privacy_consent",
            column="member_id",
        ),
    ]
