"""Web Push end to end: the subscription is stored through the API, a write queues a task after
commit, the django-q2 worker sends, and the loopback push service (push_service.py) decrypts what
arrived with the browser's keys."""

import json
import zipfile
from datetime import datetime, time, timedelta

import pytest
from asgiref.sync import async_to_sync
from django.utils import timezone

from chat import presence
from chat import services as chat_services
from community import services as community_services
from community.tests.factories import PostFactory
from notifications import push, services
from notifications.models import PushSubscription, QuietHours
from notifications.vapid import generate_vapid_keys, vapid_key_problems
from pets.tests.queue import run_queued_tasks

SEOUL = push.SEOUL
# What the page reads, the same for one device or many.
QUERIES_OF_THE_SETTINGS_PAGE = 6


@pytest.fixture
def worker(monkeypatch, django_capture_on_commit_callbacks):
    """Runs the queued django-q2 tasks in this test's transaction; returns their Task rows."""
    monkeypatch.setattr("django_q.worker.close_old_django_connections", lambda: None)
    monkeypatch.setattr("django_q.monitor.close_old_django_connections", lambda: None)

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            tasks = run_queued_tasks("petrasche")
        assert all(task.success for task in tasks), [task.result for task in tasks]
        return tasks

    return run


def subscribe(
    client, member, browser, agent="Mozilla/5.0 (Linux; Android 14) Chrome/131.0 Mobile Safari/537.36"
):
    client.force_login(member)
    return client.post(
        "/api/push/subscriptions/",
        browser.subscription(),
        content_type="application/json",
        HTTP_USER_AGENT=agent,
    )


@pytest.fixture
def awake(member, other_member):
    """Quiet hours off for both members: the tests run at any hour, and 22:00–08:00 is quiet by default."""
    for person in (member, other_member):
        QuietHours.objects.create(member=person, enabled=False)


def send(sender, room, text, client_id, capture):
    with capture(execute=True):
        chat_services.message_send(room_id=room.pk, sender=sender, client_id=client_id, text=text)


@pytest.mark.django_db
class TestChatPush:
    def test_a_message_sent_while_the_members_page_is_closed_arrives_encrypted_once(
        self,
        client,
        member,
        other_member,
        push_service,
        vapid,
        awake,
        worker,
        django_capture_on_commit_callbacks,
    ):
        browser = push_service.browser("phone")
        assert subscribe(client, member, browser).status_code == 201
        room = chat_services.direct_room_get_or_create(member=other_member, other=member)

        send(other_member, room, "산책 갈래요?", "push-1", django_capture_on_commit_callbacks)
        worker()
        worker()  # nothing left to run: the message is not sent again

        [received] = push_service.received
        assert received.headers["content-encoding"] == "aes128gcm"
        assert "산책".encode() not in received.body
        assert push_service.verify_vapid(received, vapid)
        assert received.headers["topic"] == f"chat-room-{room.pk}"
        assert browser.messages() == [
            {
                "title": "콩이아빠",
                "body": "산책 갈래요?",
                "url": f"/chat/{room.pk}/",
                "tag": f"chat-room-{room.pk}",
            }
        ]

    def test_pushes_of_one_room_share_its_tag_so_the_newest_replaces_the_last(
        self,
        client,
        member,
        other_member,
        push_service,
        vapid,
        awake,
        worker,
        django_capture_on_commit_callbacks,
    ):
        browser = push_service.browser()
        subscribe(client, member, browser)
        room = chat_services.direct_room_get_or_create(member=other_member, other=member)

        send(other_member, room, "하나", "push-1", django_capture_on_commit_callbacks)
        send(other_member, room, "둘", "push-2", django_capture_on_commit_callbacks)
        worker()

        assert [(m["tag"], m["body"]) for m in browser.messages()] == [
            (f"chat-room-{room.pk}", "하나"),
            (f"chat-room-{room.pk}", "둘"),
        ]

    def test_no_push_while_the_member_has_a_socket_open_to_the_room(
        self,
        client,
        member,
        other_member,
        push_service,
        vapid,
        awake,
        worker,
        django_capture_on_commit_callbacks,
    ):
        browser = push_service.browser()
        subscribe(client, member, browser)
        room = chat_services.direct_room_get_or_create(member=other_member, other=member)
        async_to_sync(presence.socket_open)(room_id=room.pk, member_id=member.pk, channel_name="tab-1")

        send(other_member, room, "보고 있죠?", "push-1", django_capture_on_commit_callbacks)
        worker()
        async_to_sync(presence.socket_closed)(room_id=room.pk, member_id=member.pk, channel_name="tab-1")
        send(other_member, room, "이제 갔네요", "push-2", django_capture_on_commit_callbacks)
        worker()

        assert [message["body"] for message in browser.messages()] == ["이제 갔네요"]

    def test_chat_turned_off_on_the_site_or_quiet_hours_send_nothing(
        self, client, member, other_member, push_service, vapid, worker, django_capture_on_commit_callbacks
    ):
        subscribe(client, member, push_service.browser())
        room = chat_services.direct_room_get_or_create(member=other_member, other=member)
        now = timezone.now().astimezone(SEOUL)
        services.quiet_hours_update(
            member=member,
            enabled=True,
            start=(now - timedelta(hours=1)).time(),
            end=(now + timedelta(hours=1)).time(),
        )
        send(other_member, room, "자요?", "push-1", django_capture_on_commit_callbacks)
        worker()
        services.quiet_hours_update(member=member, enabled=False, start=time(22), end=time(8))
        services.settings_update(member=member, choices={"chat": {"on_site": False, "by_email": False}})
        send(other_member, room, "안 자요?", "push-2", django_capture_on_commit_callbacks)
        worker()

        assert push_service.received == []

    def test_a_subscription_the_push_service_says_is_gone_is_removed(
        self,
        client,
        member,
        other_member,
        push_service,
        vapid,
        awake,
        worker,
        django_capture_on_commit_callbacks,
    ):
        gone, kept = push_service.browser("old"), push_service.browser("new")
        subscribe(client, member, gone, agent="Mozilla/5.0 (Windows NT 10.0) Chrome/131.0")
        subscribe(client, member, kept)
        push_service.status[gone.path] = 410
        room = chat_services.direct_room_get_or_create(member=other_member, other=member)

        send(other_member, room, "안녕", "push-1", django_capture_on_commit_callbacks)
        worker()

        assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [kept.endpoint]
        assert [m["body"] for m in kept.messages()] == ["안녕"]


