"""The walk index "산책 친구 찾기" (/walks/) under the home page, with three regional boards.

Staff edit, add and close boards in the Wagtail admin afterwards. Pages are added the way
treebeard stores them (materialised paths of four base-36 digits per level), as the home
page's own migration does: migrations cannot use the models' tree methods.
"""

from django.db import migrations
from django.utils import timezone

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4

INDEX = {
    "title": "산책 친구 찾기",
    "slug": "walks",
    "intro": "<p>우리 동네에서 함께 걸을 반려견 친구를 찾아보세요. 지역 게시판을 고르고, 산책을 모집하거나 참여하세요.</p>",
}
BOARDS = [
    (
        "seoul-gangnam",
        "서울 강남구 산책",
        "서울 강남구",
        "<p>양재천, 선정릉, 도곡공원 산책 친구를 찾아요.</p>",
    ),
    (
        "seoul-mapo",
        "서울 마포구 산책",
        "서울 마포구",
        "<p>망원 한강공원, 경의선숲길, 월드컵공원 산책 친구를 찾아요.</p>",
    ),
    (
        "busan-haeundae",
        "부산 해운대구 산책",
        "부산 해운대구",
        "<p>해운대 해변, 동백섬, APEC나루공원 산책 친구를 찾아요.</p>",
    ),
]


def _encode(number: int) -> str:
    digits = ""
    while number:
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEPLEN, "0")


def _next_child_path(Page, parent) -> str:
    last = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).order_by("-path").first()
    number = int(last.path[-STEPLEN:], len(ALPHABET)) + 1 if last else 1
    return parent.path + _encode(number)


def create_walk_pages(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    HomePage = apps.get_model("site_core.HomePage")
    WalkIndexPage = apps.get_model("walks.WalkIndexPage")
    WalkBoardPage = apps.get_model("walks.WalkBoardPage")

    home = HomePage.objects.order_by("path").first()
    if home is None or WalkIndexPage.objects.exists():
        return
    if Page.objects.filter(path__startswith=home.path, depth=home.depth + 1, slug=INDEX["slug"]).exists():
        return
    now = timezone.now()
    common = {"live": True, "first_published_at": now, "last_published_at": now, "locale_id": home.locale_id}

    index_type, _ = ContentType.objects.get_or_create(app_label="walks", model="walkindexpage")
    board_type, _ = ContentType.objects.get_or_create(app_label="walks", model="walkboardpage")
    index = WalkIndexPage.objects.create(
        title=INDEX["title"],
        draft_title=INDEX["title"],
        slug=INDEX["slug"],
        intro=INDEX["intro"],
        content_type=index_type,
        path=_next_child_path(Page, home),
        depth=home.depth + 1,
        numchild=len(BOARDS),
        url_path=f"{home.url_path}{INDEX['slug']}/",
        **common,
    )
    Page.objects.filter(pk=home.pk).update(numchild=home.numchild + 1)
    for number, (slug, title, region, intro) in enumerate(BOARDS, start=1):
        WalkBoardPage.objects.create(
            title=title,
            draft_title=title,
            slug=slug,
            region=region,
            intro=intro,
            is_open=True,
            content_type=board_type,
            path=index.path + _encode(number),
            depth=index.depth + 1,
            numchild=0,
            url_path=f"{index.url_path}{slug}/",
            **common,
        )


def remove_walk_pages(apps, schema_editor):
    Page = apps.get_model("wagtailcore.Page")
    HomePage = apps.get_model("site_core.HomePage")
    WalkIndexPage = apps.get_model("walks.WalkIndexPage")
    for index in WalkIndexPage.objects.all():
        Page.objects.filter(path__startswith=index.path).delete()
    for home in HomePage.objects.all():
        children = Page.objects.filter(path__startswith=home.path, depth=home.depth + 1).count()
        Page.objects.filter(pk=home.pk).update(numchild=children)


class Migration(migrations.Migration):
    dependencies = [
        ("walks", "0001_initial"),
        ("site_core", "0002_create_home_page"),
    ]

    operations = [migrations.RunPython(create_walk_pages, remove_walk_pages)]
