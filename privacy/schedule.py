"""The django-q2 schedule that removes expired data exports, made after every migrate."""

CLEANUP_SCHEDULE_NAME = "privacy-remove-expired-exports"
CLEANUP_FUNC = "privacy.tasks.remove_expired_exports"


def ensure_cleanup_schedule(**kwargs) -> None:
    from django_q.models import Schedule

    Schedule.objects.update_or_create(
        name=CLEANUP_SCHEDULE_NAME,
        defaults={"func": CLEANUP_FUNC, "schedule_type": Schedule.HOURLY, "repeats": -1},
    )
