import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from chat import services
from chat.models import ChatPreference, Message, Room

pytestmark = pytest.mark.django_db


def jwt_client(member):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(member)}")
    return client


@pytest.fixture
def walker_api(walker):
    return jwt_client(walker)


@pytest.fixture
def friend_api(friend):
    return jwt_client(friend)


def seed(room, sender, count):
    Message.objects.bulk_create(
        Message(room=room, sender=sender, client_id=f"s{n}", text=f"메시지 {n}") for n in range(count)
    )


class TestRooms:
    def test_my_rooms_with_unread_counts(self, walker_api, walk_room, walker, friend, stranger, new_walk):
        direct = services.direct_room_get_or_create(member=walker, other=stranger)
        seed(walk_room, friend, 2)
        services.walk_room_sync(walk_id=new_walk(), member_ids=[friend.pk])  # not mine

        response = walker_api.get("/api/chat/rooms/")

        assert response.status_code == 200
        rooms = response.json()["results"]
        assert [room["id"] for room in rooms] == [walk_room.pk, direct.pk]
        walk = rooms[0]
        assert (walk["kind"], walk["walk_id"], walk["unread_count"], walk["is_closed"]) == (
            "walk",
            walk_room.walk_id,
            2,
            False,
        )
        assert walk["last_message"]["text"] == "메시지 1"
        assert walk["websocket_path"] == f"/ws/chat/{walk_room.pk}/"
        assert rooms[1]["other_member"]["username"] == "nabi"
        assert rooms[1]["title"] == stranger.display_name
        assert walker_api.get("/api/chat/unread/").json() == {"unread_total": 2}

    def test_a_room_and_a_walk_room_are_for_members_only(self, walker_api, friend_api, walk_room, stranger):
        assert walker_api.get(f"/api/chat/rooms/{walk_room.pk}/").status_code == 200
        assert walker_api.get(f"/api/chat/walks/{walk_room.walk_id}/").json()["id"] == walk_room.pk
        outsider = jwt_client(stranger)
        assert outsider.get(f"/api/chat/rooms/{walk_room.pk}/").status_code == 404
        assert outsider.get(f"/api/chat/walks/{walk_room.walk_id}/").status_code == 404
        assert outsider.get(f"/api/chat/rooms/{walk_room.pk}/messages/").status_code == 404
        assert (
            outsider.post(
                f"/api/chat/rooms/{walk_room.pk}/messages/", {"client_id": "x", "text": "몰래"}
            ).status_code
            == 404
        )
        assert not Message.objects.exists()

    def test_anonymous_callers_get_401(self, walk_room):
        client = APIClient()
        assert client.get("/api/chat/rooms/").status_code == 401
        assert client.get(f"/api/chat/rooms/{walk_room.pk}/messages/").status_code == 401

    def test_direct_rooms_follow_the_preference(self, walker_api, friend, stranger):
        services.chat_preference_set(member=stranger, direct_messages=ChatPreference.DirectMessages.NOBODY)

        created = walker_api.post("/api/chat/direct/", {"username": "KONGI"}, format="json")
        again = walker_api.post("/api/chat/direct/", {"username": "kongi"}, format="json")
        refused = walker_api.post("/api/chat/direct/", {"username": "nabi"}, format="json")
        unknown = walker_api.post("/api/chat/direct/", {"username": "nobody-here"}, format="json")

        assert (created.status_code, again.status_code) == (201, 200)
        assert created.json()["id"] == again.json()["id"]
        assert refused.status_code == 403
        assert unknown.status_code == 404
        assert Room.objects.count() == 1


class TestHistory:
    def test_keyset_pages_backwards_and_forwards(self, walker_api, walk_room, friend):
        seed(walk_room, friend, 120)

        latest = walker_api.get(f"/api/chat/rooms/{walk_room.pk}/messages/").json()
        older = walker_api.get(latest["older"]).json()
        oldest = walker_api.get(older["older"]).json()
        first_id = oldest["results"][0]["id"]
        forward = walker_api.get(f"/api/chat/rooms/{walk_room.pk}/messages/?after={first_id}&limit=30").json()

        assert [m["text"] for m in latest["results"]] == [f"메시지 {n}" for n in range(70, 120)]
        assert latest["has_more"]
        assert latest["newer"] is None
        assert [m["text"] for m in older["results"]] == [f"메시지 {n}" for n in range(20, 70)]
        assert [m["text"] for m in oldest["results"]] == [f"메시지 {n}" for n in range(20)]
        assert oldest["has_more"] is False
        assert oldest["older"] is None
        assert [m["text"] for m in forward["results"]] == [f"메시지 {n}" for n in range(1, 31)]
        assert forward["has_more"] is True
        assert "after=" in forward["newer"]

    def test_bad_cursor_values_are_a_400(self, walker_api, walk_room):
        response = walker_api.get(f"/api/chat/rooms/{walk_room.pk}/messages/?before=abc")
        assert response.status_code == 400
        assert "before" in response.json()


