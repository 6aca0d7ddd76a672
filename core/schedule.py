"""The django-q2 schedule that removes expired temporary uploads, made after every migrate."""

EXPIRY_SCHEDULE_NAME = "core-remove-expired-uploads"
EXPIRY_FUNC = "core.tasks.remove_expired_uploads"


def ensure_expiry_schedule(**kwargs) -> None:
    from django_q.models import Schedule

    Schedule.objects.update_or_create(
        name=EXPIRY_SCHEDULE_NAME,
        defaults={"func": EXPIRY_FUNC, "schedule_type": Schedule.HOURLY, "repeats": -1},
    )
