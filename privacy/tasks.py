"""Background work (django-q2) for data exports."""

import logging

from . import services

logger = logging.getLogger(__name__)


def build_export(export_id: int) -> str:
    try:
        export = services.export_build(export_id=export_id)
    except Exception:
        logger.exception("Data export %s failed", export_id)
        services.export_fail(export_id=export_id)
        raise
    return export.status


def remove_expired_exports() -> int:
    return services.exports_remove_expired()
