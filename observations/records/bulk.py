"""The records service in bulk: many records written at once, the one way every bulk write
of records goes (the file import, the sync of received records).

Two forms:

- ``observations_bulk_create(batch, rows)`` files new observations of this node (the file
  import). Ids stored already are left out and returned as not created; the caller judges
  those rows with ``same_content``, as the single-record service judges a re-send.
- ``records_bulk_upsert(model, records, fields)`` inserts or updates records received from
  a partner (the sync): the partner's records keep their id and origin node.

Either writes, in the caller's transaction, what the single-record service writes for one
record: the record with the defaults of ``observation_provenance`` (source, observer code,
origin node; status: the model's default), its audit-history row ("+" created, "~"
changed, as django-simple-history writes on ``save()``) and its change-feed entry through
the feed writer's ``record_changes`` (which takes the feed's one ordering lock), for the
records this node owns only, as ``record_changed`` does. On PostgreSQL the rows go in by
COPY (observations.records.copy for new records, observations.bulk for upserts); elsewhere
(the SQLite laptop demo) through the ORM and django-simple-history's own bulk history.

The import calls ``observations_bulk_create`` on a helper thread that shares the caller's
connection and transaction (observations.imports.writing says why); this module does not
care which thread calls it.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ..bulk import upsert
from ..feed import KIND_OF_MODEL, record_changes
from ..models import Observation
from . import copy as pg
from .kinds import OBSERVATION
from .services import observation_provenance

# Columns filled from a record's cleaned values (observations.validation): foreign keys
# (column -> key of the cleaned values) and plain values.
_FK = {
    "protected_area_id": "protected_area",
    "species_id": "species",
    "event_id": "event",
    "individual_id": "individual",
}
_PLAIN = tuple(name for name in OBSERVATION.content if name not in _FK.values())


def existing_records(ids: list[uuid.UUID]) -> dict[uuid.UUID, Observation]:
    """The stored observations among ``ids``: one query (a few on SQLite, which takes fewer
    parameters per statement)."""
    step = (connection.features.max_query_params or 30_000) - 10
    found = {}
    for start in range(0, len(ids), step):
        records = Observation.objects.filter(pk__in=ids[start : start + step])
        for record in records.select_related("protected_area"):
            found[record.pk] = record
    return found


class ObservationBatch:
    """New observations filed by ``user`` at ``now`` from ``source``, in the table's form.

    ``row(id, cleaned)`` is one record as the tuple of its columns: the model's defaults,
    the service's provenance, the record's cleaned values.
    """

    def __init__(self, *, user, now: dt.datetime, source: str, reason: str):
        self.user, self.now, self.reason = user, now, reason
        self.fixed = {
            **observation_provenance(user, source),
            "created_at": now,
            "updated_at": now,
            "created_by_id": user.pk if user is not None else None,
            "updated_by_id": user.pk if user is not None else None,
        }
        fields = Observation._meta.concrete_fields
        template, slots = [], []
        for i, f in enumerate(fields):
            if f.column in self.fixed:
                template.append(self.fixed[f.column])
                continue
            template.append(None if f.primary_key else f.get_default())
            if f.primary_key:
                slots.append((i, None, False))
            elif f.column in _FK:
                slots.append((i, _FK[f.column], True))
            elif f.column in _PLAIN:
                slots.append((i, f.column, False))
        self.template, self.slots = tuple(template), slots
        self.postgres = connection.vendor == "postgresql"
        self.copier = (
            pg.Copier(Observation, now=now, reason=reason, user_id=self.fixed["created_by_id"])
            if self.postgres
            else None
        )

    def row(self, record_id: uuid.UUID, cleaned: dict) -> tuple:
        values = list(self.template)
        for i, key, is_fk in self.slots:
            if key is None:
                values[i] = record_id
            elif is_fk:
                obj = cleaned[key]
                values[i] = obj.pk if obj is not None else None
            else:
                values[i] = cleaned[key]
        return tuple(values)

    def write(self, cursor, rows: list[tuple]) -> None:
        """PostgreSQL, on a psycopg cursor of the caller's connection: the records and their
        history rows by COPY. A unique violation (an id stored meanwhile) is raised."""
        self.copier.copy(cursor, rows)

    def announce(self, ids) -> None:
        """The change-feed entries of records written (in their transaction)."""
        record_changes(KIND_OF_MODEL[Observation], ids)

    def write_missing(self, rows: list[tuple]) -> set[uuid.UUID]:
        """Records and history of the rows whose id is not stored yet: the ids created."""
        if self.postgres:
            return self.copier.insert_missing(rows)
        stored = set(
            Observation.objects.filter(pk__in=[r[0] for r in rows]).values_list("pk", flat=True)
        )
        objs = [self._instance(r) for r in rows if r[0] not in stored]
        Observation.objects.bulk_create(objs, batch_size=500)
        Observation.history.bulk_history_create(
            objs,
            batch_size=500,
            default_user=self.user,
            default_change_reason=self.reason,
            default_date=self.now,
        )
        return {obj.pk for obj in objs}

    def _instance(self, row: tuple) -> Observation:
        names = [f.attname for f in Observation._meta.concrete_fields]
        return Observation(**dict(zip(names, row, strict=True)))


def observations_bulk_create(batch: ObservationBatch, rows: list[tuple]) -> set[uuid.UUID]:
    """File new observations (``batch.row`` tuples) in the caller's transaction, each with
    its history row and feed entry. Returns the ids created: an id already stored is left
    out (the caller compares it with ``same_content``)."""
    if not rows:
        return set()
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("observations_bulk_create must run inside a transaction")
    created = None
    if batch.postgres:
        try:
            with (
                transaction.atomic(),
                connection.cursor() as cursor,
                connection.wrap_database_errors,
            ):
                batch.write(cursor.cursor, rows)
            created = {row[0] for row in rows}
        except IntegrityError:
            created = None
    if created is None:
        with transaction.atomic():
            created = batch.write_missing(rows)
    batch.announce([row[0] for row in rows if row[0] in created])
    return created


def records_bulk_upsert(model, records: list, fields: list[str], *, reason: str = "sync") -> None:
    """Insert or update records received from a partner (model instances, or for
    observations dicts by attribute name), in the caller's transaction: the rows, a history
    row each ("+" new here, "~" changed) for models with history, and feed entries for the
    records this node owns (none of a partner's: received records are never passed on)."""
    if not records:
        return
    now = timezone.now()
    for r in records:
        if not isinstance(r, dict):
            r.updated_at = now
            r.created_at = r.created_at or now
    history = (now, reason) if hasattr(model, "history") else None
    upsert(model, records, unique_fields=["id"], update_fields=fields, history=history)
    own = [
        _get(r, "id")
        for r in records
        if (_get(r, "origin_node") or settings.NODE_CODE) == settings.NODE_CODE
    ]
    if own and model in KIND_OF_MODEL:
        record_changes(KIND_OF_MODEL[model], own)


def _get(record, name):
    return record.get(name) if isinstance(record, dict) else getattr(record, name, None)
