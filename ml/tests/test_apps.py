"""The ml app applies UPLOAD_DECODE_CONCURRENCY (from the environment) to the decode slots at start-up,
in web processes and workers alike; each case runs in a fresh interpreter."""

from site_core.tests.test_settings import run_django

SLOTS = """
import django
django.setup()
from ml.images import decode_slots
print(decode_slots.count)
"""


def test_decode_slots_default_to_one_per_process():
    result = run_django(
        "site_core.settings.production", SLOTS, SECRET_KEY="x" * 50, ALLOWED_HOSTS="example.com"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "1"


def test_upload_decode_concurrency_comes_from_the_environment():
    result = run_django("site_core.settings.dev", SLOTS, UPLOAD_DECODE_CONCURRENCY="3")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "3"


def test_a_process_without_a_decode_slot_refuses_to_start():
    result = run_django("site_core.settings.dev", SLOTS, UPLOAD_DECODE_CONCURRENCY="0")

    assert result.returncode != 0
    assert "UPLOAD_DECODE_CONCURRENCY must be at least 1" in result.stderr
