import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chat import services
from chat.models import ChatPreference, Message, Room

pytestmark = pytest.mark.django_db


@pytest.fixture
def walker_client(client, walker):
    client.force_login(walker)
    return client


def message_ids(html: str) -> list[int]:
    return [int(found) for found in re.findall(r'data-message-id="(\d+)"', html)]


class TestRoomPages:
    def test_pages_need_a_login(self, client, walk_room):
        for url in [
            "/chat/",
            f"/chat/{walk_room.pk}/",
            "/chat/walks/101/",
            "/chat/settings/",
            "/chat/direct/kongi/",
        ]:
            response = client.get(url)
            assert response.status_code == 302, url
            assert "/accounts/login/" in response["Location"], url

    def test_the_room_list_shows_unread_counts_and_the_nav_badge(self, walker_client, walk_room, friend):
        for number in range(3):
            services.message_send(
                room_id=walk_room.pk, sender=friend, client_id=f"f{number}", text=f"안녕 {number}"
            )

        html = walker_client.get("/chat/").content.decode()

        assert 'data-role="room-unread">3<' in html
        assert 'data-role="chat-unread-badge">3<' in html
        assert "안녕 2" in html

    def test_chat_notifications_off_on_the_site_hide_the_nav_badge_but_not_the_unread_counts(
        self, walker_client, walker, walk_room, friend
    ):
        from notifications import services as notification_services

        notification_services.settings_update(
            member=walker, choices={"chat": {"on_site": False, "by_email": False}}
        )
        services.message_send(room_id=walk_room.pk, sender=friend, client_id="f1", text="산책 가요")

        html = walker_client.get("/chat/").content.decode()

        assert 'data-role="chat-unread-badge"' not in html
        assert 'data-role="room-unread">1<' in html

    def test_turning_chat_notifications_back_on_brings_the_badge_back(
        self, walker_client, walker, walk_room, friend
    ):
        from notifications import services as notification_services

        services.message_send(room_id=walk_room.pk, sender=friend, client_id="f1", text="산책 가요")
        notification_services.settings_update(
            member=walker, choices={"chat": {"on_site": False, "by_email": False}}
        )
        assert 'data-role="chat-unread-badge"' not in walker_client.get("/").content.decode()

        notification_services.settings_update(
            member=walker, choices={"chat": {"on_site": True, "by_email": False}}
        )

        assert 'data-role="chat-unread-badge">1<' in walker_client.get("/").content.decode()

    def test_the_room_shows_history_marks_it_read_and_escapes_text(self, walker_client, walk_room, friend):
        services.message_send(
            room_id=walk_room.pk, sender=friend, client_id="x", text='<img src=x onerror="alert(1)">'
        )

        response = walker_client.get(f"/chat/{walk_room.pk}/")
        html = response.content.decode()

        assert response.status_code == 200
        assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
        assert "<img src=x" not in html
        assert 'data-role="chat-status"' in html
        assert 'data-state="offline"' in html
        assert f'data-ws-path="/ws/chat/{walk_room.pk}/"' in html
        assert 'id="chat-strings"' in html
        assert "chat-unread-badge" not in html, "opening the room marked it read"

    def test_older_pages_work_without_javascript(self, walker_client, walk_room, friend):
        Message.objects.bulk_create(
            Message(room=walk_room, sender=friend, client_id=f"s{n}", text=f"메시지 {n}") for n in range(70)
        )
        ids = list(Message.objects.order_by("id").values_list("id", flat=True))

        latest = walker_client.get(f"/chat/{walk_room.pk}/").content.decode()
        older_link = (
            re.search(r'data-role="load-older" href="([^"]+)"', latest).group(1).replace("&amp;", "&")
        )
        older = walker_client.get(older_link).content.decode()

        assert message_ids(latest) == ids[20:]
        assert message_ids(older) == ids[:20]
        assert 'data-latest="false"' in older

    def test_non_members_get_404(self, client, walk_room, stranger):
        client.force_login(stranger)

        assert client.get(f"/chat/{walk_room.pk}/").status_code == 404
        assert client.get(f"/chat/walks/{walk_room.walk_id}/").status_code == 404
        assert (
            client.post(f"/chat/{walk_room.pk}/send/", {"client_id": "x", "text": "몰래"}).status_code == 404
        )
        assert not Message.objects.exists()

    def test_the_walk_link_redirects_members_to_the_room(self, walker_client, walk_room):
        response = walker_client.get(f"/chat/walks/{walk_room.walk_id}/")

        assert response.status_code == 302
        assert response["Location"] == f"/chat/{walk_room.pk}/"
        assert walker_client.get("/chat/walks/999/").status_code == 404

    def test_a_closed_room_has_no_composer(self, walker_client, walk_room):
        services.walk_room_close(walk_id=walk_room.walk_id)

        html = walker_client.get(f"/chat/{walk_room.pk}/").content.decode()

        assert 'data-role="composer"' not in html
        assert 'data-role="cannot-send"' in html


