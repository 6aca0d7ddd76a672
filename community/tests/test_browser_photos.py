"""Photos in the post and pet forms on a phone: each chosen photo is kept at once, so a form that
comes back with an error still has them; several are chosen at once, and editing a post changes its
photos."""

import re
from pathlib import Path

import pytest
from django.test import Client
from PIL import Image
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from community.models import Post
from community.tests.factories import PostFactory
from core.models import TemporaryUpload
from pets.models import Pet
from site_core.tests.browser import assert_accessible

pytestmark = pytest.mark.browser

HEIC = Path(__file__).resolve().parents[2] / "core" / "tests" / "fixtures" / "dog-rotated.heic"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def phone_page(new_page, base_url: str, member):
    """A phone browser with the member's session, as if they had logged in."""
    client = Client()
    client.force_login(member)
    page = new_page(**PHONE)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )
    return page


def photo_file(folder, name: str, color) -> str:
    path = folder / name
    Image.new("RGB", (800, 600), color).save(path, format="JPEG", quality=85)
    return str(path)


def test_two_photos_survive_a_missing_description_and_publish(new_page, live_server_url, tmp_path):
    member = UserFactory(username="dubu", nickname="두부엄마")
    page = phone_page(new_page, live_server_url, member)
    page.goto("/posts/new/")
    rows = page.locator("[data-photo-row]")

    page.locator("#id_text").fill("한강 산책 #산책")
    page.locator("#id_photo_1").set_input_files(photo_file(tmp_path, "river.jpg", (30, 90, 200)))
    expect(rows.nth(0)).to_have_class(re.compile("photo-row--kept"))  # kept before the next is chosen
    page.locator("#id_photo_2").set_input_files(photo_file(tmp_path, "grass.jpg", (40, 160, 60)))
    expect(rows.nth(1).locator("[data-role=photo-preview] img")).to_be_visible()
    expect(rows.nth(1).locator(".field__status")).to_have_text(
        "사진을 올려 두었어요. 다른 곳을 고쳐야 해도 사진은 그대로 있어요."
    )
    page.locator("#id_alt_1").fill("강가의 두부")
    page.locator("form.form button[type=submit]").click()

    prompt = page.locator("[data-role=describe-prompt]")
    expect(prompt).to_contain_text("설명이 없는 사진이 있어요.")
    expect(prompt.get_by_role("link", name="설명 적기")).to_have_attribute("href", "#id_alt_2")
    expect(page.get_by_role("button", name="설명 없이 올리기")).to_be_visible()
    expect(page.locator(".photo-row--kept [data-role=photo-preview] img")).to_have_count(2)
    expect(page.locator("#id_alt_1")).to_have_value("강가의 두부")
    assert not Post.objects.exists()
    kept = list(TemporaryUpload.objects.filter(owner=member).order_by("pk"))
    shown = page.locator(".photo-row--kept [data-role=photo-preview] img")
    assert [shown.nth(i).get_attribute("src") for i in range(2)] == [upload.thumb.url for upload in kept]
    assert_accessible(page)

    page.locator("#id_alt_2").fill("풀밭의 두부")
    page.get_by_role("button", name="올리기", exact=True).click()

    expect(page.locator(".post-detail img[alt='풀밭의 두부']")).to_be_visible()
    post = Post.objects.get(author=member)
    assert list(post.photos.values_list("alt_text", flat=True)) == ["강가의 두부", "풀밭의 두부"]
    assert not TemporaryUpload.objects.exists()


def test_a_photo_goes_without_a_description_when_the_member_says_so(new_page, live_server_url, tmp_path):
    member = UserFactory(username="dubu", nickname="두부엄마")
    page = phone_page(new_page, live_server_url, member)
    page.goto("/posts/new/")
    page.locator("#id_photo_1").set_input_files(photo_file(tmp_path, "river.jpg", (30, 90, 200)))
    expect(page.locator("[data-photo-row]").first).to_have_class(re.compile("photo-row--kept"))
    page.get_by_role("button", name="올리기", exact=True).click()

    page.get_by_role("button", name="설명 없이 올리기").click()

    expect(page.locator(".post-detail img[alt='설명이 없는 사진']")).to_be_visible()
    assert Post.objects.get(author=member).photos.get().alt_text == ""


