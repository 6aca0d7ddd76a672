"""The home page model moves here from ``site_core`` (which keeps only the wiring): its table and
content type are renamed, so the page, its revisions and its permissions stay as they are."""

import django.db.models.deletion
import wagtail.fields
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor, *, source="site_core", target="home"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label=source, model="homepage").update(app_label=target)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("site_core", "0003_korean_admin_names"),
        # The walk board was created under the home page by its historical model.
        ("walks", "0002_walk_pages"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="HomePage",
                    fields=[
                        (
                            "page_ptr",
                            models.OneToOneField(
                                auto_created=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                parent_link=True,
                                primary_key=True,
                                serialize=False,
                                to=settings.WAGTAIL_PAGE_MODEL,
                            ),
                        ),
                        ("headline", models.CharField(blank=True, max_length=120, verbose_name="headline")),
                        ("intro", wagtail.fields.RichTextField(blank=True, verbose_name="introduction")),
                    ],
                    options={"verbose_name": "home page"},
                    bases=("wagtailcore.page",),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    "ALTER TABLE site_core_homepage RENAME TO home_homepage",
                    "ALTER TABLE home_homepage RENAME TO site_core_homepage",
                ),
            ],
        ),
        migrations.RunPython(
            move_content_type,
            lambda apps, schema_editor: move_content_type(
                apps, schema_editor, source="home", target="site_core"
            ),
        ),
    ]
