"""The django-q2 schedule of walk reminders and 후기 prompts, made (or corrected) after every migrate."""

REMINDER_SCHEDULE_NAME = "walks-reminders"
REMINDER_FUNC = "walks.tasks.send_walk_notices"
EVERY_MINUTES = 5


def ensure_reminder_schedule(**kwargs) -> None:
    from django_q.models import Schedule

    Schedule.objects.update_or_create(
        name=REMINDER_SCHEDULE_NAME,
        defaults={
            "func": REMINDER_FUNC,
            "schedule_type": Schedule.MINUTES,
            "minutes": EVERY_MINUTES,
            "repeats": -1,
        },
    )
