"""The change feed: written with every change of a shareable record, read by partners.

Writing: ``record_changes`` appends entries in the caller's transaction. On
PostgreSQL it first takes a transaction-level advisory lock, so entries are
numbered and committed in the same order: a reader at ``after=N`` can never
miss an entry that commits later with a smaller number.

Reading: ``feed_page`` turns the entries after a checkpoint into a page for
one partner: each changed record's *current* state, if the partner's
agreement allows it, already generalised; a tombstone where the partner holds
a record it may no longer have (withdrawn, deleted, agreement narrowed).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from observations.disclosure import EXACT, PartnerAudience
from observations.models import (
    Individual,
    Media,
    Observation,
    ProtectedArea,
    Remark,
    Species,
    SurveyEvent,
)
from observations.timefmt import utc_iso as _iso

from .media import may_leave
from .models import Agreement, ChangeEntry, Node, SentPage, SentRecord

OBSERVATION, EVENT, INDIVIDUAL, REMARK = "observation", "event", "individual", "remark"
MEDIA = "media"
KIND_OF_MODEL = {
    Observation: OBSERVATION,
    SurveyEvent: EVENT,
    Individual: INDIVIDUAL,
    Remark: REMARK,
    Media: MEDIA,
}
# What a partner may fetch of a photo under each media level (exchange.api.media_file).
MEDIA_VARIANTS = {"thumbnails": ("thumbnail",), "full": ("thumbnail", "preview", "original")}
FEED_LOCK_KEY = 7_202_611  # any constant: the advisory lock that orders feed entries


def _lock_feed() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [FEED_LOCK_KEY])


def record_changes(
    kind: str, ids: Iterable, action: str = ChangeEntry.Action.UPSERT, partner: Node | None = None
) -> None:
    """Append feed entries for records this node owns. Call inside the change's transaction."""
    ids = list(ids)
    if not ids:
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_changes must run inside the change's transaction")
    _lock_feed()
    if connection.vendor == "postgresql" and len(ids) > 100:
        # Many entries (a file import, a bulk write): COPY, as bulk_create costs ~10x more.
        _copy_entries(kind, ids, action, partner)
        return
    ChangeEntry.objects.bulk_create(
        [ChangeEntry(kind=kind, record_id=i, action=action, partner=partner) for i in ids],
        batch_size=5000,
    )


def _copy_entries(kind: str, ids: list, action: str, partner: Node | None) -> None:
    names = ("kind", "record_id", "action", "partner", "created_at")
    columns = ", ".join(f'"{ChangeEntry._meta.get_field(n).column}"' for n in names)
    entry = [kind, None, action, partner.pk if partner else None, timezone.now()]
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f'COPY "{ChangeEntry._meta.db_table}" ({columns}) FROM STDIN (FORMAT BINARY)'
        ) as copy,
    ):
        copy.set_types(["varchar", "uuid", "varchar", "int8", "timestamptz"])
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


def head() -> int:
    return ChangeEntry.objects.aggregate(m=Max("seq"))["m"] or 0


# --- reading ------------------------------------------------------------------------


