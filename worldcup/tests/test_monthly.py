"""The monthly reset: its django-q2 schedule, the task and the management command."""

import threading
from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django_q.models import Schedule

from accounts.tests.factories import UserFactory
from notifications import services as notification_services
from notifications.models import Notification
from notifications.tasks import send_digests
from worldcup import selectors, services
from worldcup.models import SEOUL, PetOfTheMonth, WorldCupEventPage
from worldcup.schedule import MONTHLY_RESET_NAME, ensure_monthly_schedule, next_run_after
from worldcup.tests.factories import enter_many, favouring, make_event, play

OCTOBER = datetime(2026, 10, 1, tzinfo=SEOUL).date()
NOVEMBER = datetime(2026, 11, 1, tzinfo=SEOUL).date()
FIRST_OF_NOVEMBER = datetime(2026, 11, 1, 0, 0, 30, tzinfo=SEOUL)


@pytest.fixture
def october_event(db):
    """October's event, played while its voting was open; it is now 1 November in Seoul."""
    event = make_event(title="2026년 10월 강아지 월드컵", slug="2026-10", month=OCTOBER, bracket_size=16)
    entries = enter_many(event, 4)
    for _ in range(2):
        play(event, UserFactory(), choose=favouring(entries[2]))
    play(event, UserFactory(), choose=favouring(entries[0]))
    WorldCupEventPage.objects.filter(pk=event.pk).update(**services.default_periods(OCTOBER))
    event.refresh_from_db()
    return event, entries


@pytest.mark.django_db
class TestMonthlyReset:
    def test_closes_last_month_records_its_champion_and_creates_this_month(self, october_event):
        event, entries = october_event

        outcome = services.monthly_reset(now=FIRST_OF_NOVEMBER)

        event.refresh_from_db()
        assert event.closed_at is not None
        pet = PetOfTheMonth.objects.get()
        assert (pet.month, pet.event_id, pet.entry_id) == (OCTOBER, event.pk, entries[2].pk)
        created = WorldCupEventPage.objects.get(month=NOVEMBER)
        assert outcome.created == created
        assert created.live
        assert created.get_parent().pk == event.get_parent().pk
        assert created.title == "2026년 11월 강아지 월드컵"
        assert created.bracket_size == 16
        assert created.entry_opens_at == datetime(2026, 11, 1, tzinfo=SEOUL)
        assert created.voting_closes_at == datetime(2026, 12, 1, tzinfo=SEOUL)
        assert created.latest_revision is not None  # staff can edit it like any page

    def test_running_twice_creates_nothing_twice(self, october_event):
        services.monthly_reset(now=FIRST_OF_NOVEMBER)
        again = services.monthly_reset(now=FIRST_OF_NOVEMBER + timedelta(minutes=5))

        assert again.created is None
        assert not again.closed
        assert WorldCupEventPage.objects.filter(month=NOVEMBER).count() == 1
        assert PetOfTheMonth.objects.count() == 1

    def test_an_event_nobody_played_closes_without_a_pet_of_the_month(self, db):
        event = make_event(slug="2026-10", month=OCTOBER)
        enter_many(event, 3)
        WorldCupEventPage.objects.filter(pk=event.pk).update(**services.default_periods(OCTOBER))

        outcome = services.monthly_reset(now=FIRST_OF_NOVEMBER)

        event.refresh_from_db()
        assert event.closed_at is not None
        assert outcome.pets_of_the_month == []
        assert not PetOfTheMonth.objects.exists()
        assert WorldCupEventPage.objects.filter(month=NOVEMBER).exists()

    def test_the_management_command_runs_it_on_demand(self, october_event):
        out = StringIO()
        call_command("worldcup_monthly_reset", stdout=out)

        assert "closed 1 event(s)" in out.getvalue()
        assert PetOfTheMonth.objects.count() == 1