@pytest.mark.django_db
def test_a_new_notification_is_pushed_with_its_text_and_tag(
    client, member, other_member, push_service, vapid, awake, worker, django_capture_on_commit_callbacks
):
    browser = push_service.browser()
    subscribe(client, member, browser)
    post = PostFactory(author=member)

    with django_capture_on_commit_callbacks(execute=True):
        community_services.comment_create(post_id=post.pk, author=other_member, text="귀여워요")
    worker()

    [message] = browser.messages()
    assert message["body"] == "콩이아빠님이 회원님의 글에 댓글을 남겼어요"
    assert message["tag"].startswith("notification-")
    assert message["url"] == "/notifications/"


@pytest.mark.django_db
class TestSubscriptions:
    def test_a_subscription_to_another_host_is_refused_and_nothing_is_stored(self, client, member, vapid):
        client.force_login(member)
        for endpoint in (
            "https://evil.example.com/push/1",
            "http://fcm.googleapis.com/fcm/send/1",
            "https://fcm.googleapis.com:8443/fcm/send/1",
            "https://user:pw@fcm.googleapis.com/fcm/send/1",
            "https://fcm.googleapis.com.evil.example/x",
            "https://notify.windows.com.evil.example/x",
        ):
            response = client.post(
                "/api/push/subscriptions/",
                {"endpoint": endpoint, "keys": {"p256dh": "B" * 87, "auth": "A" * 22}},
                content_type="application/json",
            )
            assert response.status_code == 400, endpoint
        assert not PushSubscription.objects.exists()

    def test_the_browsers_push_services_are_allowed(self, settings):
        settings.WEB_PUSH_LOOPBACK_HTTP = False
        assert push.endpoint_allowed("https://fcm.googleapis.com/fcm/send/abc")
        assert push.endpoint_allowed("https://wns2-par02p.notify.windows.com/w/?token=x")
        assert push.endpoint_allowed("https://web.push.apple.com/QGx")
        assert not push.endpoint_allowed("http://127.0.0.1:8000/push")

    def test_push_is_off_without_keys(self, client, member, push_service):
        response = subscribe(client, member, push_service.browser())
        status = client.get("/api/push/subscriptions/").json()

        assert response.status_code == 400
        assert status == {"enabled": False, "public_key": "", "devices": []}

    def test_devices_are_listed_renamed_and_removed_by_their_owner_only(
        self, client, member, other_member, push_service, vapid
    ):
        subscribe(
            client,
            member,
            push_service.browser(),
            agent="Mozilla/5.0 (iPhone; CPU iPhone OS 18_0) Safari/604.1",
        )
        [device] = client.get("/api/push/subscriptions/").json()["devices"]
        client.force_login(other_member)
        stranger = client.delete(f"/api/push/subscriptions/{device['id']}/")
        client.force_login(member)
        renamed = client.patch(
            f"/api/push/subscriptions/{device['id']}/", {"name": "내 폰"}, content_type="application/json"
        )
        removed = client.delete(f"/api/push/subscriptions/{device['id']}/")

        assert device["name"] == "iPhone · Safari"
        assert stranger.status_code == 404
        assert renamed.json()["name"] == "내 폰"
        assert removed.status_code == 204
        assert not PushSubscription.objects.exists()