class Terms:
    """An agreement, read once per page into plain sets for fast decisions."""

    def __init__(self, agreement: Agreement):
        self.agreement = agreement
        self.species_ids = set(agreement.species.values_list("pk", flat=True))
        self.species_names = dict(agreement.species.values_list("pk", "scientific_name"))
        self.pa_ids = set(agreement.protected_areas.values_list("pk", flat=True))
        self.statuses = set(agreement.statuses or ["verified"])
        self.embargo = dt.timedelta(days=agreement.embargo_days)
        self.active = agreement.active and agreement.partner.active
        # Reference data in memory: a page of 2,000 records makes no join and no extra query.
        self.pas = {pa.pk: pa for pa in ProtectedArea.objects.all()}
        self.species = {sp.pk: sp for sp in Species.objects.all()}
        # What the partner may see, decided by the one disclosure policy under this version
        # of the agreement (observations.disclosure.policy.PartnerAudience).
        self.audience = PartnerAudience.under(
            species=[self.species[pk] for pk in self.species_ids],
            agreed=agreement.precision or {},
            free_text=agreement.free_text,
            share_names=agreement.share_personal_data,
        )

    def pa_allowed(self, pa) -> bool:
        own = pa.country == settings.NODE_CODE
        return own and (not self.pa_ids or pa.pk in self.pa_ids)

    def allows(self, kind: str, record, now: dt.datetime) -> bool:
        if not self.active or record is None or record.origin_node != settings.NODE_CODE:
            return False
        if kind == REMARK:
            return remark_concerns(record, self.agreement.partner)
        if kind == INDIVIDUAL:
            return record.species_id in self.species_ids
        if kind == MEDIA:
            return bool(self.media_evidence(record, now))
        if not self.pa_allowed(self.pas[record.protected_area_id]):
            return False
        if record.status not in self.statuses:
            return False
        if kind == EVENT:
            return record.started_at <= now - self.embargo
        return record.species_id in self.species_ids and record.observed_at <= now - self.embargo

    def media_evidence(self, media: Media, now: dt.datetime) -> list:
        """The shared records a photo is evidence for; a photo with none stays home.

        A photo leaves only if the agreement lets photos go at all, it has been processed
        (its thumbnail exists), it is not withheld as showing people, its camera station is
        shared, and it shows a record the partner receives: the same species, status, PA
        and embargo rules as the record itself.
        """
        if self.agreement.media_level not in MEDIA_VARIANTS or not may_leave(media):
            return []
        if media.status != Media.Status.READY or media.sequence is None:
            return []
        if not self.allows(EVENT, media.deployment.event, now):
            return []
        return [
            c.observation
            for c in media.sequence.classifications.all()
            if c.observation is not None and self.allows(OBSERVATION, c.observation, now)
        ]


def remark_concerns(remark: Remark, partner: Node) -> bool:
    """A remark goes to the node that owns the record it is about, or whose flag it answers."""
    observation, parent = remark.observation, remark.parent
    if observation is not None and observation.origin_node == partner.code:
        return True
    return parent is not None and parent.origin_node == partner.code


def _num(value):
    return None if value is None else str(value)


def observation_payload(obs: Observation, terms: Terms) -> dict:
    pa = terms.pas[obs.protected_area_id]
    audience = terms.audience
    obs.protected_area, obs.species = pa, terms.species[obs.species_id]  # no query
    place = audience.record_place(obs)
    notes = audience.text(obs.notes, place.precision)
    return {
        "protected_area": pa.code,
        "species": terms.species[obs.species_id].scientific_name,
        "event": str(obs.event_id) if obs.event_id else None,
        "observed_at": _iso(obs.observed_at),
        "latitude": place.latitude,
        "longitude": place.longitude,
        "coordinate_uncertainty_m": place.uncertainty_m,
        "location_precision": place.precision,
        "count": obs.count,
        "count_min": obs.count_min,
        "count_max": obs.count_max,
        "unit": obs.unit,
        "sex": obs.sex,
        "age_class": obs.age_class,
        "evidence": obs.evidence,
        "individual": str(obs.individual_id) if obs.individual_id else None,
        "notes": notes.value,
        "notes_redacted": notes.kept_back,
        "status": obs.status,
        "observer_code": obs.observer_code,
        "observer_name": (
            obs.created_by.get_full_name() or obs.created_by.get_username()
            if audience.shows_observer_names and obs.created_by
            else None
        ),
        "licence": terms.agreement.licence,
        "updated_at": _iso(obs.updated_at),
    }


