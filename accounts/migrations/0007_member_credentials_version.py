from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_reserved_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="credentials_version",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                help_text="Raised whenever the member's credentials change (password changed, reset or wiped, a social account connected, a ban, leaving): sessions, tokens and sockets made under an earlier version stop working (accounts.services.member_credentials_raise).",
                verbose_name="credentials version",
            ),
        ),
    ]
