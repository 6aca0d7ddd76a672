"""The photo check end to end through the ml queue: the real task and the real model.

Uploads go through the pages (the request returns before any classification), the queued task
rows are run by django-q2's own worker and monitor code in this process (pets/tests/queue.py),
and the owner's page then shows the verdict. test_worker.py does the same with a real
`manage.py qcluster` process on PostgreSQL.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.utils.translation import override, pgettext
from django_q.conf import Conf
from django_q.models import OrmQ
from django_q.tasks import async_task

from pets import services
from pets.models import Pet, PhotoStatus, Species
from pets.tests.factories import CAT_PHOTO, COFFEE_PHOTO, DOG_PHOTO, PetFactory, fixture_photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_client(client, member):
    client.force_login(member)
    return client


def upload_pet(client, *, photo: str, species: str, capture) -> Pet:
    with capture(execute=True):
        response = client.post(
            "/pets/new/",
            {"name": "콩이", "species": species, "sex": "unknown", "photo": fixture_photo(photo)},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Pet.objects.get()


def verdict_label(verdict: str) -> str:
    """The verdict as the Korean page shows it (whatever the translations say today)."""
    labels = {"dog": "dog", "cat": "cat", "neither": "no dog or cat"}
    with override("ko"):
        return pgettext("photo check verdict", labels[verdict])


@pytest.mark.parametrize(
    ("photo", "species", "verdict", "notice"),
    [
        (DOG_PHOTO, Species.DOG, "dog", None),
        (CAT_PHOTO, Species.DOG, "cat", "species-notice"),
        (COFFEE_PHOTO, Species.CAT, "neither", "no-pet-notice"),
        (CAT_PHOTO, Species.CAT, "cat", None),
    ],
)
def test_the_verdict_arrives_through_the_queue_and_the_owners_choice_stays(
    owner_client, ml_queue, django_capture_on_commit_callbacks, photo, species, verdict, notice
):
    pet = upload_pet(owner_client, photo=photo, species=species, capture=django_capture_on_commit_callbacks)

    # The upload returned at once: the photo waits for the worker.
    assert pet.photo_status == PhotoStatus.PENDING
    assert ml_queue.queued() == 1
    page = owner_client.get(f"/pets/{pet.pk}/").content.decode()
    assert 'data-status="pending"' in page
    assert f'data-poll-url="/pets/{pet.pk}/verdict/"' in page
    assert owner_client.get(f"/pets/{pet.pk}/verdict/").json()["status"] == "pending"

    (task,) = ml_queue.run_queued_tasks()

    assert task.success, task.result
    assert task.result == verdict
    assert task.cluster == services.ML_CLUSTER
    assert ml_queue.queued() == 0, "a successful check is acknowledged"
    pet.refresh_from_db()
    assert (pet.photo_status, pet.verdict) == (PhotoStatus.DONE, verdict)
    assert 0.5 < pet.verdict_confidence <= 1
    assert pet.species == species, "the owner's choice is never overwritten"

    state = owner_client.get(f"/pets/{pet.pk}/verdict/").json()
    assert (state["status"], state["verdict"], state["species"]) == ("done", verdict, species)
    page = owner_client.get(f"/pets/{pet.pk}/").content.decode()
    for html in (page, state["html"]):
        assert f'data-verdict="{verdict}"' in html
        assert f'<strong data-role="verdict-label">{verdict_label(verdict)}</strong>' in html
        assert "data-poll-url" not in html
        for role in ("species-notice", "no-pet-notice"):
            assert (f'data-role="{role}"' in html) == (role == notice)
    assert f'data-species="{species}"' in page


def test_a_failing_check_is_retried_then_succeeds(
    owner_client, ml_queue, django_capture_on_commit_callbacks, monkeypatch
):
    import ml.classifier

    real = ml.classifier.classify_images
    calls = []

    def flaky(sources):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the model was not ready")
        return real(sources)

    monkeypatch.setattr(ml.classifier, "classify_images", flaky)
    pet = upload_pet(owner_client, photo=DOG_PHOTO, species="dog", capture=django_capture_on_commit_callbacks)

    (first,) = ml_queue.run_queued_tasks()
    assert not first.success
    assert "the model was not ready" in first.result
    assert ml_queue.queued() == 1, "a failed task stays queued"
    pet.refresh_from_db()
    assert (pet.photo_status, pet.verdict_attempts) == (PhotoStatus.PENDING, 1)
    assert ml_queue.run_queued_tasks() == [], "it waits for the cluster's `retry` seconds"

    ml_queue.make_locked_tasks_due()
    (second,) = ml_queue.run_queued_tasks()

    assert second.success
    assert second.result == "dog"
    assert second.attempt_count == 2
    assert ml_queue.queued() == 0
    pet.refresh_from_db()
    assert (pet.photo_status, pet.verdict, pet.verdict_attempts) == (PhotoStatus.DONE, "dog", 2)


def test_a_check_that_keeps_failing_is_marked_failed_after_max_attempts(
    owner_client, ml_queue, django_capture_on_commit_callbacks, monkeypatch
):
    import ml.classifier

    def broken(sources):
        raise RuntimeError("broken model")

    monkeypatch.setattr(ml.classifier, "classify_images", broken)
    monkeypatch.setattr(Conf, "MAX_ATTEMPTS", services.ml_max_attempts())
    pet = upload_pet(owner_client, photo=DOG_PHOTO, species="dog", capture=django_capture_on_commit_callbacks)

    for attempt in range(1, services.ml_max_attempts() + 1):
        (task,) = ml_queue.run_queued_tasks()
        assert (task.success, task.attempt_count) == (False, attempt)
        ml_queue.make_locked_tasks_due()

    assert ml_queue.queued() == 0, "given up after max_attempts"
    pet.refresh_from_db()
    assert pet.photo_status == PhotoStatus.FAILED
    assert pet.species == "dog"
    page = owner_client.get(f"/pets/{pet.pk}/").content.decode()
    assert 'data-status="failed"' in page


def test_photos_wait_while_the_worker_is_down_and_nothing_is_lost(
    member, ml_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pets = [
            PetFactory(owner=member, species="dog", photo=fixture_photo(DOG_PHOTO)),
            PetFactory(owner=member, species="cat", photo=fixture_photo(CAT_PHOTO)),
            PetFactory(owner=member, species="dog", photo=fixture_photo(COFFEE_PHOTO)),
        ]
    # No worker: the photos are pending and their tasks are rows in the ml queue, nowhere else.
    assert OrmQ.objects.filter(key=services.ML_CLUSTER).count() == 3
    assert not OrmQ.objects.exclude(key=services.ML_CLUSTER).exists()
    assert set(Pet.objects.values_list("photo_status", flat=True)) == {PhotoStatus.PENDING}

    # The worker comes back.
    tasks = ml_queue.run_queued_tasks()

    assert sorted(task.result for task in tasks) == ["cat", "dog", "neither"]
    assert ml_queue.queued() == 0
    verdicts = dict(Pet.objects.values_list("pk", "verdict"))
    assert [verdicts[pet.pk] for pet in pets] == ["dog", "cat", "neither"]


def test_the_ml_worker_leaves_other_queues_alone(member, ml_queue, django_capture_on_commit_callbacks):
    async_task("math.floor", 1.5)  # a default-cluster task
    with django_capture_on_commit_callbacks(execute=True):
        PetFactory(owner=member, photo=fixture_photo(DOG_PHOTO))

    ml_queue.run_queued_tasks()

    assert OrmQ.objects.filter(key=Conf.CLUSTER_NAME).count() == 1
    assert ml_queue.queued() == 0


def test_a_task_for_a_replaced_photo_does_nothing(member, ml_queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        pet = PetFactory(owner=member, species="cat", photo=fixture_photo(DOG_PHOTO))
    with django_capture_on_commit_callbacks(execute=True):
        services.pet_update(pet_id=pet.pk, member=member, photo=fixture_photo(CAT_PHOTO))

    results = {task.args: task.result for task in ml_queue.run_queued_tasks()}

    assert results == {(pet.pk, 1): "stale", (pet.pk, 2): "cat"}
    pet.refresh_from_db()
    assert (pet.photo_version, pet.verdict, pet.verdict_attempts) == (2, "cat", 1)


def test_a_stored_file_the_classifier_refuses_is_marked_rejected_not_retried(
    member, ml_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pet = PetFactory(owner=member, photo=fixture_photo(DOG_PHOTO))
    with default_storage.open(pet.photo_full.name, "wb") as handle:
        handle.write(b"not an image any more")

    (task,) = ml_queue.run_queued_tasks()

    assert task.success
    assert task.result.startswith("rejected:")
    assert ml_queue.queued() == 0
    pet.refresh_from_db()
    assert (pet.photo_status, pet.verdict) == (PhotoStatus.REJECTED, "")


@pytest.mark.processes
def test_the_web_process_never_imports_tensorflow():
    """Serving pages and queueing checks imports no TensorFlow; only the task's run does, in the worker."""
    code = (
        "import sys, django; django.setup();"
        "from django.urls import resolve; resolve('/pets/1/');"
        "import pets.views, pets.api, pets.services, pets.tasks, community.views, site_core.urls;"
        "print('tensorflow' in sys.modules, 'keras' in sys.modules)"
    )
    result = subprocess.run(  # noqa: S603 - this interpreter, a fixed snippet
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "site_core.settings.test"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split()[-2:] == ["False", "False"], result.stderr[-2000:]
