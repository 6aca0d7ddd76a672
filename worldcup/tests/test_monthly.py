"""The monthly reset: its django-q2 schedule, the task and the management command."""

from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django_q.models import Schedule

from accounts.tests.factories import UserFactory
from worldcup import services
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
