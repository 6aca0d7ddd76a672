"""Korean names for the rows Wagtail creates in English and shows staff in the admin: the root
page ("Root", in the page explorer's breadcrumbs) and the default workflow ("Moderators
approval", on the page editor's "submit" button). The approval task keeps its name, which
accounts.roles grants by."""

from django.db import migrations

NAMES = {"root": ("Root", "전체 사이트"), "workflow": ("Moderators approval", "운영진 승인")}


def rename(apps, schema_editor, *, backwards=False):
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    for key, model, field, extra in (
        ("root", Page, "title", {"depth": 1}),
        ("workflow", Workflow, "name", {}),
    ):
        old, new = NAMES[key][::-1] if backwards else NAMES[key]
        updates = {field: new, "draft_title": new} if model is Page else {field: new}
        model.objects.filter(**{field: old}, **extra).update(**updates)


class Migration(migrations.Migration):
    dependencies = [
        ("site_core", "0002_create_home_page"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunPython(rename, lambda apps, schema_editor: rename(apps, schema_editor, backwards=True))
    ]
