"""The django-q2 schedule of the monthly reset, made (or corrected) after every migrate.

A CRON schedule, not django-q2's MONTHLY type: MONTHLY adds a month to the last run in UTC and
drifts, while a cron expression is read on the clock of ``Q_CLUSTER["time_zone"]`` (Asia/Seoul),
so the reset runs at 00:00 Seoul time on the 1st of each month.
"""

from datetime import datetime

MONTHLY_RESET_NAME = "worldcup-monthly-reset"
MONTHLY_RESET_FUNC = "worldcup.tasks.monthly_reset"
MONTHLY_RESET_CRON = "0 0 1 * *"


def next_run_after(moment: datetime) -> datetime:
    """When the monthly reset runs next after ``moment``, as django-q2 computes it."""
    from croniter import croniter
    from django_q.utils import localtime

    return croniter(MONTHLY_RESET_CRON, localtime(moment)).get_next(datetime)


def ensure_monthly_schedule(**kwargs) -> None:
    """Creates the schedule once; running it again only puts back fields staff changed."""
    from django_q.models import Schedule

    schedule, created = Schedule.objects.get_or_create(
        name=MONTHLY_RESET_NAME,
        defaults={
            "func": MONTHLY_RESET_FUNC,
            "schedule_type": Schedule.CRON,
            "cron": MONTHLY_RESET_CRON,
            "repeats": -1,
        },
    )
    if not created and (schedule.func, schedule.schedule_type, schedule.cron) != (
        MONTHLY_RESET_FUNC,
        Schedule.CRON,
        MONTHLY_RESET_CRON,
    ):
        schedule.func, schedule.schedule_type, schedule.cron = (
            MONTHLY_RESET_FUNC,
            Schedule.CRON,
            MONTHLY_RESET_CRON,
        )
        schedule.next_run = schedule.calculate_next_run()
        schedule.save()
