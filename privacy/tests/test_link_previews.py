"""Open Graph / Twitter card tags (templates/includes/open_graph.html) on shared pages."""

import re

import pytest

from community.tests.factories import PostFactory
from pets.tests.factories import PetFactory
from walks.tests.factories import WalkFactory
from worldcup.tests.factories import make_event


def meta(html: str, prop: str) -> str | None:
    match = re.search(rf'<meta (?:property|name)="{re.escape(prop)}" content="([^"]*)"', html)
    return match.group(1) if match else None


@pytest.mark.django_db
class TestLinkPreviews:
    def test_a_post_shows_its_text_and_first_photo_as_an_absolute_url(self, client, member):
        post = PostFactory(author=member, text="오늘 한강 산책 <b>최고</b>", photos=2)

        html = client.get(f"/posts/{post.pk}/").content.decode()

        assert "오늘 한강 산책 &lt;b&gt;최고&lt;/b&gt;" in meta(html, "og:description")
        first = post.photos.first()
        assert meta(html, "og:image") == f"http://testserver{first.display.url}"
        assert meta(html, "twitter:card") == "summary_large_image"
        assert meta(html, "og:url") == f"http://testserver/posts/{post.pk}/"

    def test_a_hidden_post_has_no_preview_even_for_its_author(self, client, member):
        post = PostFactory(author=member, text="숨김 처리된 글", is_hidden=True)
        client.force_login(member)

        html = client.get(f"/posts/{post.pk}/").content.decode()

        assert meta(html, "og:title") is None

    def test_a_pet_page_shows_the_pet(self, client, member):
        pet = PetFactory(owner=member, name="두부", intro="산책을 좋아하는 말티즈")

        html = client.get(f"/pets/{pet.pk}/").content.decode()

        assert meta(html, "og:title") == "두부"
        assert meta(html, "og:description") == "산책을 좋아하는 말티즈"

    def test_a_walk_preview_never_tells_the_meeting_place(self, client, member):
        walk = WalkFactory(host=member, title="석촌호수 아침 산책", meeting_place="비밀 벤치 3번")
        client.force_login(member)

        html = client.get(walk.get_absolute_url()).content.decode()

        assert meta(html, "og:title") == "석촌호수 아침 산책"
        assert "비밀 벤치" in html, "the host sees the place on the page"
        assert "비밀 벤치" not in html.split("</head>")[0]

    def test_a_world_cup_event_shows_its_title_and_intro_without_markup(self, client):
        event = make_event(title="12월 강아지 월드컵", intro="<p>이달의 <b>인기 반려견</b>을 뽑아요</p>")

        html = client.get(event.url).content.decode()

        assert meta(html, "og:title") == "12월 강아지 월드컵"
        assert meta(html, "og:description") == "이달의 인기 반려견을 뽑아요"

    def test_shareable_pages_offer_a_share_button_with_their_own_address(self, client, member):
        post = PostFactory(author=member, text="공유할 글")
        pet = PetFactory(owner=member, name="두부")
        walk = WalkFactory(host=member, title="석촌호수 아침 산책")

        for url in (f"/posts/{post.pk}/", f"/pets/{pet.pk}/", walk.get_absolute_url()):
            html = client.get(url + "?from=kakao").content.decode()
            assert f'data-share-url="http://testserver{url}"' in html, url

    def test_a_hidden_post_offers_no_share_button(self, client, member):
        post = PostFactory(author=member, text="숨김 처리된 글", is_hidden=True)
        client.force_login(member)

        assert "data-share" not in client.get(f"/posts/{post.pk}/").content.decode()

    def test_a_page_without_a_photo_previews_with_the_sites_icon(self, client, member):
        walk = WalkFactory(host=member, title="석촌호수 아침 산책")

        html = client.get(walk.get_absolute_url()).content.decode()

        assert meta(html, "og:image").startswith("http://testserver/static/")
        assert meta(html, "og:image").endswith(".png")
        assert meta(html, "twitter:card") == "summary"
