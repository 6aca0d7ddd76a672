"""Background work (django-q2) for the shared helpers."""

from . import services


def remove_expired_uploads() -> int:
    return services.temporary_uploads_remove_expired()
