"""A dataset's definition and its reviewers: what coordinators write.

``dataset_create`` and ``dataset_update`` take the same plain values (from the form or the
API): ``title``, ``description_en``/``_ru``/``_zh``, ``licence`` (one of
exchange.exports.dwca.licences), ``precision`` (exact, 1km, 10km, pa), ``query`` (the
filters of exchange.exports.query), ``include_received`` and ``excluded_records``. A change
applies to the next version published; published versions keep their own copy.

Errors (DomainError codes): ``forbidden``, ``title_required``, ``unknown_licence``,
``unknown_precision``, ``bad_excluded_records``, the filter codes of
exchange.exports.query; for reviewers ``unknown_user``, ``not_invited``.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from observations.access import Access
from observations.errors import DomainError, NotAllowed, NotFound

from ..exports.dwca.licences import DEFAULT_LICENCE
from ..exports.service import clean_licence
from ..models import Dataset, DatasetReviewer
from . import query

TEXT_FIELDS = ("description_en", "description_ru", "description_zh")
FIELDS = (
    "title",
    *TEXT_FIELDS,
    "licence",
    "precision",
    "query",
    "include_received",
    "excluded_records",
)


def _must_manage(access: Access, dataset: Dataset | None = None) -> None:
    allowed = access.can_manage_dataset(dataset) if dataset else access.can_manage_datasets
    if not allowed:
        raise NotAllowed(_("Only national coordinators manage shared datasets."), "forbidden")


def _clean(values: dict, *, partial: bool) -> dict:
    cleaned: dict = {}
    if "title" in values or not partial:
        title = str(values.get("title") or "").strip()
        if not title:
            raise DomainError(_("Give the dataset a title."), "title_required", field="title")
        if len(title) > 300:
            raise DomainError(_("At most 300 characters."), "title_too_long", field="title")
        cleaned["title"] = title
    for name in TEXT_FIELDS:
        if name in values:
            cleaned[name] = str(values.get(name) or "").strip()[:20000]
    if "licence" in values or not partial:
        licence = str(values.get("licence") or DEFAULT_LICENCE).strip()
        cleaned["licence"] = clean_licence(licence)
    if "precision" in values or not partial:
        cleaned["precision"] = query.clean_precision(values.get("precision"))
    if "query" in values or not partial:
        cleaned["query"] = query.clean_query(values.get("query"))
    if "include_received" in values:
        cleaned["include_received"] = bool(values["include_received"])
    if "excluded_records" in values:
        cleaned["excluded_records"] = query.clean_excluded(values["excluded_records"])
    return cleaned


def dataset_create(*, access: Access, user, values: dict) -> Dataset:
    _must_manage(access)
    cleaned = _clean(values, partial=False)
    return Dataset.objects.create(created_by=user, **cleaned)


def dataset_update(*, access: Access, user, dataset: Dataset, values: dict) -> Dataset:
    _must_manage(access, dataset)
    cleaned = _clean(values, partial=True)
    for name, value in cleaned.items():
        setattr(dataset, name, value)
    dataset.save()
    return dataset


def reviewer_invite(*, access: Access, user, dataset: Dataset, username: str) -> DatasetReviewer:
    """Invite a user of this node by user name; inviting twice changes nothing."""
    _must_manage(access, dataset)
    invited = get_user_model().objects.filter(username=(username or "").strip()).first()
    if invited is None or not invited.is_active:
        raise DomainError(
            _("No user of this node is called %(name)s.") % {"name": (username or "—")[:150]},
            "unknown_user",
            field="username",
        )
    try:
        with transaction.atomic():
            reviewer, _created = DatasetReviewer.objects.get_or_create(
                dataset=dataset, user=invited, defaults={"invited_by": user}
            )
    except IntegrityError:  # invited at the same moment by someone else
        reviewer = DatasetReviewer.objects.get(dataset=dataset, user=invited)
    return reviewer


def reviewer_remove(*, access: Access, dataset: Dataset, user_id: int) -> None:
    _must_manage(access, dataset)
    gone, _count = DatasetReviewer.objects.filter(dataset=dataset, user_id=user_id).delete()
    if not gone:
        raise NotFound(_("This user is not a reviewer of the dataset."), "not_invited")
