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
    assert f'href="/chat/direct/{friend.username}/"' in html


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
