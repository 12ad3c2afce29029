"""The interpreter settings an import holds are given back as found (observations.imports.
interpreter)."""

import gc
import sys

from observations.imports.interpreter import SWITCH_INTERVAL, frozen_heap, short_switching


def test_short_switching_is_held_by_the_last_user_and_given_back():
    before = sys.getswitchinterval()
    short_switching.enter()
    short_switching.enter()
    assert sys.getswitchinterval() == min(before, SWITCH_INTERVAL)
    short_switching.leave()
    assert sys.getswitchinterval() == min(before, SWITCH_INTERVAL)
    short_switching.leave()
    assert sys.getswitchinterval() == before


def test_frozen_heap_unfreezes_what_it_froze():
    assert gc.get_freeze_count() == 0
    with frozen_heap.held():
        assert gc.get_freeze_count() > 0
        with frozen_heap.held():
            assert gc.get_freeze_count() > 0
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0


def test_frozen_heap_leaves_someone_elses_freeze_alone():
    gc.freeze()
    try:
        with frozen_heap.held():
            assert frozen_heap.saved is False  # it froze nothing ...
        assert gc.get_freeze_count() > 0  # ... and unfroze nothing
    finally:
        gc.unfreeze()
