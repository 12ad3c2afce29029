"""Reviewing a dataset: comments on it, comments and flags on its rows.

A comment or flag on a row is a ``Remark`` on the record, written by the remarks service
(observations.remarks.services) with the dataset it came from: it goes to the record's
owner through the change feed (the partner node when the record was received from it),
where the PA manager answers or corrects the record, and the answer comes back the same
way. The dataset shows its open and closed flags (exchange.datasets.browse).

Errors (DomainError codes): ``not_in_version`` (404: the record is no row of the
version), ``record_gone`` (409: this node no longer holds the record, so a remark could
not reach its owner), and those of the remarks service (``text_required``,
``reason_required``, ``bad_kind``...).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from observations.access import Access
from observations.errors import Conflict, DomainError, NotAllowed, NotFound
from observations.models import Observation, Remark
from observations.records.services import observer_code
from observations.remarks.services import remark_create

from ..models import DatasetComment, DatasetRow, DatasetVersion
from .permissions import can_remark_in_dataset, can_review_dataset


def row_of(version: DatasetVersion, record_id) -> DatasetRow:
    row = (
        DatasetRow.objects.filter(version=version, record_id=record_id)
        .select_related("species", "protected_area")
        .first()
    )
    if row is None:
        raise NotFound(_("This record is not in this version of the dataset."), "not_in_version")
    return row


def row_remark_create(
    *,
    access: Access,
    user,
    version: DatasetVersion,
    record_id,
    kind: str,
    text: str,
    reason: str = "",
) -> Remark:
    """A comment or flag on one of the version's rows, sent on to the record's owner."""
    dataset = version.dataset
    if not can_remark_in_dataset(access, dataset):
        raise NotAllowed(_("You may not comment on this dataset."), "forbidden")
    row_of(version, record_id)
    observation = Observation.objects.filter(pk=record_id).select_related("protected_area").first()
    if observation is None:
        raise Conflict(
            _(
                "This node no longer holds the record (it was withdrawn or deleted): "
                "a remark could not reach its owner."
            ),
            "record_gone",
        )
    return remark_create(
        access=access,
        user=user,
        observation=observation,
        kind=kind,
        text=text,
        reason=reason,
        dataset=dataset,
        dataset_version=version.number,
    )


def dataset_comment_create(
    *, access: Access, user, dataset, text: str, version: DatasetVersion | None = None
) -> DatasetComment:
    """A comment on the dataset itself (or one of its versions); it stays on this node."""
    if not can_review_dataset(access, dataset):
        raise NotAllowed(_("You may not comment on this dataset."), "forbidden")
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write what you want to say."), "text_required", field="text")
    if len(text) > 5000:
        raise DomainError(_("At most 5,000 characters."), "text_too_long", field="text")
    return DatasetComment.objects.create(
        dataset=dataset,
        version=version,
        text=text,
        author=user,
        author_code=observer_code(user),
        author_role=access.main_role,
    )
