from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_member_has_blocks_or_mutes"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="notifications_off_on_site",
            field=models.JSONField(
                blank=True,
                default=list,
                editable=False,
                help_text="The notification settings the member turned off on the site, copied from their settings by the notifications services: every page's nav badges read them from the member's row instead of joining the settings table.",
                verbose_name="notification kinds off on the site",
            ),
        ),
    ]
