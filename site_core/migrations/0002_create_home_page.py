from django.db import migrations


def create_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Locale = apps.get_model("wagtailcore.Locale")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("site_core.HomePage")

    # Wagtail's initial data adds a plain welcome page at depth 2 (its Site cascades).
    Page.objects.filter(depth=2, slug="home", content_type__model="page").delete()
    if HomePage.objects.exists():
        return
    content_type, _ = ContentType.objects.get_or_create(app_label="site_core", model="homepage")
    home = HomePage.objects.create(
        title="Petrasche",
        draft_title="Petrasche",
        slug="home",
        content_type=content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=Locale.objects.order_by("pk").first(),
        headline="반려견과 함께 걷는 하루, 페트라슈",
        intro="<p>산책 친구를 찾고, 우리 아이의 하루를 기록하고, 이웃 반려인과 이야기를 나눠요.</p>",
    )
    Page.objects.filter(depth=1).update(numchild=1)
    Site.objects.create(hostname="localhost", port=80, root_page_id=home.pk, is_default_site=True)


def remove_home_page(apps, schema_editor):
    apps.get_model("site_core.HomePage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("site_core", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_home_page, remove_home_page)]
