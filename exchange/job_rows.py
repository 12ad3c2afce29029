"""Updating the row of a background job (an export, a summary) from the worker.

On PostgreSQL an update simply waits for a lock. On a laptop's SQLite the web process and
the worker share one file, and the database answers "table is locked" instead of waiting:
the update is tried again briefly rather than losing the job's progress or result.
"""

from __future__ import annotations

import time

from django.db import OperationalError


def update_job_row(model, pk, *, statuses=None, tries: int = 20, **fields) -> int:
    """Update ``model``'s row ``pk`` (only if its status is one of ``statuses``, when
    given); the number of rows updated."""
    rows = model.objects.filter(pk=pk)
    if statuses:
        rows = rows.filter(status__in=statuses)
    for attempt in range(tries):
        try:
            return rows.update(**fields)
        except OperationalError:
            if attempt == tries - 1:
                raise
            time.sleep(0.05)
    return 0
