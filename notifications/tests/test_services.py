import pytest
from django.contrib.auth import get_user_model

from notifications import selectors, services
from notifications.models import Notification
from notifications.selectors import notification_list
from privacy import services as privacy_services


def off_on_site(member) -> list[str]:
    return sorted(
        kind for kind, choice in selectors.member_settings(member=member).items() if not choice["on_site"]
    )


@pytest.mark.django_db
class TestKindsOffOnTheSite:
    def test_settings_update_turns_kinds_off_on_the_site_and_back_on(self, member):
        services.settings_update(
            member=member,
            choices={
                "likes": {"on_site": False, "by_email": True},
                "chat": {"on_site": False, "by_email": False},
                "follows": {"on_site": True, "by_email": False},
            },
        )
        assert off_on_site(member) == ["chat", "likes"]

        services.settings_update(member=member, choices={"likes": {"on_site": True, "by_email": True}})

        assert off_on_site(member) == ["chat"]

    def test_unsubscribing_from_email_keeps_what_the_site_shows(self, member):
        services.settings_update(member=member, choices={"likes": {"on_site": False, "by_email": True}})

        services.email_unsubscribe(member=member)

        assert off_on_site(member) == ["likes"]

    def test_the_list_leaves_out_kinds_off_on_the_site(self, member, other_member):
        Notification.objects.create(recipient=member, actor=other_member, kind=Notification.Kind.LIKE)
        Notification.objects.create(recipient=member, actor=other_member, kind=Notification.Kind.FOLLOW)
        services.settings_update(member=member, choices={"likes": {"on_site": False, "by_email": True}})

        kinds = [row.kind for row in notification_list(member=get_user_model().objects.get(pk=member.pk))]

        assert kinds == [Notification.Kind.FOLLOW]
        assert notification_list(member=member).count() == 1, "the member in hand sees the same"

    def test_erasing_a_member_clears_the_settings(self, member):
        services.settings_update(member=member, choices={"walks": {"on_site": False, "by_email": False}})

        privacy_services.member_delete(member=member, delete_content=False)

        assert off_on_site(member) == []
