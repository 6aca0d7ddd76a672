"""Reminders an hour before a walk and 후기 prompts after it: each sent once, to those who want it."""

import threading
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection, connections
from django.utils import timezone

from accounts.tests.factories import UserFactory
from moderation import services as moderation_services
from notifications.models import Notification, NotificationSetting, Topic
from notifications.tasks import send_digests
from site_core.tests.browser import ensure_home_page
from walks import services
from walks.demo import ensure_walk_pages
from walks.models import Walk
from walks.schedule import REMINDER_FUNC, REMINDER_SCHEDULE_NAME, ensure_reminder_schedule
from walks.tasks import send_walk_notices
from walks.tests.factories import WalkFactory, walk_input

REMINDER = Notification.Kind.WALK_REMINDER
REVIEW = Notification.Kind.WALK_REVIEW


def notified(kind: str) -> set[int]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def soon(walk: Walk, *, minutes: int) -> None:
    """Moves the walk to start in ``minutes`` (as time passing would)."""
    start = timezone.now() + timedelta(minutes=minutes)
    Walk.objects.filter(pk=walk.pk).update(start_at=start, end_at=start + timedelta(hours=1))


@pytest.mark.django_db
class TestReminder:
    def test_the_host_and_members_are_reminded_once_an_hour_before(self, host, board, joiner, outsider):
        walk = WalkFactory(host=host, board=board, joiners=[joiner])
        soon(walk, minutes=61)
        assert send_walk_notices()["reminders"] == 0

        soon(walk, minutes=59)
        first = send_walk_notices()
        again = send_walk_notices()

        assert first["reminders"] == 2
        assert again["reminders"] == 0
        assert notified(REMINDER) == {host.pk, joiner.pk}
        assert Notification.objects.filter(kind=REMINDER).count() == 2

    def test_cancelled_walks_and_removed_members_get_none(self, host, board, joiner, outsider):
        cancelled = WalkFactory(host=host, board=board, joiners=[joiner])
        services.walk_cancel(walk_id=cancelled.pk, member=host)
        walk = WalkFactory(host=host, board=board, joiners=[joiner, outsider])
        services.walk_remove_participant(walk_id=walk.pk, host=host, member_id=outsider.pk)
        soon(cancelled, minutes=30)
        soon(walk, minutes=30)

        send_walk_notices()

        assert list(Notification.objects.filter(kind=REMINDER).values_list("target_id", "recipient_id")) in (
            [(walk.pk, host.pk), (walk.pk, joiner.pk)],
            [(walk.pk, joiner.pk), (walk.pk, host.pk)],
        )

    def test_members_who_turned_walk_notices_off_or_blocked_the_host_are_left_out(
        self, host, board, joiner, outsider
    ):
        walk = WalkFactory(host=host, board=board, joiners=[joiner, outsider])
        NotificationSetting.objects.create(member=joiner, kind=Topic.WALKS, on_site=False, by_email=False)
        moderation_services.block_add(member=outsider, other=host)
        soon(walk, minutes=45)

        send_walk_notices()

        assert notified(REMINDER) == {host.pk}

    def test_moving_the_walk_reminds_again_of_the_new_time(self, host, board, joiner):
        walk = WalkFactory(host=host, board=board, joiners=[joiner])
        soon(walk, minutes=50)
        send_walk_notices()
        walk.refresh_from_db()

        later = timezone.now() + timedelta(hours=3)
        services.walk_update(
            walk_id=walk.pk,
            member=host,
            data=walk_input(start_at=later, end_at=later + timedelta(hours=1)),
        )
        soon(walk, minutes=40)
        send_walk_notices()

        assert Notification.objects.filter(kind=REMINDER, recipient=joiner).count() == 2

    def test_those_who_chose_e_mail_get_it_in_their_digest(
        self, host, board, joiner, mailoutbox, django_capture_on_commit_callbacks
    ):
        walk = WalkFactory(host=host, board=board, joiners=[joiner], title="저녁 산책")
        NotificationSetting.objects.create(member=host, kind=Topic.WALKS, on_site=True, by_email=False)
        soon(walk, minutes=30)
        Notification.objects.all().delete()  # the join's own notice, sent earlier

        send_walk_notices()
        with django_capture_on_commit_callbacks(execute=True):
            send_digests()

        assert [message.to for message in mailoutbox] == [[joiner.email]]
        assert "저녁 산책" in mailoutbox[0].body


@pytest.mark.django_db
class TestReviewPrompt:
    def test_after_a_walk_its_people_are_asked_once_to_write_a_review(self, client, host, board, joiner):
        walk = WalkFactory(host=host, board=board, joiners=[joiner], title="한강 산책")
        alone = WalkFactory(host=host, board=board)
        soon(walk, minutes=-90)
        soon(alone, minutes=-90)

        assert send_walk_notices()["review_prompts"] == 2
        assert send_walk_notices()["review_prompts"] == 0
        assert notified(REVIEW) == {host.pk, joiner.pk}

        client.force_login(joiner)
        page = client.get("/notifications/").content.decode()
        link = page.split('data-role="write-review"')[0].rsplit('href="', 1)[1].split('"')[0]
        form = client.get(link.replace("&amp;", "&"))
        text = parse_qs(urlsplit(link).query)["text"][0]
        assert form.status_code == 200
        assert "한강 산책" in text
        assert walk.get_absolute_url() in text
        assert f"{walk.pk}" in text
        assert "한강 산책" in form.content.decode()

    def test_a_walk_still_going_is_not_asked_about(self, host, board, joiner):
        walk = WalkFactory(host=host, board=board, joiners=[joiner])
        soon(walk, minutes=-30)

        assert send_walk_notices()["review_prompts"] == 0


@pytest.mark.django_db
def test_the_schedule_runs_the_task_every_few_minutes():
    from django_q.models import Schedule

    ensure_reminder_schedule()
    ensure_reminder_schedule()

    [schedule] = Schedule.objects.filter(name=REMINDER_SCHEDULE_NAME)
    assert schedule.func == REMINDER_FUNC
    assert schedule.schedule_type == Schedule.MINUTES


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the race between workers needs PostgreSQL's row locks"
)
@pytest.mark.django_db(transaction=True)
def test_workers_running_at_once_send_each_reminder_once():
    ensure_home_page()
    boards = ensure_walk_pages()
    host = UserFactory()
    walks = [WalkFactory(host=host, board=boards["seoul-gangnam"], joiners=[UserFactory()]) for _ in range(3)]
    for walk in walks:
        soon(walk, minutes=30)
    start = threading.Barrier(4)
    failed = []

    def work() -> None:
        try:
            start.wait()
            send_walk_notices()
        except Exception as error:  # anything fails the test below
            failed.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not failed, failed
    assert Notification.objects.filter(kind=REMINDER).count() == 6
