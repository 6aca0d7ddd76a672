"""The home page model now belongs to the ``home`` app (home/migrations/0001_initial.py renamed
its table and content type); here it only leaves this app's migration state."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0001_initial"),
        ("site_core", "0003_korean_admin_names"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="HomePage")]),
    ]
