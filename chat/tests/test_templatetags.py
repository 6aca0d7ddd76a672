"""The "Message" button on member profiles (chat/templatetags/chat_tags.py)."""

import pytest

from chat import services
from chat.models import ChatPreference

pytestmark = pytest.mark.django_db

BUTTON = 'data-role="message-member"'


def profile_html(client, username: str) -> str:
    response = client.get(f"/members/{username}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_member_sees_a_message_button_to_the_direct_chat(client, walker, friend):
    client.force_login(walker)

    html = profile_html(client, friend.username)

    assert BUTTON in html
    assert "메시지 보내기" in html
    assert f'<form method="post" action="/chat/direct/{friend.username}/"' in html


def test_finding_10_the_button_opens_the_conversation_at_once_without_another_page(client, walker, friend):
    from chat.models import Room

    client.force_login(walker)
    response = client.post(f"/chat/direct/{friend.username}/")
    room = Room.objects.get(kind=Room.Kind.DIRECT)
    assert response.status_code == 302
    assert response["Location"] == f"/chat/{room.pk}/"
    again = client.post(f"/chat/direct/{friend.username}/")
    assert again["Location"] == f"/chat/{room.pk}/"
    assert Room.objects.filter(kind=Room.Kind.DIRECT).count() == 1


def test_no_message_button_on_your_own_profile_or_for_visitors(client, walker):
    assert BUTTON not in profile_html(client, walker.username)
    client.force_login(walker)
    assert BUTTON not in profile_html(client, walker.username)


def test_no_message_button_when_the_member_takes_no_direct_messages(client, walker, friend):
    services.chat_preference_set(member=friend, direct_messages=ChatPreference.DirectMessages.NOBODY)
    client.force_login(walker)

    assert BUTTON not in profile_html(client, friend.username)


def test_an_existing_conversation_keeps_its_message_button(client, walker, friend):
    services.direct_room_get_or_create(member=walker, other=friend)
    services.chat_preference_set(member=friend, direct_messages=ChatPreference.DirectMessages.NOBODY)
    client.force_login(walker)

    assert BUTTON in profile_html(client, friend.username)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ko", "2026년 12월 7일 월요일"), ("en", "Monday, December 7, 2026")],
)
def test_the_day_between_messages_is_written_in_seoul_time(language, expected):
    from datetime import UTC, datetime

    from django.utils import translation

    from chat.templatetags.chat_tags import chat_day

    late_sunday_in_utc = datetime(2026, 12, 6, 15, 30, tzinfo=UTC)  # Monday 00:30 in Seoul
    with translation.override(language):
        assert chat_day(late_sunday_in_utc) == expected
