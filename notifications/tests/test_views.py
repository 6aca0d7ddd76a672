import pytest

from notifications.models import NotificationSetting
from notifications.unsubscribe import unsubscribe_path


@pytest.mark.django_db
class TestSettingsPage:
    def test_shows_every_kind_with_the_defaults(self, client, member):
        client.force_login(member)

        html = client.get("/settings/notifications/").content.decode()

        for kind in ("likes", "comments", "follows", "mentions", "walks", "chat", "worldcup"):
            assert f'name="{kind}_on_site"' in html
        assert 'name="comments_by_email" checked' in html or 'name="comments_by_email" id' in html

    def test_the_chat_and_world_cup_switches_say_what_they_do(self, client, member):
        client.force_login(member)

        html = client.get("/settings/notifications/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

        assert 'aria-describedby="id_chat_on_site_helptext"' in html
        assert "The number of unread messages on the Chat link." in html
        assert 'id="id_chat_by_email_helptext"' in html
        assert "never what they say" in html
        assert 'aria-describedby="id_worldcup_on_site_helptext"' in html
        assert "pet of the month when an event closes" in html
        assert 'aria-describedby="id_likes_on_site_helptext"' not in html

    def test_the_switches_are_explained_in_korean(self, client, member):
        client.force_login(member)

        html = client.get("/settings/notifications/").content.decode()

        assert "채팅 링크에 읽지 않은 메시지 수를 표시해요." in html
        assert "메시지 내용은 담지 않아요." in html
        assert "이달의 인기 반려동물" in html

    @pytest.mark.smoke
    def test_saving_stores_each_choice(self, client, member):
        client.force_login(member)

        response = client.post("/settings/notifications/", {"comments_on_site": "on", "likes_by_email": "on"})

        assert response.status_code == 302
        likes = NotificationSetting.objects.get(member=member, kind="likes")
        comments = NotificationSetting.objects.get(member=member, kind="comments")
        assert (likes.on_site, likes.by_email) == (False, True)
        assert (comments.on_site, comments.by_email) == (True, False)

    def test_visitors_are_sent_to_log_in(self, client):
        assert "/accounts/login/" in client.get("/settings/notifications/")["Location"]


@pytest.mark.django_db
class TestUnsubscribe:
    def test_get_asks_for_confirmation_and_changes_nothing(self, client, member):
        response = client.get(unsubscribe_path(member))

        assert response.status_code == 200
        assert "<form" in response.content.decode()
        assert not NotificationSetting.objects.exists()

    def test_one_click_post_without_login_turns_every_email_off(self, client, member):
        response = client.post(unsubscribe_path(member), {"List-Unsubscribe": "One-Click"})

        assert response.status_code == 200
        assert set(NotificationSetting.objects.filter(member=member).values_list("by_email", flat=True)) == {
            False
        }
        assert set(NotificationSetting.objects.filter(member=member).values_list("on_site", flat=True)) == {
            True
        }

    def test_a_tampered_token_is_refused_and_changes_nothing(self, client, member, other_member):
        path = unsubscribe_path(member)
        forged = path.replace(path.split("/")[-2], path.split("/")[-2][:-2] + "xx")

        assert client.post(forged).status_code == 404
        assert not NotificationSetting.objects.exists()
