"""The installable app in a real Chromium: the service worker keeps static files and the offline
page but never answers for members' pages or the API, and a push delivered to it through the
DevTools Protocol shows its notification, a newer push of the same chat room replacing the last."""

import json
import time

import pytest
from django.test import Client
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from site_core.tests.browser import assert_accessible

pytestmark = pytest.mark.browser

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "user_agent": "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36",
}
DEADLINE_SECONDS = 10


def log_in(page, base_url: str, member):
    client = Client()
    client.force_login(member)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
    )


def controlled(page, path: str):
    """Opens ``path`` once the service worker is active and controls the page."""
    page.goto(path)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def until(page, check, what: str):
    """Polls ``check`` until it gives something; Playwright handles its events (the DevTools
    Protocol's among them) while it waits, so the wait goes through the page."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        page.wait_for_timeout(50)
    raise AssertionError(f"waited {DEADLINE_SECONDS}s for {what}")


def test_the_service_worker_serves_static_files_and_the_offline_page_but_never_member_pages(
    new_page, live_server_url, member
):
    page = new_page()
    log_in(page, live_server_url, member)
    controlled(page, "/")

    static = page.goto("/static/css/site.css")
    settings_page = page.goto("/settings/notifications/")
    with page.expect_response("**/api/push/subscriptions/") as api:
        page.evaluate("fetch('/api/push/subscriptions/').then(r => r.status)")

    assert static.from_service_worker
    assert not settings_page.from_service_worker
    assert not api.value.from_service_worker
    assert settings_page.status == 200

    page.context.set_offline(True)
    page.goto("/")
    expect(page.locator("h1")).to_have_text("오프라인이에요")
    assert member.nickname not in page.content()
    with pytest.raises(PlaywrightError):
        page.goto("/settings/notifications/")
    page.context.set_offline(False)


def test_a_push_shows_its_notification_and_a_newer_one_for_the_room_replaces_it(
    new_page, live_server_url, member, vapid
):
    page = new_page(**PHONE)
    page.context.grant_permissions(["notifications"], origin=live_server_url)
    log_in(page, live_server_url, member)
    controlled(page, "/settings/notifications/")
    expect(page.locator("[data-role=push-toggle]")).to_have_text("이 기기에서 알림 켜기")
    assert_accessible(page)

    cdp = page.context.new_cdp_session(page)
    registrations = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"])
    )
    cdp.send("ServiceWorker.enable")
    registration = until(
        page, lambda: next((r for r in registrations if not r["isDeleted"]), None), "the registration"
    )
    worker = until(
        page, lambda: page.context.service_workers and page.context.service_workers[0], "the worker"
    )

    def push(body):
        payload = {"title": "콩이아빠", "body": body, "url": "/chat/7/", "tag": "chat-room-7"}
        cdp.send(
            "ServiceWorker.deliverPushMessage",
            {
                "origin": live_server_url,
                "registrationId": registration["registrationId"],
                "data": json.dumps(payload),
            },
        )

    def shown():
        return worker.evaluate(
            "self.registration.getNotifications().then(list => list.map(n => [n.title, n.body, n.tag, n.data.url]))"
        )

    push("산책 갈래요?")
    assert until(page, shown, "the notification") == [["콩이아빠", "산책 갈래요?", "chat-room-7", "/chat/7/"]]
    push("공원 입구에서 봐요")
    assert until(
        page, lambda: [n for n in shown() if n[1] == "공원 입구에서 봐요"], "the newer notification"
    ) == [["콩이아빠", "공원 입구에서 봐요", "chat-room-7", "/chat/7/"]]
    assert len(shown()) == 1


def test_the_install_button_appears_when_the_browser_offers_installing(new_page, live_server_url):
    page = new_page(**PHONE)
    page.goto("/walks/")
    button = page.locator("[data-role=install-button]")
    expect(button).to_be_hidden()

    page.evaluate(
        """() => {
            const offer = new Event("beforeinstallprompt", { cancelable: true });
            offer.prompt = () => { window.installPrompted = true; };
            offer.userChoice = Promise.resolve({ outcome: "accepted" });
            window.dispatchEvent(offer);
        }"""
    )
    expect(button).to_have_text("홈 화면에 추가")
    button.click()

    expect(button).to_be_hidden()
    assert page.evaluate("window.installPrompted === true")


FAKE_PUSH_MANAGER = """
(subscription) => {
  // The browser's push service is out of reach here: the subscription the page gets is the
  // loopback push service's (notifications/tests/push_service.py), with keys the test holds.
  const fake = {
    endpoint: subscription.endpoint,
    toJSON: () => subscription,
    unsubscribe: () => { localStorage.removeItem("fake-push"); return Promise.resolve(true); },
  };
  PushManager.prototype.subscribe = function () {
    localStorage.setItem("fake-push", "1");
    return Promise.resolve(fake);
  };
  PushManager.prototype.getSubscription = function () {
    return Promise.resolve(localStorage.getItem("fake-push") ? fake : null);
  };
}
"""


def test_turning_push_on_lists_this_device_and_a_chat_message_reaches_it_once(
    new_page, live_server_url, member, other_member, vapid, push_service, monkeypatch
):
    from chat import services as chat_services
    from notifications.models import QuietHours
    from pets.tests.queue import run_queued_tasks

    monkeypatch.setattr("django_q.worker.close_old_django_connections", lambda: None)
    monkeypatch.setattr("django_q.monitor.close_old_django_connections", lambda: None)
    QuietHours.objects.create(member=member, enabled=False)
    browser_keys = push_service.browser("phone")
    page = new_page(**PHONE)
    page.context.grant_permissions(["notifications"], origin=live_server_url)
    page.context.add_init_script(f"({FAKE_PUSH_MANAGER})({json.dumps(browser_keys.subscription())})")
    log_in(page, live_server_url, member)
    controlled(page, "/settings/notifications/")

    page.locator("[data-role=push-toggle]").click()
    expect(page.locator("[data-role=push-status]")).to_have_text("이 기기로 알림을 받고 있어요.")
    expect(page.locator("[data-role=push-devices] li[data-endpoint] [data-role=this-device]")).to_be_visible()
    expect(page.locator("[data-role=push-devices] input[name=name]")).to_have_value("Android · Chrome")

    page.close()  # the member's page is closed
    room = chat_services.direct_room_get_or_create(member=other_member, other=member)
    chat_services.message_send(
        room_id=room.pk, sender=other_member, client_id="browser-push-1", text="산책 갈래요?"
    )
    run_queued_tasks("petrasche")
    run_queued_tasks("petrasche")

    assert [message["body"] for message in browser_keys.messages()] == ["산책 갈래요?"]
