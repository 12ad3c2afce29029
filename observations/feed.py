"""The change feed's writing side: an entry with every change of a shareable record.

Every service that changes a record this node owns calls ``record_changed`` (or
``record_changes`` for many) inside the change's own transaction, so an entry exists
exactly when the change does. Partners read the feed through exchange.feed, which turns
entries into each partner's page; this module knows nothing of partners but their code.

Why the lock: entries are numbered by a sequence, but numbers are drawn when a row is
inserted, not when its transaction commits. Two transactions could commit out of order,
and a reader that has seen entry N+1 would never come back for N. On PostgreSQL every
writer therefore takes one transaction-level advisory lock (``FEED_LOCK_KEY``) before
appending, so entries are numbered and committed in the same order. Bulk writes
(observations.records.bulk) append through ``record_changes`` too: one lock, one writer.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from .models import ChangeEntry, Individual, Media, Observation, Remark, SurveyEvent

OBSERVATION, EVENT, INDIVIDUAL, REMARK = "observation", "event", "individual", "remark"
MEDIA = "media"
KIND_OF_MODEL = {
    Observation: OBSERVATION,
    SurveyEvent: EVENT,
    Individual: INDIVIDUAL,
    Remark: REMARK,
    Media: MEDIA,
}
FEED_LOCK_KEY = 7_202_611  # any constant: the advisory lock that orders feed entries


def lock_feed() -> None:
    """Take the feed's lock until the transaction ends (PostgreSQL; SQLite writes one at a
    time anyway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [FEED_LOCK_KEY])


def record_changes(
    kind: str,
    ids: Iterable,
    action: str = ChangeEntry.Action.UPSERT,
    partner_code: str | None = None,
) -> None:
    """Append feed entries for records this node owns. Call inside the change's transaction.

    ``partner_code``: the entries are for that partner node only (an agreement changed);
    None: for every partner."""
    ids = list(ids)
    if not ids:
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_changes must run inside the change's transaction")
    lock_feed()
    if connection.vendor == "postgresql" and len(ids) > 100:
        # Many entries (a file import, a bulk write): COPY, as bulk_create costs ~10x more.
        _copy_entries(kind, ids, action, partner_code)
        return
    ChangeEntry.objects.bulk_create(
        [
            ChangeEntry(kind=kind, record_id=i, action=action, partner_code=partner_code)
            for i in ids
        ],
        batch_size=5000,
    )


def _copy_entries(kind: str, ids: list, action: str, partner_code: str | None) -> None:
    names = ("kind", "record_id", "action", "partner_code", "created_at")
    columns = ", ".join(f'"{ChangeEntry._meta.get_field(n).column}"' for n in names)
    entry = [kind, None, action, partner_code, timezone.now()]
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f'COPY "{ChangeEntry._meta.db_table}" ({columns}) FROM STDIN (FORMAT BINARY)'
        ) as copy,
    ):
        copy.set_types(["varchar", "uuid", "varchar", "varchar", "timestamptz"])
        for record_id in ids:
            entry[1] = record_id
            copy.write_row(entry)


def record_changed(record, action: str = ChangeEntry.Action.UPSERT) -> None:
    """One record changed (or was deleted): a feed entry if this node owns it."""
    if getattr(record, "origin_node", settings.NODE_CODE) != settings.NODE_CODE:
        return  # received records are never passed on
    kind = KIND_OF_MODEL[type(record)]
    record_changes(kind, [record.pk], action)
    if kind == OBSERVATION:
        # A photo leaves with the record it is evidence for: when the record changes
        # (verified, withdrawn), the photo's right to leave is looked at again.
        record_changes(MEDIA, evidence_media_ids([record.pk]))


def evidence_media_ids(observation_ids) -> list:
    """The photos of the camera sequences that these observations were classified from."""
    return list(
        Media.objects.filter(sequence__classifications__observation_id__in=observation_ids)
        .values_list("pk", flat=True)
        .distinct()
    )
