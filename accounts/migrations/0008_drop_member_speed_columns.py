"""The member columns other apps kept for speed go (issue #18): lists read blocks and mutes, and the
badges the notification settings, from their own tables in the same query."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_member_credentials_version"),
        # The migrations that filled the columns run first on a fresh database.
        ("moderation", "0003_fill_has_blocks_or_mutes"),
        ("notifications", "0004_fill_notifications_off_on_site"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="user",
            name="has_blocks_or_mutes",
        ),
        migrations.RemoveField(
            model_name="user",
            name="notifications_off_on_site",
        ),
    ]