def event_payload(event: SurveyEvent, terms: Terms) -> dict:
    pa = terms.pas[event.protected_area_id]
    audience = terms.audience
    event.protected_area = pa
    place = audience.station_place(event)
    notes = audience.text(event.notes, place.precision)
    return {
        "protected_area": pa.code,
        "kind": event.kind,
        "started_at": _iso(event.started_at),
        "ended_at": _iso(event.ended_at),
        "latitude": place.latitude,
        "longitude": place.longitude,
        "location_precision": place.precision,
        "effort_km": _num(event.effort_km),
        "effort_trap_nights": _num(event.effort_trap_nights),
        "effort_hours": _num(event.effort_hours),
        "team": event.team if audience.shows_observer_names else "",
        "joint_team": event.joint_team,
        "protocol": audience.label(event.protocol, place.precision),
        "notes": notes.value,
        "notes_redacted": notes.kept_back,
        "status": event.status,
        "licence": terms.agreement.licence,
        "updated_at": _iso(event.updated_at),
    }


def individual_payload(ind: Individual, terms: Terms) -> dict:
    return {
        "species": ind.species.scientific_name,
        "sex": ind.sex,
        "label": ind.label,
        "first_seen": ind.first_seen.isoformat() if ind.first_seen else None,
        "codes": [{"catalogue": c.catalogue, "code": c.code} for c in ind.codes.all()],
        # An animal's notes may say where it lives: as a record of its species would be.
        "notes": terms.audience.text(ind.notes, terms.audience.precision_of(ind.species_id)).value,
        "updated_at": _iso(ind.updated_at),
    }


LOADERS = {
    # created_by is read only when the agreement lets observer names travel.
    OBSERVATION: lambda ids: Observation.objects.filter(pk__in=ids),
    EVENT: lambda ids: SurveyEvent.objects.filter(pk__in=ids),
    INDIVIDUAL: lambda ids: (
        Individual.objects.filter(pk__in=ids).select_related("species").prefetch_related("codes")
    ),
}


def remark_payload(remark: Remark, terms: Terms) -> dict:
    return {
        "subject": str(remark.subject_id),
        "parent": str(remark.parent_id) if remark.parent_id else None,
        "kind": remark.kind,
        "reason": remark.reason,
        # About one of the partner's own records (it knows the place): names taken out.
        "text": terms.audience.text(remark.text, EXACT).value,
        "closes": remark.closes,
        "author_code": remark.author_code,
        "author_role": remark.author_role,
        "created_at": _iso(remark.created_at),
        # Made while reviewing a shared dataset of this node (exchange.datasets): which one.
        "dataset": (
            {
                "id": str(remark.dataset_uuid),
                "title": remark.dataset_title,
                "version": remark.dataset_version,
            }
            if remark.dataset_uuid
            else None
        ),
    }


def media_payload(media: Media, terms: Terms) -> dict:
    """A photo's description; its bytes are fetched separately, by hash, once
    (``GET /api/v1/exchange/media/<sha256>/<variant>/``). No EXIF place, no camera serial,
    no file name: a photo's metadata stays home."""
    shows = terms.media_evidence(media, timezone.now())
    return {
        "sha256": media.sha256,
        "event": str(media.deployment_id),
        "station": terms.audience.label(
            media.deployment.station,
            terms.audience.station_precision(None),
        ),
        "content_type": media.content_type,
        "taken_at": _iso(media.taken_at),
        "width": media.width,
        "height": media.height,
        "capture_method": media.capture_method,
        "level": terms.agreement.media_level,
        "variants": list(MEDIA_VARIANTS[terms.agreement.media_level]),
        "observations": sorted(str(obs.pk) for obs in shows),
        "licence": terms.agreement.licence,
        "updated_at": _iso(media.updated_at),
    }


LOADERS[REMARK] = lambda ids: Remark.objects.filter(pk__in=ids).select_related(
    "observation", "parent"
)
LOADERS[MEDIA] = lambda ids: (
    Media.objects.filter(pk__in=ids)
    .select_related("deployment__event", "sequence")
    .prefetch_related("sequence__classifications__observation")
)
PAYLOADS = {
    OBSERVATION: observation_payload,
    EVENT: event_payload,
    INDIVIDUAL: individual_payload,
    REMARK: remark_payload,
    MEDIA: media_payload,
}
# Individuals first, then events, observations, photos, remarks: what a record points at
# comes first.
KIND_ORDER = {INDIVIDUAL: 0, EVENT: 1, OBSERVATION: 2, MEDIA: 3, REMARK: 4}


