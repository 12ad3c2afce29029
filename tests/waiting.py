"""Waiting for what another thread or process does: a worker's job, a server starting.

One poll loop for the whole suite. It looks often at first and then less and less (a job
that takes 50 ms is seen at once; one that takes a minute is not asked about 1000 times
while the test's in-process worker shares the interpreter with it), and it says what it
waited for when it gives up.
"""

import time
from collections.abc import Callable, Iterable
from typing import Any

from django.db import OperationalError

from observations.jobs import FINISHED as FINAL


def wait_until(
    predicate: Callable[[], Any],
    *,
    timeout: float = 60,
    message: str | Callable[[], str] = "the condition",
    ignore: tuple[type[BaseException], ...] = (),
    first: float = 0.02,
    longest: float = 0.25,
) -> Any:
    """Call ``predicate`` until it returns something true, and return that.

    ``ignore``: exceptions that mean "not yet" (SQLite's shared in-memory test database
    busy with the worker's write). On timeout: AssertionError with ``message``.
    """
    deadline = time.monotonic() + timeout
    pause = first
    while True:
        try:
            value = predicate()
        except ignore:
            value = None
        if value:
            return value
        if time.monotonic() >= deadline:
            text = message() if callable(message) else message
            raise AssertionError(f"waited {timeout} s in vain for {text}")
        time.sleep(pause)
        pause = min(pause * 1.5, longest)


def wait_for_job(job, *, timeout: float = 120, final: Iterable[str] = FINAL):
    """Refresh a model instance (an export job, a summary, an import) until its ``status``
    is final; return it refreshed."""
    final = tuple(final)

    def finished():
        job.refresh_from_db()
        return job.status in final

    wait_until(
        finished,
        timeout=timeout,
        ignore=(OperationalError,),
        message=lambda: f"{type(job).__name__} {job.pk} to finish (status {job.status!r})",
    )
    return job


def wait_for_answer(
    api, url: str, *, timeout: float = 120, final: Iterable[str] = FINAL, field: str = "status"
) -> tuple[dict, list[dict]]:
    """GET ``url`` with a test client until the body's ``field`` is final.

    Returns the last body and every body seen (for the progress a job reported). An answer
    other than 200 counts as "not yet" (SQLite may be busy with the worker's write)."""
    final = tuple(final)
    seen: list[dict] = []

    def finished():
        answer = api.get(url)
        if answer.status_code != 200:
            return False
        seen.append(answer.json())
        return seen[-1][field] in final

    wait_until(
        finished,
        timeout=timeout,
        message=lambda: f"{url} to be final (last: {seen[-1] if seen else None})",
    )
    return seen[-1], seen


def wait_for_idle_worker(app, *, timeout: float = 60, queue: str = "celery") -> None:
    """Wait until the test's in-process Celery worker has nothing queued, reserved or
    running: what the test did has had all its consequences (a withdrawal recorded, an
    agreement re-evaluated) before another process looks."""
    from celery.worker import state
    from kombu.exceptions import ChannelError

    def queued() -> int:
        with app.connection_for_write() as conn:
            try:
                return conn.default_channel.queue_declare(queue=queue, passive=True).message_count
            except ChannelError:  # Redis: an empty queue is no key at all
                return 0

    def idle() -> bool:
        busy = lambda: state.active_requests or state.reserved_requests  # noqa: E731
        return not busy() and queued() == 0 and not busy()

    wait_until(idle, timeout=timeout, message="the worker to finish its tasks")
