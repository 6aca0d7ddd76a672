"""The photo-check worker stopped while members upload pet photos: the photos wait as "checking"
and every verdict arrives once the worker is back; none is lost."""

from io import BytesIO

import pytest
import requests
from PIL import Image

from .conftest import eventually

pytestmark = pytest.mark.faults

PASSWORD = "faults-Pass-1234"
VERDICT_TIMEOUT = 240  # the worker's first check includes loading TensorFlow and the model


@pytest.fixture(scope="module")
def web(stack):
    server = stack.web_server()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def token(stack, web):
    stack.create_member("worker_dubu", PASSWORD)
    response = requests.post(
        f"{web.url}/api/auth/token/", json={"username": "worker_dubu", "password": PASSWORD}, timeout=10
    )
    assert response.status_code == 200, response.text
    return response.json()["access"]


def photo(number: int) -> bytes:
    image = Image.new("RGB", (256, 256))
    image.putdata(
        [((x + number * 40) % 256, (y * 2) % 256, (x + y) % 256) for y in range(256) for x in range(256)]
    )
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def upload(web, token: str, number: int) -> int:
    response = requests.post(
        f"{web.url}/api/pets/",
        headers={"Authorization": f"Bearer {token}"},
        data={"name": f"두부{number}", "species": "dog"},
        files={"photo": (f"dubu{number}.png", photo(number), "image/png")},
        timeout=30,
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


def check_status(web, token: str, pet_id: int) -> str:
    response = requests.get(
        f"{web.url}/api/pets/{pet_id}/verdict/", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert response.status_code == 200, response.text
    return response.json()["status"]


def test_photos_uploaded_while_the_worker_is_down_are_checked_when_it_returns(stack, web, token):
    worker = stack.process("ml-worker", ["manage.py", "qcluster"], Q_CLUSTER_NAME="ml", ML_THREADS="1")
    worker.start()
    try:
        first = upload(web, token, 0)
        assert eventually(lambda: check_status(web, token, first) == "done", timeout=VERDICT_TIMEOUT), (
            worker.log()
        )
        worker.stop()

        waiting = [upload(web, token, number) for number in range(1, 4)]
        assert {check_status(web, token, pet_id) for pet_id in waiting} == {"pending"}

        worker.start()

        def all_checked():
            return {check_status(web, token, pet_id) for pet_id in waiting} == {"done"}

        assert eventually(all_checked, timeout=VERDICT_TIMEOUT, interval=1), worker.log()
    finally:
        worker.stop()
    assert check_status(web, token, first) == "done"
