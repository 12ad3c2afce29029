"""How the Python interpreter is asked to behave while a file import runs (PostgreSQL: the
import checks rows on one thread while a helper thread writes, observations.imports.writing).

Two settings, each held while any import in the process needs it (imports may run side by
side in one process's threads) and given back as found when none does:

- a short GIL switch interval (``SWITCH_INTERVAL``) while a helper thread lives. The helper
  mostly waits on PostgreSQL, and after every wait (each COPY buffer sent, each statement)
  it needs the GIL back from the checking thread, which keeps it up to
  ``sys.getswitchinterval()`` (5 ms by default): the helper, the import's slower side,
  queued behind the checks. With 0.5 ms the benchmark's import (bench/bench_import.py)
  takes 15-25% less time; the checks are not measurably slower.
- the objects that live before the import kept out of the cycle collector's full passes
  (``gc.freeze``). An import allocates (and keeps per chunk) enough objects to start a
  full collection every ~15,000 rows, each walking every object of the process (Django's,
  the worker's) while holding the GIL, so stopping both threads: 0.7-1.2 s of a
  100,000-row import, measured. Frozen, those passes walk only the import's own objects;
  the import's garbage is collected as before. Skipped when something else froze objects
  already (a server that freezes before forking keeps its own arrangement).
"""

from __future__ import annotations

import contextlib
import gc
import sys
import threading

SWITCH_INTERVAL = 0.0005  # seconds: the GIL switch interval while a helper thread lives


class _Held:
    """A process-wide setting, taken by the first user and given back by the last."""

    def __init__(self, take, give_back):
        self.take, self.give_back = take, give_back
        self.lock = threading.Lock()
        self.users = 0
        self.saved = None

    def enter(self) -> None:
        with self.lock:
            if self.users == 0:
                self.saved = self.take()
            self.users += 1

    def leave(self) -> None:
        with self.lock:
            self.users -= 1
            if self.users == 0:
                self.give_back(self.saved)

    @contextlib.contextmanager
    def held(self):
        self.enter()
        try:
            yield
        finally:
            self.leave()


def _short_interval():
    saved = sys.getswitchinterval()
    sys.setswitchinterval(min(saved, SWITCH_INTERVAL))
    return saved


def _freeze() -> bool:
    if gc.get_freeze_count():
        return False  # someone else's frozen objects: leave them as they are
    gc.freeze()
    return True


def _unfreeze(froze: bool) -> None:
    if froze:
        gc.unfreeze()


short_switching = _Held(_short_interval, sys.setswitchinterval)
frozen_heap = _Held(_freeze, _unfreeze)