@transaction.atomic
def feed_page(partner: Node, *, after: int, limit: int, now: dt.datetime | None = None) -> dict:
    """The next page of changes visible to ``partner``, generalised, and logged as sent."""
    now = now or timezone.now()
    agreement = Agreement.objects.select_related("partner").filter(partner=partner).first()
    terms = Terms(agreement) if agreement else None
    for_partner = Q(partner=None) | Q(partner=partner)
    entries = list(
        ChangeEntry.objects.filter(for_partner, seq__gt=after)
        .order_by("seq")
        .values_list("seq", "kind", "record_id")[:limit]
    )
    # An entry followed by a later one for the same record says nothing the later one will
    # not say (the feed sends current state): only a record's newest entry is served. A
    # first sync then costs one item per record, not one per change it ever had. One
    # index lookup for the page's records keeps this O(page), whatever the feed's length.
    newest: dict[tuple[str, uuid.UUID], int] = {}
    for kind, record_id, seq, partner_id in ChangeEntry.objects.filter(
        kind__in={e[1] for e in entries}, record_id__in={e[2] for e in entries}
    ).values_list("kind", "record_id", "seq", "partner_id"):
        if partner_id in (None, partner.pk) and seq > newest.get((kind, record_id), -1):
            newest[(kind, record_id)] = seq
    latest: dict[tuple[str, uuid.UUID], int] = {
        (kind, record_id): seq
        for seq, kind, record_id in entries
        if newest.get((kind, record_id), seq) <= seq
    }
    ids_by_kind: dict[str, list] = {}
    for kind, record_id in latest:
        ids_by_kind.setdefault(kind, []).append(record_id)
    records = {(kind, r.pk): r for kind, ids in ids_by_kind.items() for r in LOADERS[kind](ids)}
    sent = set(
        SentRecord.objects.filter(
            partner=partner, kind__in=list(ids_by_kind), record_id__in=[k[1] for k in latest]
        ).values_list("kind", "record_id")
    )

    items, held_now, upserts, tombstones = [], [], 0, 0
    ordered = sorted(latest.items(), key=lambda kv: (KIND_ORDER.get(kv[0][0], 9), kv[1]))
    for (kind, record_id), seq in ordered:
        record = records.get((kind, record_id))
        if terms is not None and terms.allows(kind, record, now):
            items.append(
                {
                    "seq": seq,
                    "kind": kind,
                    "id": str(record_id),
                    "action": "upsert",
                    "data": PAYLOADS[kind](record, terms),
                }
            )
            upserts += 1
            held_now.append(SentRecord(partner=partner, kind=kind, record_id=record_id, seq=seq))
        elif (kind, record_id) in sent:
            items.append({"seq": seq, "kind": kind, "id": str(record_id), "action": "delete"})
            tombstones += 1
            held_now.append(
                SentRecord(partner=partner, kind=kind, record_id=record_id, seq=seq, withdrawn=True)
            )
    SentRecord.objects.bulk_create(
        held_now,
        update_conflicts=True,
        unique_fields=["partner", "kind", "record_id"],
        update_fields=["seq", "withdrawn"],
        batch_size=5000,
    )

    until = entries[-1][0] if entries else after
    version = agreement.version if agreement else 0
    SentPage.objects.create(
        partner=partner,
        after=after,
        until=until,
        agreement_version=version,
        upserts=upserts,
        tombstones=tombstones,
        items=[f"{i['action']}:{i['kind']}:{i['id']}" for i in items],
    )
    return {
        "protocol": "amur-exchange-feed/1",
        "node": settings.NODE_CODE,
        "partner": partner.code,
        "after": after,
        "until": until,
        "head": head(),
        "agreement_version": version,
        "items": items,
    }
