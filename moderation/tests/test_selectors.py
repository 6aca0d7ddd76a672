"""Block and mute filtering adds no queries per row: feeds keep their fixed query counts."""

import pytest

from accounts.tests.factories import UserFactory
from community.tests.factories import PostFactory
from community.tests.test_queries import MAX_QUERIES, count_queries
from moderation import services


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/?feed=latest&page_size={n}", "/api/feed/latest/?page_size={n}"])
def test_feeds_with_blocks_and_mutes_take_the_same_queries_at_1_and_20_rows(
    client, member, other_member, url, django_assert_num_queries
):
    blocked, muted, blocker = UserFactory(), UserFactory(), UserFactory()
    services.block_add(member=member, other=blocked)
    services.mute_add(member=member, other=muted)
    services.block_add(member=blocker, other=member)
    client.force_login(member)
    PostFactory(author=other_member)
    client.get(url.format(n=1))
    one, response = count_queries(lambda: client.get(url.format(n=1)))
    assert response.status_code == 200
    for _ in range(19):
        PostFactory(author=other_member)
    for hidden_author in (blocked, muted, blocker):
        PostFactory(author=hidden_author, text="안 보여야 해요")  # the newest, yet left out

    with django_assert_num_queries(one):
        response = client.get(url.format(n=20))
    assert one <= MAX_QUERIES
    assert "안 보여야 해요" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("relation", ["block", "blocked_by", "mute"])
def test_comment_and_post_counts_count_only_what_the_member_sees(client, member, other_member, relation):
    from community.tests.factories import CommentFactory

    hidden = UserFactory(username="hidden", nickname="숨은회원")
    post = PostFactory(author=other_member, text="한강 산책")
    CommentFactory(post=post, author=other_member, text="보이는 댓글")
    CommentFactory(post=post, author=hidden, text="숨은 댓글")
    PostFactory(author=hidden, text="숨은 글")
    if relation == "block":
        services.block_add(member=member, other=hidden)
    elif relation == "blocked_by":
        services.block_add(member=hidden, other=member)
    else:
        services.mute_add(member=member, other=hidden)
    client.force_login(member)

    detail = client.get(f"/posts/{post.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    feed = client.get("/api/feed/latest/").json()["results"]
    profile = client.get("/api/members/hidden/").json()

    assert "1 comment<" in detail
    assert "숨은 댓글" not in detail
    assert [item["comment_count"] for item in feed] == [1]
    assert profile["post_count"] == 0
