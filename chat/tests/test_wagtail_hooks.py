"""Members' conversations are in no admin: staff see a chat message only through its report
(moderation's case review, with the messages around it), never as a list of rooms or messages."""

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.tests.factories import UserFactory
from chat import services
from chat.models import ChatPreference, Message, Room, RoomMember
from moderation.tests.factories import report


def routes(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def test_no_admin_url_lists_chat_rooms_or_messages():
    admin_routes = [route for route in routes(get_resolver().url_patterns) if "admin" in route]

    assert admin_routes, "the admin URLs are walked"
    assert [route for route in admin_routes if "chat" in route] == []
    for model in (Room, RoomMember, Message, ChatPreference):
        assert not admin.site.is_registered(model), model


@pytest.mark.django_db
def test_a_superuser_finds_no_chat_screen(client, admin_login):
    admin_login(client, UserFactory(username="boss", is_staff=True, is_superuser=True))

    for url in ("/django-admin/chat/", "/django-admin/chat/message/", "/django-admin/chat/room/"):
        assert client.get(url).status_code == 404, url
    assert "/django-admin/chat/" not in client.get("/django-admin/").content.decode()


@pytest.mark.django_db
def test_a_reported_messages_case_shows_the_messages_around_it_and_no_more(
    client, admin_login, moderator, walker, friend
):
    room = services.direct_room_get_or_create(member=walker, other=friend)
    texts = [f"메시지 {number}" for number in range(14)]
    sent = [
        services.message_send(
            room_id=room.pk, sender=walker if number % 2 else friend, client_id=f"m{number}", text=text
        ).message
        for number, text in enumerate(texts)
    ]
    services.message_delete(message_id=sent[6].pk, member=friend)
    case = report(friend, sent[7], target_type="chat_message")
    admin_login(client, moderator)

    html = client.get(f"/admin/moderation/cases/edit/{case.pk}/").content.decode()

    shown = [text for text in texts if f"{text}<" in html]
    assert shown == [
        "메시지 2",
        "메시지 3",
        "메시지 4",
        "메시지 5",
        "메시지 7",
        "메시지 8",
        "메시지 9",
        "메시지 10",
        "메시지 11",
        "메시지 12",
    ]
    assert "삭제된 메시지예요." in html, "a deleted neighbour's text is never shown"
    assert 'data-role="reported-message"' in html
    assert "@example.com" not in html