class TestSending:
    def test_send_is_idempotent_per_client_id(self, walker_api, walk_room, walker):
        url = f"/api/chat/rooms/{walk_room.pk}/messages/"

        first = walker_api.post(url, {"client_id": "a-1", "text": "<script>alert(1)</script>"}, format="json")
        again = walker_api.post(url, {"client_id": "a-1", "text": "<script>alert(1)</script>"}, format="json")

        assert (first.status_code, again.status_code) == (201, 200)
        assert first.json() == again.json()
        assert first.json()["text"] == "<script>alert(1)</script>"
        assert first.json()["sender"]["id"] == walker.pk
        assert Message.objects.count() == 1

    def test_the_sender_comes_from_the_token_only(self, walker_api, walk_room, walker, friend):
        response = walker_api.post(
            f"/api/chat/rooms/{walk_room.pk}/messages/",
            {"client_id": "s", "text": "나예요", "sender": friend.pk, "sender_id": friend.pk},
            format="json",
        )

        assert response.status_code == 201
        assert Message.objects.get().sender == walker

    def test_too_long_empty_and_bad_client_ids_are_a_400(self, walker_api, walk_room):
        url = f"/api/chat/rooms/{walk_room.pk}/messages/"

        assert walker_api.post(url, {"client_id": "l", "text": "가" * 2001}, format="json").status_code == 400
        assert walker_api.post(url, {"client_id": "e", "text": " \n "}, format="json").status_code == 400
        assert (
            walker_api.post(url, {"client_id": "bad id!", "text": "안녕"}, format="json").status_code == 400
        )
        assert walker_api.post(url, {"text": "안녕"}, format="json").status_code == 400
        assert not Message.objects.exists()

    def test_the_rate_limit_is_a_429_with_retry_after(self, walker_api, walk_room, settings):
        settings.CHAT_RATE_LIMIT = (2, 10)
        url = f"/api/chat/rooms/{walk_room.pk}/messages/"
        for number in range(2):
            assert (
                walker_api.post(url, {"client_id": f"r{number}", "text": "빨리"}, format="json").status_code
                == 201
            )

        response = walker_api.post(url, {"client_id": "r2", "text": "빨리"}, format="json")

        assert response.status_code == 429
        assert 1 <= int(response["Retry-After"]) <= 10
        assert response.json()["code"] == "rate_limited"
        assert walker_api.post(url, {"client_id": "r0", "text": "빨리"}, format="json").status_code == 200
        assert Message.objects.count() == 2

    def test_a_closed_room_refuses_with_403(self, walker_api, walk_room):
        services.walk_room_close(walk_id=walk_room.walk_id)

        response = walker_api.post(
            f"/api/chat/rooms/{walk_room.pk}/messages/", {"client_id": "c", "text": "안녕"}, format="json"
        )

        assert response.status_code == 403
        assert walker_api.get(f"/api/chat/rooms/{walk_room.pk}/").json()["is_closed"] is True

    def test_delete_own_message(self, walker_api, friend_api, walk_room, walker):
        message = services.message_send(
            room_id=walk_room.pk, sender=walker, client_id="d", text="지울게요"
        ).message

        assert friend_api.delete(f"/api/chat/messages/{message.pk}/").status_code == 403
        assert walker_api.delete(f"/api/chat/messages/{message.pk}/").status_code == 204
        history = walker_api.get(f"/api/chat/rooms/{walk_room.pk}/messages/").json()["results"]
        assert (history[0]["deleted"], history[0]["text"]) == (True, "")

    def test_mark_read(self, walker_api, walk_room, friend):
        seed(walk_room, friend, 4)
        second = Message.objects.order_by("id")[1]

        response = walker_api.post(
            f"/api/chat/rooms/{walk_room.pk}/read/", {"message_id": second.pk}, format="json"
        )
        everything = walker_api.post(f"/api/chat/rooms/{walk_room.pk}/read/", {}, format="json")

        assert response.json() == {"last_read_id": second.pk, "unread_total": 2}
        assert everything.json()["unread_total"] == 0


class TestPreference:
    def test_read_and_change_the_dm_preference(self, walker_api, walker):
        assert walker_api.get("/api/chat/preference/").json() == {"direct_messages": "everyone"}

        changed = walker_api.put("/api/chat/preference/", {"direct_messages": "following"}, format="json")
        invalid = walker_api.put("/api/chat/preference/", {"direct_messages": "friends"}, format="json")

        assert changed.json() == {"direct_messages": "following"}
        assert invalid.status_code == 400
        assert ChatPreference.objects.get(member=walker).direct_messages == "following"


def test_the_schema_documents_the_chat_api():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = schema["paths"]
    for path in [
        "/api/chat/rooms/",
        "/api/chat/rooms/{id}/messages/",
        "/api/chat/messages/{id}/",
        "/api/chat/direct/",
        "/api/chat/preference/",
        "/api/chat/unread/",
    ]:
        assert path in paths, path
    send = paths["/api/chat/rooms/{id}/messages/"]["post"]
    assert {"200", "201", "429"} <= set(send["responses"])
    assert {p["name"] for p in paths["/api/chat/rooms/{id}/messages/"]["get"]["parameters"]} >= {
        "before",
        "after",
        "limit",
    }


def test_message_frames_match_the_documented_serializer(walk_room, walker, settings):
    from chat.serializers import ChatMessageOutputSerializer, message_data

    message = services.message_send(room_id=walk_room.pk, sender=walker, client_id="m", text="안녕").message
    deleted = services.message_send(room_id=walk_room.pk, sender=walker, client_id="d", text="지움").message
    services.message_delete(message_id=deleted.pk, member=walker)
    deleted.refresh_from_db()

    for item in (message, deleted):
        assert message_data(item) == ChatMessageOutputSerializer(item).data
    settings.TIME_ZONE = "UTC"
    assert message_data(message) == ChatMessageOutputSerializer(message).data
