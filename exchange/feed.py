"""The change feed: written with every change of a shareable record, read by partners.

Writing is the lower app's (observations.feed: ``record_changes`` appends entries in the
caller's transaction, under the advisory lock that numbers and commits them in the same
order, so a reader at ``after=N`` can never miss an entry that commits later with a
smaller number).

Reading: ``feed_page`` turns the entries after a checkpoint into a page for
one partner: each changed record's *current* state, if the partner's
agreement allows it, already generalised; a tombstone where the partner holds
a record it may no longer have (withdrawn, deleted, agreement narrowed).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from observations.disclosure import EXACT, PartnerAudience
from observations.feed import EVENT, INDIVIDUAL, MEDIA, OBSERVATION, REMARK
from observations.models import (
    ChangeEntry,
    Individual,
    Media,
    Observation,
    ProtectedArea,
    RecordStatus,
    Remark,
    Species,
    SurveyEvent,
)
from observations.records import kinds
from observations.records.shown import observation_shown
from observations.timefmt import utc_iso as _iso

from .media import may_leave
from .models import Agreement, Node, SentPage, SentRecord

# What a partner may fetch of a photo under each media level (exchange.partners.api.media_file).
MEDIA_VARIANTS = {"thumbnails": ("thumbnail",), "full": ("thumbnail", "preview", "original")}


def head() -> int:
    """The newest entry's number: where a partner that has read everything stands."""
    return ChangeEntry.objects.aggregate(m=Max("seq"))["m"] or 0


# --- reading ------------------------------------------------------------------------


class Terms:
    """An agreement, read once per page into plain sets for fast decisions."""

    def __init__(self, agreement: Agreement):
        self.agreement = agreement
        self.species_ids = set(agreement.species.values_list("pk", flat=True))
        self.species_names = dict(agreement.species.values_list("pk", "scientific_name"))
        self.pa_ids = set(agreement.protected_areas.values_list("pk", flat=True))
        self.statuses = set(agreement.statuses or RecordStatus.SHARED_BY_DEFAULT)
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


def observation_payload(obs: Observation, terms: Terms) -> dict:
    """The record's fields as observations.records.kinds describes them; its place and
    notes as the disclosure policy shows them to the partner."""
    pa = terms.pas[obs.protected_area_id]
    audience = terms.audience
    obs.protected_area, obs.species = pa, terms.species[obs.species_id]  # no query
    return observation_shown(
        obs,
        kinds.FEED,
        audience,
        after={
            "observer_name": (
                "observer_code",
                obs.created_by.get_full_name() or obs.created_by.get_username()
                if audience.shows_observer_names and obs.created_by
                else None,
            ),
            "licence": ("observer_code", terms.agreement.licence),
        },
    )


def event_payload(event: SurveyEvent, terms: Terms) -> dict:
    pa = terms.pas[event.protected_area_id]
    audience = terms.audience
    event.protected_area = pa
    place = audience.station_place(event)
    notes = audience.text(event.notes, place.precision)
    return kinds.EVENT.to_wire(
        event,
        kinds.FEED,
        shown={
            "latitude": place.latitude,
            "longitude": place.longitude,
            "team": event.team if audience.shows_observer_names else "",
            "protocol": audience.label(event.protocol, place.precision),
            "notes": notes.value,
        },
        after={
            "location_precision": ("longitude", place.precision),
            "notes_redacted": ("notes", notes.kept_back),
            "licence": ("status", terms.agreement.licence),
        },
    )


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
    for_partner = Q(partner_code=None) | Q(partner_code=partner.code)
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
    for kind, record_id, seq, partner_code in ChangeEntry.objects.filter(
        kind__in={e[1] for e in entries}, record_id__in={e[2] for e in entries}
    ).values_list("kind", "record_id", "seq", "partner_code"):
        if partner_code in (None, partner.code) and seq > newest.get((kind, record_id), -1):
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
