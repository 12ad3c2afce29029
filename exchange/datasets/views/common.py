"""What the dataset pages share: finding the dataset, answering errors, labels."""

from __future__ import annotations

import functools

from django.http import Http404
from django.shortcuts import render

from observations.access import access_for
from observations.errors import DomainError
from observations.models import (
    Evidence,
    RecordStatus,
)

from ...models import Dataset, Precision
from .. import browse

# --- helpers -------------------------------------------------------------------------------


def _error_page(request, exc: DomainError):
    status = exc.status_code if 400 <= exc.status_code < 500 else 400
    return render(request, "exchange/dataset_error.html", {"message": exc.message}, status=status)


def answers_errors(view):
    """A DomainError while reading (a bad filter, an unknown version) is a 4xx page."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            return _error_page(request, exc)

    return wrapped


def _dataset(request, pk) -> Dataset:
    dataset = browse.visible_dataset(access_for(request.user), pk)
    if dataset is None:
        raise Http404
    return dataset


def _labels(rows) -> None:
    """Readable labels of a page of rows' codes (in the reader's language)."""
    statuses, evidence = dict(RecordStatus.choices), dict(Evidence.choices)
    precisions = dict(Precision.choices)
    for row in rows:
        row.status_label = statuses.get(row.status, row.status)
        row.evidence_label = evidence.get(row.evidence, row.evidence)
        row.precision_label = precisions.get(row.location_precision, row.location_precision)