class TestSendingWithoutJavaScript:
    @pytest.mark.smoke
    def test_the_form_posts_once_per_client_id(self, walker_client, walk_room, walker):
        page = walker_client.get(f"/chat/{walk_room.pk}/").content.decode()
        client_id = re.search(r'name="client_id" value="([^"]+)"', page).group(1)

        first = walker_client.post(
            f"/chat/{walk_room.pk}/send/", {"client_id": client_id, "text": "폼으로 보내요"}
        )
        resent = walker_client.post(
            f"/chat/{walk_room.pk}/send/", {"client_id": client_id, "text": "폼으로 보내요"}
        )

        message = Message.objects.get()
        assert first.status_code == resent.status_code == 302
        assert first["Location"] == f"/chat/{walk_room.pk}/#message-{message.pk}"
        assert (message.sender, message.text) == (walker, "폼으로 보내요")

    def test_errors_are_shown_on_the_room_page(self, walker_client, walk_room, settings):
        too_long = walker_client.post(f"/chat/{walk_room.pk}/send/", {"client_id": "l", "text": "가" * 2001})
        settings.CHAT_RATE_LIMIT = (1, 10)
        walker_client.post(f"/chat/{walk_room.pk}/send/", {"client_id": "ok", "text": "하나"})
        limited = walker_client.post(f"/chat/{walk_room.pk}/send/", {"client_id": "no", "text": "둘"})

        assert too_long.status_code == 400
        assert 'aria-invalid="true"' in too_long.content.decode()
        assert "가" * 2001 + "</textarea>" in too_long.content.decode(), "the text comes back whole"
        assert "2,000자까지 보낼 수 있는데 지금 2,001자예요" in too_long.content.decode()
        assert limited.status_code == 429
        assert int(limited["Retry-After"]) >= 1
        assert 'data-role="chat-error" role="alert">' in limited.content.decode()
        assert list(Message.objects.values_list("client_id", flat=True)) == ["ok"]

    def test_deleting_an_own_message(self, walker_client, client, walk_room, walker, friend):
        mine = services.message_send(
            room_id=walk_room.pk, sender=walker, client_id="m", text="지워요"
        ).message
        theirs = services.message_send(
            room_id=walk_room.pk, sender=friend, client_id="t", text="남겨요"
        ).message

        html = walker_client.get(f"/chat/{walk_room.pk}/").content.decode()
        assert html.count('data-role="delete"') == 1
        assert (
            walker_client.post(f"/chat/messages/{theirs.pk}/delete/", {"confirm": "yes"}).status_code == 403
        )
        asked = walker_client.post(f"/chat/messages/{mine.pk}/delete/")
        assert asked.status_code == 200, "without the dialog's confirmation the server asks on a page"
        assert 'name="confirm" value="yes"' in asked.content.decode()
        assert "이 메시지를 삭제할까요?" in asked.content.decode()
        assert Message.objects.get(pk=mine.pk).deleted_at is None
        assert walker_client.post(f"/chat/messages/{mine.pk}/delete/", {"confirm": "yes"}).status_code == 302
        html = walker_client.get(f"/chat/{walk_room.pk}/").content.decode()
        assert "지워요" not in html
        assert "chat-message--deleted" in html

    def test_finding_10_links_in_messages_are_clickable_and_escaped(self, walker_client, walk_room, friend):
        services.message_send(
            room_id=walk_room.pk,
            sender=friend,
            client_id="l",
            text='지도 https://map.example.com/a?b=1&c="x" 보세요 javascript:alert(1)',
        )

        html = walker_client.get(f"/chat/{walk_room.pk}/").content.decode()

        assert (
            '<a href="https://map.example.com/a?b=1&amp;c=" rel="noopener nofollow ugc" target="_blank">'
            "https://map.example.com/a?b=1&amp;c=</a>&quot;x&quot; 보세요 javascript:alert(1)"
        ) in html

    def test_finding_10_the_composer_has_a_counter_and_no_maxlength_that_cuts_a_paste(
        self, walker_client, walk_room
    ):
        html = walker_client.get(f"/chat/{walk_room.pk}/").content.decode()
        composer = html[html.index('data-role="composer"') :]
        assert 'data-max-length="2000"' in composer
        assert "maxlength" not in composer[: composer.index("</form>")]
        assert 'data-role="chat-counter"' in composer


