"""The one cursor pagination: pages follow the queryset's own order, and a bad cursor is a 404."""

import pytest
from django.http import Http404
from django.test import RequestFactory

from community.models import Post
from community.tests.factories import PostFactory
from core.pagination import CursorPage, paginate

pytestmark = pytest.mark.django_db


def _pages(queryset, **sizes) -> list[list[str]]:
    """Every page's texts, following the next links."""
    pages, url = [], "/"
    while url:
        items, url = paginate(RequestFactory().get(url), queryset, **sizes)
        pages.append([post.text for post in items])
    return pages


def test_pages_follow_the_querysets_order_without_repeats(member):
    for likes, text in [(1, "a"), (3, "b"), (2, "c"), (0, "d"), (5, "e")]:
        PostFactory(author=member, text=text, like_count=likes)
    most_liked = Post.objects.order_by("-like_count", "-created_at", "-id")
    assert _pages(most_liked, page_size=2) == [["e", "b"], ["c", "a"], ["d"]]


def test_an_unordered_queryset_pages_newest_first(member):
    for text in "abc":
        PostFactory(author=member, text=text)
    assert _pages(Post.objects.all(), page_size=2) == [["c", "b"], ["a"]]


def test_a_member_may_ask_for_longer_pages_up_to_the_maximum(member):
    for text in "abcd":
        PostFactory(author=member, text=text)
    request = RequestFactory().get("/", {"page_size": "99"})
    items, next_link = paginate(request, Post.objects.all(), page_size=1, max_page_size=3)
    assert [post.text for post in items] == ["d", "c", "b"]
    assert next_link


def test_a_made_up_cursor_is_not_found():
    with pytest.raises(Http404):
        paginate(RequestFactory().get("/", {"cursor": "made-up"}), Post.objects.all())


def test_an_api_view_can_have_longer_pages():
    notification_pages = CursorPage.sized(page_size=30, max_page_size=100)
    assert (notification_pages().page_size, notification_pages().max_page_size) == (30, 100)
    assert (CursorPage().page_size, CursorPage().max_page_size) == (20, 50)
