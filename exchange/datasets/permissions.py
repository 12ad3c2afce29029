"""Who may read and review a shared dataset: the rules that need the dataset's reviewers.

Coordinators (and admins) define datasets, publish versions and invite reviewers: that
much is the user's roles alone (``Access.can_manage_datasets``, ``can_manage_dataset``).
A reviewer is invited per dataset, whatever PA they belong to (or none): they read the
dataset's frozen rows, already generalised to the dataset's precision, comment and flag,
and see nothing else through it. Anyone else: the dataset answers 404.

These rules ask exchange's own tables, so they live here beside the feature and take the
request's ``Access`` (observations.access, the lower app, knows nothing of datasets).
"""

from __future__ import annotations

from django.db.models import QuerySet

from observations.access import Access

from ..models import Dataset, DatasetReviewer

_INVITED = "exchange.datasets.invited"


def invited_dataset_ids(access: Access) -> frozenset:
    """The datasets this user was invited to review (one query per request, on first use)."""
    if not access.is_authenticated:
        return frozenset()
    if _INVITED not in access.memo:
        access.memo[_INVITED] = frozenset(
            DatasetReviewer.objects.filter(user_id=access.user_id).values_list(
                "dataset_id", flat=True
            )
        )
    return access.memo[_INVITED]


def visible_datasets(access: Access, qs: QuerySet | None = None) -> QuerySet:
    """The datasets the user may read: all for those who manage them, else those invited to."""
    qs = Dataset.objects.all() if qs is None else qs
    if access.can_manage_datasets:
        return qs
    if not access.is_authenticated:
        return qs.none()
    return qs.filter(reviewers__user_id=access.user_id)


def can_view_dataset(access: Access, dataset) -> bool:
    """Read the dataset, its versions' rows, flags and comments; download its versions."""
    return access.can_manage_datasets or dataset.pk in invited_dataset_ids(access)


def can_review_dataset(access: Access, dataset) -> bool:
    """Comment on the dataset, comment on or flag one of its rows: whoever reads it."""
    return access.is_authenticated and can_view_dataset(access, dataset)


def can_remark_in_dataset(access: Access, dataset) -> bool:
    """A remark on a record reached through a dataset (the record must be one of the
    version's rows: exchange.datasets.review checks that before asking)."""
    return can_review_dataset(access, dataset)