class TestDirectMessages:
    def test_start_a_conversation_with_a_post(self, walker_client, walker, friend):
        page = walker_client.get("/chat/direct/kongi/")
        assert page.status_code == 200
        assert not Room.objects.exists(), "a GET starts nothing"

        started = walker_client.post("/chat/direct/kongi/")
        room = Room.objects.get()
        assert started["Location"] == f"/chat/{room.pk}/"
        assert walker_client.get("/chat/direct/kongi/")["Location"] == f"/chat/{room.pk}/"

    def test_refused_with_a_message_when_the_member_takes_no_messages(self, walker_client, friend):
        services.chat_preference_set(member=friend, direct_messages=ChatPreference.DirectMessages.NOBODY)

        page = walker_client.get("/chat/direct/kongi/")
        posted = walker_client.post("/chat/direct/kongi/")

        assert page.status_code == posted.status_code == 403
        assert "콩이아빠" in page.content.decode()
        assert not Room.objects.exists()

    def test_settings_page_saves_the_preference(self, walker_client, walker):
        page = walker_client.get("/chat/settings/")
        saved = walker_client.post("/chat/settings/", {"direct_messages": "following"})
        invalid = walker_client.post("/chat/settings/", {"direct_messages": "friends"})

        assert page.status_code == 200
        assert 'value="everyone"' in page.content.decode()
        assert saved.status_code == 302
        assert ChatPreference.objects.get(member=walker).direct_messages == "following"
        assert invalid.status_code == 400


def test_the_nav_badge_costs_one_query_and_only_when_shown(rf, walker, walk_room, friend):
    from home.context_processors import nav_badges

    services.message_send(room_id=walk_room.pk, sender=friend, client_id="n", text="안녕")
    request = rf.get("/")
    request.user = walker

    with CaptureQueriesContext(connection) as captured:
        context = nav_badges(request)
    assert len(captured) == 0
    with CaptureQueriesContext(connection) as captured:
        assert str(context["unread_chat"]) == "1"
        assert str(context["unread_notifications"]) == "0"
    assert len(captured) == 1, "one query for both badges"


def test_the_nav_badge_is_still_one_query_when_chat_notifications_are_off(rf, walker, walk_room, friend):
    from home.context_processors import nav_badges
    from notifications import services as notification_services

    notification_services.settings_update(
        member=walker, choices={"chat": {"on_site": False, "by_email": True}}
    )
    services.message_send(room_id=walk_room.pk, sender=friend, client_id="n", text="안녕")
    request = rf.get("/")
    request.user = walker

    context = nav_badges(request)
    with CaptureQueriesContext(connection) as captured:
        assert str(context["unread_chat"]) == "0"
    assert len(captured) == 1


def test_the_nav_badges_compiled_once_count_like_the_orm_for_every_member(
    walker, walk_room, friend, stranger
):
    from django.contrib.auth import get_user_model

    from chat.selectors import unread_badge_expression
    from core.badges import counts
    from notifications import services as notification_services
    from notifications.models import Notification
    from notifications.selectors import unread_notification_count_expression

    services.message_send(room_id=walk_room.pk, sender=friend, client_id="a", text="안녕")
    services.message_send(room_id=walk_room.pk, sender=friend, client_id="b", text="산책 가요")
    Notification.objects.create(recipient=walker, actor=friend, kind=Notification.Kind.FOLLOW)
    Notification.objects.create(recipient=friend, actor=walker, kind=Notification.Kind.LIKE)
    notification_services.settings_update(
        member=friend, choices={"likes": {"on_site": False, "by_email": True}}
    )

    def by_the_orm(member) -> dict[str, int]:
        notifications, chat = (
            get_user_model()
            .objects.filter(pk=member.pk)
            .values_list(
                unread_notification_count_expression(member=member), unread_badge_expression(member=member)
            )
            .get()
        )
        return {"notifications": notifications, "chat": chat}

    assert counts(member=walker) == {"notifications": 1, "chat": 2}
    assert counts(member=friend) == {"notifications": 0, "chat": 0}, "likes are off on the site"
    assert counts(member=stranger) == {"notifications": 0, "chat": 0}
    for member in (walker, friend, stranger):
        assert counts(member=member) == by_the_orm(member)


