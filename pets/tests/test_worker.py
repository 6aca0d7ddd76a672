"""A real ml worker process (`Q_CLUSTER_NAME=ml manage.py qcluster`) on the test database.

Photos uploaded while no worker runs wait as "pending", with their tasks as rows in the ml queue;
when the worker starts, it checks them all, and it leaves the default cluster's tasks alone.
PostgreSQL only (the worker is another process).
"""

import pytest
from django_q.conf import Conf
from django_q.models import OrmQ, Task
from django_q.tasks import async_task

from pets import services
from pets.models import Pet, PhotoStatus
from pets.tests.conftest import wait_for
from pets.tests.factories import CAT_PHOTO, COFFEE_PHOTO, DOG_PHOTO, PetFactory, fixture_photo

pytestmark = pytest.mark.processes

WORKER_TIMEOUT = 180.0


def test_photos_queued_while_the_worker_is_down_are_checked_when_it_starts(ml_worker, member):
    pets = [
        PetFactory(owner=member, name="두부", species="dog", photo=fixture_photo(DOG_PHOTO)),
        PetFactory(owner=member, name="까미", species="dog", photo=fixture_photo(CAT_PHOTO)),
        PetFactory(owner=member, name="나비", species="cat", photo=fixture_photo(COFFEE_PHOTO)),
    ]
    async_task("math.floor", 2.5)  # a task for the default cluster
    assert OrmQ.objects.filter(key=services.ML_CLUSTER).count() == 3
    assert set(Pet.objects.values_list("photo_status", flat=True)) == {PhotoStatus.PENDING}

    worker = ml_worker()

    def all_checked():
        return not Pet.objects.filter(photo_status=PhotoStatus.PENDING).exists()

    wait_for(all_checked, timeout=WORKER_TIMEOUT, worker=worker)
    checked = {pet.name: pet for pet in Pet.objects.all()}
    assert {name: pet.verdict for name, pet in checked.items()} == {
        "두부": "dog",
        "까미": "cat",
        "나비": "neither",
    }
    assert {name: pet.species for name, pet in checked.items()} == {
        "두부": "dog",
        "까미": "dog",
        "나비": "cat",
    }
    assert all(pet.photo_status == PhotoStatus.DONE for pet in checked.values())
    assert checked["까미"].verdict_disagrees
    assert checked["나비"].no_dog_or_cat_found

    wait_for(lambda: not OrmQ.objects.filter(key=services.ML_CLUSTER).exists(), timeout=30, worker=worker)
    tasks = Task.objects.filter(func=services.PHOTO_CHECK_TASK)
    assert sorted(tasks.values_list("result", flat=True)) == ["cat", "dog", "neither"]
    assert set(tasks.values_list("cluster", flat=True)) == {services.ML_CLUSTER}
    assert OrmQ.objects.filter(key=Conf.CLUSTER_NAME).count() == 1, "the default cluster's task is untouched"
    assert all(pet.photo_version == 1 for pet in pets)


def test_a_photo_uploaded_while_the_worker_runs_is_checked_in_seconds(ml_worker, client, member):
    worker = ml_worker()
    client.force_login(member)
    pet = PetFactory(owner=member, name="콩이", species="cat")

    response = client.post(
        f"/pets/{pet.pk}/edit/",
        {"name": "콩이", "species": "cat", "sex": "unknown", "photo": fixture_photo(CAT_PHOTO)},
    )
    assert response.status_code == 302
    assert Pet.objects.get(pk=pet.pk).photo_status == PhotoStatus.PENDING

    state = wait_for(
        lambda: (data := client.get(f"/pets/{pet.pk}/verdict/").json())["status"] != "pending" and data,
        timeout=WORKER_TIMEOUT,
        worker=worker,
    )
    assert (state["status"], state["verdict"], state["species"]) == ("done", "cat", "cat")
    assert 'data-role="species-notice"' not in state["html"]
