"""A version's checksum: SHA-256 over a canonical serialisation of its rows.

Anyone can recompute it from the rows (the API, the CSV): the rows in ascending order of
``record_id`` (the UUID's lowercase hexadecimal text), each written as one line

    JSON array of the values of FIELDS, in that order, compact (``,`` and ``:``, no
    spaces), UTF-8 without escaping non-ASCII; null for no value; a UUID as its
    hyphenated lowercase text; a time in UTC as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``; a
    number as JSON writes it (a float's shortest round-trip form)

followed by ``\\n``, after one first line ``amur-dataset-rows/1`` and one line of the field
names (the same JSON form), so that the checksum also covers what the values mean.

It is computed once, when the version is frozen, by reading its rows back from the
database (exchange.datasets.publish), and never changes afterwards: the rows never do.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Iterable

HEADER = "amur-dataset-rows/1"
# The rows' columns: an observation's fields as its description names them in a dataset
# (observations.records.kinds, ``Field.dataset``; the fields ``left_out`` of datasets say
# why), and the row's place precision and country. Written out, not derived: this order
# is part of the published checksum, and reordering it would change every checksum.
FIELDS = (
    "record_id",
    "origin_node",
    "protected_area_code",
    "country",
    "scientific_name",
    "observed_at",
    "latitude",
    "longitude",
    "coordinate_uncertainty_m",
    "location_precision",
    "count",
    "count_min",
    "count_max",
    "unit",
    "sex",
    "age_class",
    "evidence",
    "individual_id",
    "event_id",
    "status",
    "observer_code",
    "notes",
)
# The fields whose change makes a record "changed" between two versions (compare.py).
CONTENT_FIELDS = FIELDS[1:]
CHUNK = 5000


def canonical_value(value):
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value


def canonical_line(values: Iterable) -> bytes:
    line = json.dumps(
        [canonical_value(v) for v in values], ensure_ascii=False, separators=(",", ":")
    )
    return (line + "\n").encode()


def checksum(rows: Iterable[Iterable]) -> str:
    """The hex SHA-256 of rows given as value tuples in FIELDS order, already sorted."""
    digest = hashlib.sha256()
    digest.update((HEADER + "\n").encode())
    digest.update(canonical_line(FIELDS))
    for row in rows:
        digest.update(canonical_line(row))
    return digest.hexdigest()


def version_checksum(version) -> str:
    """The checksum of a version's stored rows (read with a chunked cursor)."""
    from ..models import DatasetRow

    rows = (
        DatasetRow.objects.filter(version=version)
        .order_by("record_id")
        .values_list(*FIELDS)
        .iterator(chunk_size=CHUNK)
    )
    return checksum(rows)
