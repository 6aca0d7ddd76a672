import gc

import pytest

from site_core import runtime


@pytest.fixture
def restored_collector():
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_tuning_freezes_start_up_objects_and_raises_the_young_threshold(restored_collector):
    gc.unfreeze()

    runtime.tune_garbage_collector()

    assert gc.get_freeze_count() > 0
    assert gc.get_threshold()[0] == runtime.YOUNG_GENERATION_THRESHOLD


def test_tuning_is_skipped_when_switched_off(settings, restored_collector):
    settings.SERVER_GC_TUNING = False
    gc.unfreeze()
    threshold = gc.get_threshold()

    runtime.tune_garbage_collector_if_enabled()

    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == threshold
