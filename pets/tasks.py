"""The photo check, run by the ``ml`` django-q2 cluster (one worker; see ``Q_CLUSTER`` in settings).

    Q_CLUSTER_NAME=ml ML_THREADS=1 python manage.py qcluster

The web process only queues ``check_pet_photo`` (``pets.services.queue_photo_check``, on commit);
this module is imported by the worker when it runs the task, and TensorFlow is imported inside the
task, in the forked worker process, never in the web process or the cluster's parent.

Reliability: the task is a row in django-q2's ORM queue until a run succeeds. A run that raises
stays queued and runs again after the cluster's ``retry`` seconds, up to ``max_attempts``; the
last failing attempt marks the photo "failed". While the worker is down, photos stay "pending"
with their task rows queued, and are checked when it comes back.
"""

from __future__ import annotations

import logging

from . import selectors, services
from .models import PhotoStatus

logger = logging.getLogger(__name__)


def check_pet_photo(pet_id: int, photo_version: int) -> str:
    """Classifies a pet's stored photo (the re-encoded "full" size) as dog, cat or neither.

    Records the verdict for that photo version only; the owner's species is never touched.
    Returns what happened, for django-q2's task log: the verdict, "rejected: …" or "stale".
    """
    pet = services.photo_check_start(pet_id=pet_id, photo_version=photo_version)
    if pet is None:
        return "stale"  # replaced, removed or deleted since it was queued: nothing to do

    from ml.classifier import ImageRejected, classify_images  # TensorFlow loads on first use
    from ml.images import read_limited

    try:
        with pet.photo_full.open("rb") as handle:
            data = read_limited(handle)
        verdict = classify_images([data])[0]
    except ImageRejected as error:
        # The stored file is not an image the classifier accepts: retrying cannot help.
        services.photo_check_record(pet_id=pet_id, photo_version=photo_version, status=PhotoStatus.REJECTED)
        logger.warning("Pet %s photo v%s refused by the classifier: %s", pet_id, photo_version, error)
        return f"rejected: {error.code}"
    except Exception:
        if not selectors.photo_is_current(pet_id=pet_id, photo_version=photo_version):
            return "stale"  # e.g. the file was replaced and deleted while we read it
        if pet.verdict_attempts >= services.ml_max_attempts():
            services.photo_check_record(pet_id=pet_id, photo_version=photo_version, status=PhotoStatus.FAILED)
        raise  # django-q2 runs it again after `retry` seconds, up to `max_attempts`

    recorded = services.photo_check_record(
        pet_id=pet_id,
        photo_version=photo_version,
        status=PhotoStatus.DONE,
        verdict=verdict.label,
        confidence=verdict.confidence,
    )
    return verdict.label if recorded else "stale"
