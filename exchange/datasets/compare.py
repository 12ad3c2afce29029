"""What changed between two versions of a dataset: records added, removed and changed.

A record is *added* when it is a row of the newer version only, *removed* when it is a
row of the older one only, and *changed* when it is a row of both whose frozen values
differ in any of exchange.datasets.checksum.CONTENT_FIELDS (its place as published, its
count, its status...). The three sets are found by the database (EXISTS on the row's
``record_id``, a null-safe comparison column by column); the table shows one page of each,
and the download (CSV) streams all of them, each line's cells through
observations.spreadsheet_safety (reviewers open it in a spreadsheet program: no text may
become a formula there).

Errors: ``different_datasets`` (400), ``unknown_version`` (404), ``same_version`` (400).
"""

from __future__ import annotations

import csv
import uuid
from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.lookups import IsNull
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from observations.errors import DomainError, NotFound
from observations.spreadsheet_safety import safe_row

from ..models import DatasetRow, DatasetVersion
from .checksum import CONTENT_FIELDS, canonical_value
from .permissions import visible_datasets

NULLABLE = {name for name in CONTENT_FIELDS if DatasetRow._meta.get_field(name).null}
CHUNK = 1000


@dataclass
class Change:
    """One changed record: its row in each version and the fields that differ."""

    before: DatasetRow
    after: DatasetRow
    fields: list[str] = field(default_factory=list)


def check_pair(older: DatasetVersion, newer: DatasetVersion) -> None:
    if older.dataset_id != newer.dataset_id:
        raise DomainError(
            _("Versions of two different datasets cannot be compared."), "different_datasets"
        )
    if older.pk == newer.pk:
        raise DomainError(_("Choose two different versions to compare."), "same_version")


def pair(access, dataset, older_ref: str, newer_ref: str):
    """The two versions of ``dataset`` named by number or id (``from`` and ``to``).

    A version id of another dataset the user may read is refused as such
    (``different_datasets``); anything else unknown is ``unknown_version``."""
    from .browse import version_of

    refs = [str(ref or "").strip() for ref in (older_ref, newer_ref)]
    if not all(refs):
        raise DomainError(
            _("Say which versions to compare: from and to."), "versions_required", field="from"
        )
    found = []
    for ref in refs:
        try:
            found.append(version_of(dataset, ref))
        except NotFound:
            elsewhere = DatasetVersion.objects.filter(
                pk=_uuid_or_none(ref), dataset__in=visible_datasets(access)
            ).exclude(dataset=dataset)
            if elsewhere.exists():
                raise DomainError(
                    _("Versions of two different datasets cannot be compared."),
                    "different_datasets",
                ) from None
            raise
    older, newer = found
    check_pair(older, newer)
    return older, newer


def _uuid_or_none(text: str):
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def _rows(version: DatasetVersion) -> QuerySet[DatasetRow]:
    return DatasetRow.objects.filter(version=version)


def _same_values() -> Q:
    """Null-safe equality of every content field with the outer row's."""
    condition = Q()
    for name in CONTENT_FIELDS:
        equal = Q(**{name: OuterRef(name)})
        if name in NULLABLE:
            both_null = Q(IsNull(F(name), True)) & Q(IsNull(OuterRef(name), True))
            equal = equal | both_null
        condition &= equal
    return condition


def added(older: DatasetVersion, newer: DatasetVersion) -> QuerySet[DatasetRow]:
    check_pair(older, newer)
    before = _rows(older).filter(record_id=OuterRef("record_id"))
    return _rows(newer).filter(~Exists(before)).order_by("record_id")


def removed(older: DatasetVersion, newer: DatasetVersion) -> QuerySet[DatasetRow]:
    check_pair(older, newer)
    after = _rows(newer).filter(record_id=OuterRef("record_id"))
    return _rows(older).filter(~Exists(after)).order_by("record_id")


def changed(older: DatasetVersion, newer: DatasetVersion) -> QuerySet[DatasetRow]:
    """The newer version's rows of records that are in both with other values."""
    check_pair(older, newer)
    before = _rows(older).filter(record_id=OuterRef("record_id"))
    same = before.filter(_same_values())
    return _rows(newer).filter(Exists(before), ~Exists(same)).order_by("record_id")


def counts(older: DatasetVersion, newer: DatasetVersion) -> dict:
    return {
        "added": added(older, newer).count(),
        "removed": removed(older, newer).count(),
        "changed": changed(older, newer).count(),
    }


def differing_fields(before: DatasetRow, after: DatasetRow) -> list[str]:
    return [
        name
        for name in CONTENT_FIELDS
        if canonical_value(getattr(before, name)) != canonical_value(getattr(after, name))
    ]


def changes(older: DatasetVersion, newer: DatasetVersion, newer_rows) -> list[Change]:
    """The changed rows given (a page of ``changed``), each with its older row (one query)."""
    newer_rows = list(newer_rows)
    olds = {
        row.record_id: row
        for row in _rows(older)
        .filter(record_id__in=[r.record_id for r in newer_rows])
        .select_related("species", "protected_area")
    }
    out = []
    for row in newer_rows:
        before = olds[row.record_id]
        out.append(Change(before=before, after=row, fields=differing_fields(before, row)))
    return out


# --- the download ------------------------------------------------------------------------


def csv_header() -> list[str]:
    return [
        gettext("Change"),
        "record_id",
        gettext("Changed fields"),
        *CONTENT_FIELDS,
        *[f"{name} ({gettext('before')})" for name in CONTENT_FIELDS],
    ]


def _cells(values) -> list:
    out = []
    for value in values:
        value = canonical_value(value)
        out.append("" if value is None else value)
    return out


def csv_lines(older: DatasetVersion, newer: DatasetVersion):
    """The comparison as CSV lines (text), streamed: added, removed, then changed rows."""

    class Echo:
        def write(self, value):
            return value

    writer = csv.writer(Echo())
    yield "\ufeff" + writer.writerow(safe_row(csv_header()))
    blank = [""] * len(CONTENT_FIELDS)
    names = ("record_id", *CONTENT_FIELDS)
    for label, rows in (
        (gettext("added"), added(older, newer)),
        (gettext("removed"), removed(older, newer)),
    ):
        for row in rows.values_list(*names).iterator(chunk_size=CHUNK):
            yield writer.writerow(safe_row([label, str(row[0]), "", *_cells(row[1:]), *blank]))
    label = gettext("changed")
    batch: list[DatasetRow] = []
    for row in changed(older, newer).iterator(chunk_size=CHUNK):
        batch.append(row)
        if len(batch) == CHUNK:
            yield from _changed_lines(writer, label, older, newer, batch)
            batch = []
    if batch:
        yield from _changed_lines(writer, label, older, newer, batch)


def _changed_lines(writer, label, older, newer, batch):
    olds = {
        row.record_id: row
        for row in _rows(older).filter(record_id__in=[r.record_id for r in batch])
    }
    for row in batch:
        before = olds[row.record_id]
        fields = differing_fields(before, row)
        now = [getattr(row, name) for name in CONTENT_FIELDS]
        then = [getattr(before, name) if name in fields else None for name in CONTENT_FIELDS]
        yield writer.writerow(
            safe_row([label, str(row.record_id), " ".join(fields), *_cells(now), *_cells(then)])
        )
