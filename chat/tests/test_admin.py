"""Members' conversations are in no admin: staff see a chat message only through its report
(moderation's case review), never as a list of rooms or messages."""

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.tests.factories import UserFactory
from chat.models import ChatPreference, Message, Room, RoomMember


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