class TestReadReceiptsAndDays:
    def unread_marks(self, html: str) -> dict[int, str]:
        """Message id → the number next to it (absent: everyone has read it)."""
        marks = {}
        for item in re.findall(r'<li class="chat-message.*?</li>', html, flags=re.S):
            message_id = int(re.search(r'data-message-id="(\d+)"', item).group(1))
            found = re.search(r'data-role="unread"[^>]*>(\d+)<', item)
            marks[message_id] = found.group(1) if found else None
        return marks

    def test_each_message_shows_how_many_have_not_read_it(self, walker_client, walk_room, walker, friend):
        first = services.message_send(room_id=walk_room.pk, sender=walker, client_id="a", text="하나").message
        second = services.message_send(room_id=walk_room.pk, sender=walker, client_id="b", text="둘").message
        before = self.unread_marks(walker_client.get(f"/chat/{walk_room.pk}/").content.decode())

        services.room_mark_read(room_id=walk_room.pk, member=friend, message_id=first.pk)
        after = self.unread_marks(walker_client.get(f"/chat/{walk_room.pk}/").content.decode())

        assert before == {first.pk: "1", second.pk: "1"}
        assert after == {first.pk: None, second.pk: "1"}

    def test_a_blocked_or_departed_member_is_not_counted(
        self, walker_client, walk_room, walker, friend, stranger
    ):
        from moderation import services as moderation_services

        services.walk_room_sync(walk_id=walk_room.walk_id, member_ids=[walker.pk, friend.pk, stranger.pk])
        message = services.message_send(
            room_id=walk_room.pk, sender=walker, client_id="a", text="안녕"
        ).message
        counted = self.unread_marks(walker_client.get(f"/chat/{walk_room.pk}/").content.decode())

        moderation_services.block_add(member=stranger, other=walker)
        blocked = self.unread_marks(walker_client.get(f"/chat/{walk_room.pk}/").content.decode())
        services.walk_room_sync(walk_id=walk_room.walk_id, member_ids=[walker.pk, stranger.pk])
        left = self.unread_marks(walker_client.get(f"/chat/{walk_room.pk}/").content.decode())

        assert counted == {message.pk: "2"}
        assert blocked == {message.pk: "1"}, "the blocking member's read state is not shown"
        assert left == {message.pk: None}, "nobody the walker may see is left to read it"

    def test_days_are_separated_and_the_new_messages_divider_marks_where_the_member_left_off(
        self, client, walk_room, walker, friend
    ):
        from datetime import datetime
        from zoneinfo import ZoneInfo

        seoul = ZoneInfo("Asia/Seoul")
        old = Message.objects.create(
            room=walk_room,
            sender=walker,
            client_id="d1",
            text="어제",
            created_at=datetime(2026, 12, 6, 23, 50, tzinfo=seoul),
        )
        new = Message.objects.create(
            room=walk_room,
            sender=walker,
            client_id="d2",
            text="오늘",
            created_at=datetime(2026, 12, 7, 0, 10, tzinfo=seoul),
        )
        services.room_mark_read(room_id=walk_room.pk, member=friend, message_id=old.pk)
        client.force_login(friend)
        client.cookies["chat_live"] = "1"

        html = client.get(f"/chat/{walk_room.pk}/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()

        days = re.findall(r'data-role="day"><time[^>]*>([^<]+)<', html)
        assert days == ["2026년 12월 6일 일요일", "2026년 12월 7일 월요일"]
        order = re.findall(r'data-role="(day|unread-divider)"|data-message-id="(\d+)"', html)
        assert [kind or int(message_id) for kind, message_id in order] == [
            "day",
            old.pk,
            "day",
            "unread-divider",
            new.pk,
        ]
        assert "여기까지 읽었어요" in html
        walk_room.memberships.get(member=friend).refresh_from_db()
        assert walk_room.memberships.get(member=friend).last_read_id == old.pk, (
            "with chat.js the page does not mark read on load: the messages must come into view"
        )

    def test_the_room_page_takes_a_fixed_number_of_queries(self, walker_client, walk_room, walker, friend):
        def page_queries() -> int:
            with CaptureQueriesContext(connection) as queries:
                assert walker_client.get(f"/chat/{walk_room.pk}/").status_code == 200
            return len(queries)

        services.message_send(room_id=walk_room.pk, sender=friend, client_id="one", text="하나")
        page_queries()  # the first visit of the session loads what later ones keep
        services.message_send(room_id=walk_room.pk, sender=friend, client_id="two", text="둘")
        one = page_queries()
        Message.objects.bulk_create(
            Message(room=walk_room, sender=sender, client_id=f"n{n}", text=f"메시지 {n}")
            for n, sender in enumerate([walker, friend] * 20)
        )

        assert page_queries() == one