def notifications_page(client, member) -> str:
    client.force_login(member)
    return client.get("/notifications/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def rank_and_wins(event, entry) -> tuple[int, int]:
    standings, _games = selectors.leaderboard(event=event)
    row = next(row for row in standings if row.entry.pk == entry.pk)
    return row.rank, row.entry.wins


@pytest.mark.django_db
class TestMonthlyNotifications:
    def test_closing_tells_each_entrant_their_pets_rank_and_wins(self, client, october_event):
        event, entries = october_event

        services.monthly_reset(now=FIRST_OF_NOVEMBER)

        rank, wins = rank_and_wins(event, entries[0])
        page = notifications_page(client, entries[0].member)
        assert f"멍멍0 finished #{rank} of 4 in “2026년 10월 강아지 월드컵” with {wins} wins." in page
        assert event.url in page
        assert "멍멍2" not in page

    def test_the_champions_owner_hears_it_won_and_is_the_pet_of_the_month(self, client, october_event):
        event, entries = october_event

        services.monthly_reset(now=FIRST_OF_NOVEMBER)

        _rank, wins = rank_and_wins(event, entries[2])
        page = notifications_page(client, entries[2].member)
        assert f"멍멍2 is the champion of “2026년 10월 강아지 월드컵” with {wins} wins!" in page
        assert "멍멍2 won “2026년 10월 강아지 월드컵” and is the pet of the month!" in page

    def test_the_champion_reads_it_in_korean(self, client, october_event):
        _event, entries = october_event

        services.monthly_reset(now=FIRST_OF_NOVEMBER)

        client.force_login(entries[2].member)
        page = client.get("/notifications/").content.decode()
        assert "이달의 인기 반려동물" in page
        assert "우승" in page

    def test_last_months_entrants_hear_that_the_new_event_takes_entries(self, client, october_event):
        _event, entries = october_event

        services.monthly_reset(now=FIRST_OF_NOVEMBER)

        november = WorldCupEventPage.objects.get(month=NOVEMBER)
        page = notifications_page(client, entries[1].member)
        assert "The new Dog World Cup “2026년 11월 강아지 월드컵” takes entries from" in page
        assert november.url in page
        players = Notification.objects.filter(kind=Notification.Kind.WORLDCUP_OPEN).exclude(
            recipient__in=[entry.member for entry in entries]
        )
        assert not players.exists()

    def test_running_twice_notifies_nobody_twice(self, october_event):
        services.monthly_reset(now=FIRST_OF_NOVEMBER)
        first = Notification.objects.count()

        services.monthly_reset(now=FIRST_OF_NOVEMBER + timedelta(minutes=5))

        assert first == 4 + 1 + 4  # results, the pet of the month, the new event
        assert Notification.objects.count() == first

    def test_members_who_turned_the_world_cup_off_hear_nothing(self, october_event):
        _event, entries = october_event
        owner = entries[0].member
        notification_services.settings_update(
            member=owner, choices={"worldcup": {"on_site": False, "by_email": False}}
        )

        services.monthly_reset(now=FIRST_OF_NOVEMBER)

        assert not Notification.objects.filter(recipient=owner).exists()
        assert Notification.objects.filter(recipient=entries[1].member).count() == 2

    def test_world_cup_news_by_e_mail_only_is_emailed_and_not_listed(
        self, client, october_event, django_capture_on_commit_callbacks
    ):
        _event, entries = october_event
        owner = entries[2].member
        notification_services.settings_update(
            member=owner, choices={"worldcup": {"on_site": False, "by_email": True}}
        )
        services.monthly_reset(now=FIRST_OF_NOVEMBER)

        assert "멍멍2" not in notifications_page(client, owner)
        with django_capture_on_commit_callbacks(execute=True):
            send_digests()
        [email] = [email for email in mail.outbox if email.to == [owner.email]]
        assert "멍멍2" in email.body
        assert "2026년 11월 강아지 월드컵" in email.body

    def test_an_event_nobody_played_sends_no_results(self, db):
        event = make_event(slug="2026-10", month=OCTOBER)
        enter_many(event, 3)
        WorldCupEventPage.objects.filter(pk=event.pk).update(**services.default_periods(OCTOBER))

        services.monthly_reset(now=FIRST_OF_NOVEMBER)

        assert set(Notification.objects.values_list("kind", flat=True)) == {Notification.Kind.WORLDCUP_OPEN}

    def test_the_api_lists_them_without_an_actor(self, member_api_client, member, october_event):
        event, entries = october_event
        entries[0].member = member
        entries[0].save(update_fields=["member"])

        services.monthly_reset(now=FIRST_OF_NOVEMBER)

        notes = member_api_client.get("/api/notifications/").json()["results"]
        result = next(note for note in notes if note["kind"] == "worldcup_result")
        rank, wins = rank_and_wins(event, entries[0])
        assert result["actor"] is None
        assert (result["target_type"], result["target_id"]) == ("worldcup.entry", entries[0].pk)
        assert (result["target_text"], result["target_url"]) == (event.title, event.url)
        assert result["details"] == {
            "pet": entries[0].pet_name,
            "rank": rank,
            "wins": wins,
            "entries": 4,
            "champion": False,
        }
        assert {note["kind"] for note in notes} == {"worldcup_result", "worldcup_open"}


@pytest.mark.django_db
class TestSchedule:
    def test_migrate_made_one_cron_schedule(self):
        schedule = Schedule.objects.get(name=MONTHLY_RESET_NAME)

        assert schedule.schedule_type == Schedule.CRON
        assert schedule.cron == "0 0 1 * *"
        assert schedule.func == "worldcup.tasks.monthly_reset"
        assert schedule.repeats == -1

    def test_making_it_again_changes_nothing(self):
        before = Schedule.objects.get(name=MONTHLY_RESET_NAME)

        ensure_monthly_schedule()
        ensure_monthly_schedule()

        assert Schedule.objects.filter(name=MONTHLY_RESET_NAME).count() == 1
        assert Schedule.objects.get(name=MONTHLY_RESET_NAME).next_run == before.next_run

    def test_a_changed_schedule_is_put_back(self):
        Schedule.objects.filter(name=MONTHLY_RESET_NAME).update(schedule_type=Schedule.MONTHLY, cron="")

        ensure_monthly_schedule()

        schedule = Schedule.objects.get(name=MONTHLY_RESET_NAME)
        assert (schedule.schedule_type, schedule.cron) == (Schedule.CRON, "0 0 1 * *")

    def test_the_next_run_is_midnight_in_seoul_on_the_first(self):
        schedule = Schedule.objects.get(name=MONTHLY_RESET_NAME)
        next_run = schedule.next_run.astimezone(SEOUL)

        assert (next_run.day, next_run.hour, next_run.minute) == (1, 0, 0)
        # 00:00 in Seoul is 15:00 UTC on the last day of the month before.
        after = next_run_after(datetime(2026, 11, 15, 12, 0, tzinfo=SEOUL))
        assert after == datetime(2026, 12, 1, 0, 0, tzinfo=SEOUL)
        assert after.utctimetuple()[:5] == (2026, 11, 30, 15, 0)

    def test_django_q_computes_the_same_next_run(self):
        schedule = Schedule.objects.get(name=MONTHLY_RESET_NAME)

        assert schedule.calculate_next_run() == next_run_after(datetime.now(SEOUL))


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="two transactions at once need a database server (SQLite writes one at a time)",
)
@pytest.mark.django_db(transaction=True)
def test_two_resets_at_once_close_and_create_once_and_tell_each_entrant_once(october_event):
    # Both nodes' schedules at midnight, or a manual run during the scheduled one.
    _, entries = october_event
    start = threading.Barrier(2)
    outcomes, failures = [], []

    def reset() -> None:
        try:
            start.wait(timeout=10)
            outcomes.append(services.monthly_reset(now=FIRST_OF_NOVEMBER))
        except Exception as error:  # the test reports whatever a run raised
            failures.append(error)
        finally:
            connection.close()

    runs = [threading.Thread(target=reset) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join(timeout=60)

    assert failures == []
    assert sorted(len(outcome.closed) for outcome in outcomes) == [0, 1]
    assert sorted(outcome.created is not None for outcome in outcomes) == [False, True]
    assert WorldCupEventPage.objects.filter(month=NOVEMBER).count() == 1
    assert PetOfTheMonth.objects.count() == 1
    entrants = {entry.member_id for entry in entries}
    told = list(Notification.objects.filter(recipient_id__in=entrants).values_list("recipient_id", "kind"))
    assert len(told) == len(set(told))
