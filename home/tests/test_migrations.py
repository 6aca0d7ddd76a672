"""The home page's model moved from site_core to home: a database made before the move keeps its
page, the page's fields and its content type (so its revisions and permissions) after migrating."""

import pytest
from django.contrib.contenttypes.models import ContentType

from core.tests.migrating import migrate, migrate_to_latest

BEFORE_THE_MOVE = [("site_core", "0003_korean_admin_names"), ("home", None)]


@pytest.mark.django_db
def test_the_home_page_keeps_its_row_fields_and_content_type_when_its_model_moves_to_home():
    old_apps = migrate(BEFORE_THE_MOVE)
    OldHomePage = old_apps.get_model("site_core", "HomePage")
    page = OldHomePage.objects.get()
    OldHomePage.objects.filter(pk=page.pk).update(headline="우리 동네 강아지들")
    content_type_id = page.content_type_id
    assert (
        old_apps.get_model("contenttypes", "ContentType").objects.get(pk=content_type_id).app_label
        == "site_core"
    )

    new_apps = migrate_to_latest()
    moved = new_apps.get_model("home", "HomePage").objects.get(pk=page.pk)

    assert moved.headline == "우리 동네 강아지들"
    assert moved.content_type_id == content_type_id
    ContentType.objects.clear_cache()
    assert ContentType.objects.get(pk=content_type_id).natural_key() == ("home", "homepage")