def test_editing_a_post_adds_moves_removes_and_describes_photos(new_page, live_server_url, tmp_path):
    member = UserFactory(username="dubu", nickname="두부엄마")
    post = PostFactory(author=member, text="두 장", photos=2)
    page = phone_page(new_page, live_server_url, member)
    page.goto(f"/posts/{post.pk}/edit/")
    rows = page.locator("[data-photo-row]")
    expect(page.locator(".photo-row--kept [data-role=photo-preview] img")).to_have_count(2)

    page.locator("#id_photo_3").set_input_files(photo_file(tmp_path, "new.jpg", (220, 180, 40)))
    expect(rows.nth(2).locator("[data-role=photo-preview] img")).to_be_visible()
    page.locator("#id_alt_3").fill("새로 찍은 두부")
    rows.nth(2).locator("button[data-move='-1']").click()
    rows.nth(1).locator("button[data-move='-1']").click()
    page.locator("#id_alt_1").fill("처음 사진, 새 설명")
    page.locator("[data-photo-row]", has=page.locator("#id_remove_2")).get_by_role(
        "button", name="빼기"
    ).click()
    assert_accessible(page)
    page.locator("form.form button[type=submit]").click()

    expect(page.locator(".post-detail img[alt='새로 찍은 두부']")).to_be_visible()
    assert list(post.photos.values_list("alt_text", flat=True)) == ["새로 찍은 두부", "처음 사진, 새 설명"]


def test_three_photos_chosen_at_once_are_kept_described_and_one_taken_out(
    new_page, live_server_url, tmp_path
):
    member = UserFactory(username="dubu", nickname="두부엄마")
    page = phone_page(new_page, live_server_url, member)
    page.goto("/posts/new/")
    shown = page.locator("[data-photo-row]:visible")
    files = [
        photo_file(tmp_path, f"{n}.jpg", color)
        for n, color in enumerate([(200, 0, 0), (0, 200, 0), (0, 0, 200)])
    ]

    expect(shown).to_have_count(0)
    page.locator("[data-role=photo-choose-many]").set_input_files(files)

    expect(shown).to_have_count(3)
    expect(page.locator(".photo-row--kept")).to_have_count(3)
    for row in shown.all():
        expect(row.locator("progress")).to_have_js_property("value", 100)
        expect(row.locator("progress")).to_be_hidden()
    # No description yet: each row says why one helps, and the hint goes once one is typed.
    expect(page.locator("[data-role=alt-hint]:visible")).to_have_count(3)
    shown.nth(0).get_by_role("textbox").fill("빨간 공")
    expect(page.locator("[data-role=alt-hint]:visible")).to_have_count(2)
    taken_out = shown.nth(1).locator("input[name^=upload]").input_value()
    with page.expect_response(lambda response: f"/uploads/{taken_out}/delete/" in response.url) as deleted:
        shown.nth(1).get_by_role("button", name="빼기").click()
    expect(shown).to_have_count(2)
    assert deleted.value.status == 204  # the photo taken out is gone from the server at once
    assert not TemporaryUpload.objects.filter(key=taken_out).exists()
    shown.nth(1).get_by_role("textbox").fill("파란 공")
    assert_accessible(page)
    page.locator("form.form button[type=submit]").click()

    expect(page.locator(".post-detail img[alt='파란 공']")).to_be_visible()
    post = Post.objects.get(author=member)
    assert list(post.photos.values_list("alt_text", flat=True)) == ["빨간 공", "파란 공"]
    assert not TemporaryUpload.objects.exists()  # the other two became the post's photos


def test_the_pet_form_keeps_an_iphone_photo_at_once(new_page, live_server_url):
    member = UserFactory(username="dubu", nickname="두부엄마")
    page = phone_page(new_page, live_server_url, member)
    page.goto("/pets/new/")

    page.locator("#id_name").fill("콩이")
    page.locator("#id_photo").set_input_files(HEIC)

    expect(page.locator("#id_photo_status")).to_have_text(
        "사진을 올려 두었어요. 다른 곳을 고쳐야 해도 사진은 그대로 있어요."
    )
    upload = TemporaryUpload.objects.get(owner=member)
    expect(page.locator("[data-role=photo-preview] img")).to_have_attribute("src", upload.thumb.url)
    expect(page.locator("[data-role=photo-preview] img")).to_be_visible()
    page.locator("form.form button[type=submit]").click()

    expect(page.locator(".pet__photo")).to_be_visible()
    assert Pet.objects.get(owner=member).photo_thumb.name == upload.thumb.name
