"""The django-q2 schedule of the hourly e-mail digest, made (or corrected) after every migrate."""

DIGEST_SCHEDULE_NAME = "notifications-email-digest"
DIGEST_FUNC = "notifications.tasks.send_digests"


def ensure_digest_schedule(**kwargs) -> None:
    """Creates the schedule once; running it again only puts back fields staff changed."""
    from django_q.models import Schedule

    schedule, created = Schedule.objects.get_or_create(
        name=DIGEST_SCHEDULE_NAME,
        defaults={"func": DIGEST_FUNC, "schedule_type": Schedule.MINUTES, "minutes": 10, "repeats": -1},
    )
    if not created and (schedule.func, schedule.schedule_type, schedule.minutes) != (
        DIGEST_FUNC,
        Schedule.MINUTES,
        10,
    ):
        schedule.func, schedule.schedule_type, schedule.minutes = DIGEST_FUNC, Schedule.MINUTES, 10
        schedule.save()