def test_quiet_hours_default_to_ten_at_night_until_eight_in_seoul(db, member):
    def at(hour, minute=0):
        return datetime(2026, 12, 7, hour, minute, tzinfo=SEOUL)

    assert push.in_quiet_hours(member_id=member.pk, at=at(22))
    assert push.in_quiet_hours(member_id=member.pk, at=at(3))
    assert not push.in_quiet_hours(member_id=member.pk, at=at(8))
    assert not push.in_quiet_hours(member_id=member.pk, at=at(21, 59))
    services.quiet_hours_update(member=member, enabled=True, start=time(13), end=time(14))
    assert push.in_quiet_hours(member_id=member.pk, at=at(13, 30))
    assert not push.in_quiet_hours(member_id=member.pk, at=at(22))


def test_vapid_keys_are_checked(settings):
    public, private = generate_vapid_keys()
    other_public, _ = generate_vapid_keys()

    assert vapid_key_problems(public, private) == []
    assert vapid_key_problems(other_public, private)
    assert vapid_key_problems(public, "")
    assert vapid_key_problems("not a key", private)


@pytest.mark.django_db
def test_devices_and_quiet_hours_are_in_the_data_export_and_erased_with_the_member(
    client, member, push_service, vapid, django_capture_on_commit_callbacks
):
    from privacy import services as privacy_services

    browser = push_service.browser()
    subscribe(client, member, browser)
    services.quiet_hours_update(member=member, enabled=True, start=time(23), end=time(7))

    export = privacy_services.export_build(export_id=privacy_services.export_request(member=member).pk)
    with export.file.open("rb") as file:
        archive = zipfile.ZipFile(file)
        devices = json.loads(archive.read("push_devices.json"))
        quiet = json.loads(archive.read("quiet_hours.json"))
    with django_capture_on_commit_callbacks(execute=True):
        privacy_services.member_delete(member=member, delete_content=False)

    assert [device["push_service"] for device in devices] == [browser.endpoint]
    assert quiet == {"enabled": True, "start": "23:00:00", "end": "07:00:00"}
    assert not PushSubscription.objects.exists()
    assert not QuietHours.objects.exists()


@pytest.mark.django_db
class TestSettingsPage:
    def test_the_page_lists_the_devices_and_renames_and_removes_them(
        self, client, member, push_service, vapid
    ):
        subscribe(
            client,
            member,
            push_service.browser(),
            agent="Mozilla/5.0 (iPhone; CPU iPhone OS 18_0) Safari/604.1",
        )
        device = PushSubscription.objects.get()

        listed = client.get("/settings/notifications/").content.decode()
        renamed = client.post(
            "/settings/notifications/",
            {"form": "device_rename", "device": device.pk, "name": "거실 아이패드"},
        )
        after_rename = client.get("/settings/notifications/").content.decode()
        removed = client.post("/settings/notifications/", {"form": "device_remove", "device": device.pk})

        assert 'value="iPhone · Safari"' in listed
        assert 'data-role="push-panel"' in listed
        assert renamed.status_code == 302
        assert 'value="거실 아이패드"' in after_rename
        assert removed.status_code == 302
        assert not PushSubscription.objects.exists()

    def test_another_members_device_is_not_found(self, client, member, other_member, push_service, vapid):
        subscribe(client, member, push_service.browser())
        device = PushSubscription.objects.get()
        client.force_login(other_member)

        response = client.post("/settings/notifications/", {"form": "device_remove", "device": device.pk})

        assert response.status_code == 404
        assert PushSubscription.objects.filter(pk=device.pk).exists()

    def test_quiet_hours_default_to_22_to_8_and_can_be_changed(self, client, member):
        client.force_login(member)

        before = client.get("/settings/notifications/").content.decode()
        saved = client.post("/settings/notifications/", {"form": "quiet", "start": "23:30", "end": "06:30"})

        assert 'name="start" value="22:00"' in before
        assert 'name="end" value="08:00"' in before
        assert saved.status_code == 302
        hours = QuietHours.objects.get(member=member)
        assert (hours.enabled, hours.start, hours.end) == (False, time(23, 30), time(6, 30))
        assert "이 기기로 받는 알림" in before


@pytest.mark.django_db
@pytest.mark.parametrize("devices", [1, 5])
def test_the_settings_page_costs_the_same_queries_whatever_the_number_of_devices(
    client, member, devices, django_assert_num_queries
):
    for number in range(devices):
        PushSubscription.objects.create(
            member=member,
            endpoint=f"https://fcm.googleapis.com/fcm/send/{number}",
            p256dh="x",
            auth="y",
            name="폰",
        )
    client.force_login(member)
    client.get("/settings/notifications/")

    with django_assert_num_queries(QUERIES_OF_THE_SETTINGS_PAGE):
        response = client.get("/settings/notifications/")

    assert response.content.decode().count('name="form" value="device_remove"') == devices


@pytest.mark.django_db
def test_a_member_can_have_at_most_twenty_devices(client, member, push_service, vapid):
    for _number in range(services.MAX_PUSH_DEVICES):
        assert subscribe(client, member, push_service.browser()).status_code == 201

    refused = subscribe(client, member, push_service.browser())

    assert refused.status_code == 400
    assert PushSubscription.objects.count() == services.MAX_PUSH_DEVICES
