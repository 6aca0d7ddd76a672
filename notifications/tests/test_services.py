import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from notifications import selectors, services
from notifications.models import Kind, Notification, NotificationSetting
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


@pytest.mark.django_db
class TestNotify:
    def test_it_stores_what_the_target_shows_for_those_who_want_the_kind(self, member, other_member):
        from walks.tests.factories import WalkFactory, board

        walk = WalkFactory(host=member, board=board())
        muted = get_user_model().objects.create(username="muted", email="muted@example.com")
        services.settings_update(member=muted, choices={"walks": {"on_site": False, "by_email": False}})

        written = services.notify(
            kind=Kind.WALK_REMINDER, recipients=[other_member, muted.pk], target=walk, actor=None
        )

        assert [note.recipient_id for note in written] == [other_member.pk]
        note = Notification.objects.get()
        assert (note.target, note.target_key) == (walk, "walks.walk")
        assert (note.target_text, note.target_url) == (walk.title, walk.get_absolute_url())

    def test_a_grouped_kind_updates_the_unread_row_about_the_same_target(self, member, other_member):
        from community.tests.factories import PostFactory

        post = PostFactory(author=member)
        third = get_user_model().objects.create(username="third", email="third@example.com")
        services.notify(kind=Kind.LIKE, recipients=[member], actor=other_member, target=post)

        services.notify(
            kind=Kind.LIKE, recipients=[member], actor=third, target=post, count_actors=lambda since: 2
        )

        note = Notification.objects.get()
        assert (note.actor, note.actor_count) == (third, 2)
        Notification.objects.update(read_at=timezone.now())
        services.notify(kind=Kind.LIKE, recipients=[member], actor=other_member, target=post)
        assert Notification.objects.filter(read_at__isnull=True).count() == 1, "a read row starts a new one"

    def test_it_refuses_a_target_no_app_registered(self, member):
        with pytest.raises(LookupError):
            services.notify(kind=Kind.FOLLOW, recipients=[member], target=NotificationSetting(member=member))

    def test_a_new_walk_title_reaches_its_notifications(self, member, other_member):
        from walks import services as walk_services
        from walks.tests.factories import WalkFactory, board, walk_input

        walk = WalkFactory(host=member, board=board())
        walk_services.walk_join(walk_id=walk.pk, member=other_member)

        walk_services.walk_update(walk_id=walk.pk, member=member, data=walk_input(title="한강 산책"))

        assert Notification.objects.get(kind=Kind.WALK_JOIN).target_text == "한강 산책"
