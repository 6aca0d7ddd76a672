"""``Notification`` now belongs to the ``notifications`` app (its migrations 0007 and 0008 renamed
its table and content type and moved its targets); here it only leaves this app's state."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("community", "0010_post_draft"),
        ("notifications", "0008_notification_targets"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="Notification")]),
    ]
