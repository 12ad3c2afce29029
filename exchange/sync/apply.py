"""Applying one verified feed page: its records stored through the records service's bulk
form (observations.records.bulk.records_bulk_upsert: rows, history, no feed entry
for a partner's records), its tombstones, and the checkpoint, all in one transaction."""

from __future__ import annotations

import logging
import uuid

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from observations.bulk import upsert
from observations.feed import EVENT, INDIVIDUAL, MEDIA, OBSERVATION, REMARK
from observations.models import (
    Deployment,
    Individual,
    IndividualCode,
    Media,
    Observation,
    Remark,
    SurveyEvent,
)
from observations.records.bulk import records_bulk_upsert
from observations.records.kinds import EVENT as EVENT_KIND
from observations.records.kinds import OBSERVATION as OBSERVATION_KIND
from observations.validation import RecordInvalid, problem

from ..feed import MEDIA_VARIANTS
from ..media_sync import FIELD_OF_VARIANT, drop_files
from ..models import Node, ReceivedRecord, SyncState
from .build import Applier
from .page import PullResult, check_page

log = logging.getLogger(__name__)


REMARK_FIELDS = [
    "observation",
    "parent",
    "kind",
    "reason",
    "text",
    "closes",
    "author_code",
    "author_role",
    "dataset_uuid",
    "dataset_title",
    "dataset_version",
    "updated_at",
]
# What a received record's update rewrites: the content a record's owner may change
# (what the records service compares), its status and provenance (observations.records.kinds).
OBS_FIELDS = [*OBSERVATION_KIND.received, "updated_at"]
EVENT_FIELDS = [*EVENT_KIND.received, "updated_at"]
IND_FIELDS = ["species", "sex", "label", "notes", "first_seen", "updated_at"]
MODELS = {
    OBSERVATION: Observation,
    EVENT: SurveyEvent,
    INDIVIDUAL: Individual,
    REMARK: Remark,
    MEDIA: Media,
}
MEDIA_FIELDS = ["deployment", "taken_at", "width", "height", "capture_method", "updated_at"]


def _save_codes(ind: Individual, result: PullResult) -> None:
    """An individual's catalogue codes; a code another animal already has here is refused
    (two animals with one code is a matter for reviewers, not for the sync)."""
    for catalogue, code in ind._codes:
        taken = IndividualCode.objects.filter(catalogue=catalogue, code=code).exclude(
            individual=ind
        )
        if taken.exists():
            result.rejected.append(
                {"id": str(ind.pk), "kind": INDIVIDUAL, "error": f"code {catalogue} {code} taken"}
            )
            continue
        IndividualCode.objects.update_or_create(
            individual=ind, catalogue=catalogue, defaults={"code": code}
        )


def _save(model, records: list, fields: list[str]) -> None:
    """Insert or update in bulk, with history, through the records service's bulk form."""
    records_bulk_upsert(model, records, fields, reason="sync")


def _save_media(photos: list[Media], result: PullResult) -> None:
    """Photos one by one (a page holds few): a stored variant is kept while the photo and
    its media level stay the same, so that a file crosses the border once."""
    for media in photos:
        Deployment.objects.get_or_create(
            event_id=media.deployment_id, defaults={"station": media._station or "-"}
        )
        if Media.objects.filter(sha256=media.sha256).exclude(pk=media.pk).exists():
            result.rejected.append(
                {"id": str(media.pk), "kind": MEDIA, "error": "this photo is stored here already"}
            )
            continue
        held = Media.objects.filter(pk=media.pk).first()
        if held is None:
            media.created_at = media.updated_at = timezone.now()
            media.save(force_insert=True)
            continue
        media.created_at, media.updated_at = held.created_at, timezone.now()
        fields = list(MEDIA_FIELDS)
        if held.sha256 != media.sha256 or held.shared_level != media.shared_level:
            # Another photo or another level: drop what may no longer be held, keep what
            # is still agreed, fetch the rest.
            wanted = MEDIA_VARIANTS[media.shared_level]
            same = held.sha256 == media.sha256
            drop = [v for v in FIELD_OF_VARIANT if not (same and v in wanted)]
            drop_files(held, drop)
            for variant, name in FIELD_OF_VARIANT.items():
                setattr(media, name, "" if variant in drop else getattr(held, name).name)
            complete = all(getattr(media, FIELD_OF_VARIANT[v]) for v in wanted)
            media.status = Media.Status.READY if complete else Media.Status.REMOTE
            fields += ["sha256", "shared_level", "status", "file", "thumbnail", "preview"]
        elif held.status == Media.Status.FAILED:
            fields += ["status"]  # described again: try the fetch again
        media.save(update_fields=fields)


def _withdraw(partner: Node, kind: str, ids: list) -> None:
    model = MODELS[kind]
    ids = list(
        model.objects.filter(pk__in=ids, origin_node=partner.code).values_list("pk", flat=True)
    )
    if kind in (EVENT, MEDIA):
        photos = Media.objects.filter(
            Q(pk__in=ids) if kind == MEDIA else Q(deployment_id__in=ids),
            origin_node=partner.code,
        )
        for media in photos:
            drop_files(media)
        photos.delete()
    if kind == EVENT:
        Observation.objects.filter(event_id__in=ids).update(event=None)
    if kind == INDIVIDUAL:
        Observation.objects.filter(individual_id__in=ids).update(individual=None)
    model.objects.filter(pk__in=ids).delete()


def _references(pairs: list, name: str) -> list[uuid.UUID]:
    """The well-formed ids that upserted items point at through ``name``."""
    found = []
    for _, item in pairs:
        data = item.get("data")
        if item["action"] == "upsert" and isinstance(data, dict) and data.get(name):
            try:
                found.append(uuid.UUID(str(data[name])))
            except ValueError:
                continue  # the item itself is refused when it is built
    return found


def apply_page(partner: Node, page: dict, applier: Applier | None = None) -> PullResult:
    """Apply one verified page and advance the checkpoint, all in one transaction."""
    items = check_page(partner, page, MODELS)
    applier = applier or Applier(partner)
    result = PullResult(pages=1)
    with transaction.atomic():
        state = SyncState.objects.select_for_update().get(partner=partner)
        keys = [(i["kind"], uuid.UUID(str(i["id"]))) for i in items]
        revs = {
            (r.kind, r.record_id): r.rev
            for r in ReceivedRecord.objects.filter(
                partner=partner, record_id__in=[k[1] for k in keys]
            )
        }
        # The newest item per record, and only if newer than what we hold.
        fresh: dict[tuple, dict] = {}
        for item, key in zip(items, keys, strict=True):
            if revs.get(key, -1) >= item["seq"] or fresh.get(key, {}).get("seq", -1) >= item["seq"]:
                result.skipped += 1
                continue
            fresh[key] = item
        by_kind = {kind: [] for kind in MODELS}
        for key, item in fresh.items():
            by_kind[key[0]].append((key[1], item))

        foreign = {
            kind: applier._foreign(MODELS[kind], [k for k, _ in pairs])
            for kind, pairs in by_kind.items()
        }
        built = {kind: [] for kind in MODELS}
        held_events = {
            str(i)
            for i in SurveyEvent.objects.filter(
                pk__in=_references(by_kind[OBSERVATION] + by_kind[MEDIA], "event")
            ).values_list("pk", flat=True)
        }
        held_individuals = {
            str(i)
            for i in Individual.objects.filter(
                pk__in=_references(by_kind[OBSERVATION], "individual")
            ).values_list("pk", flat=True)
        }
        tombstones = {kind: [] for kind in MODELS}
        for kind in (INDIVIDUAL, EVENT, OBSERVATION, MEDIA, REMARK):
            for record_id, item in by_kind[kind]:
                try:
                    if record_id in foreign[kind]:
                        raise RecordInvalid({"id": [problem("not_partners_record")]})
                    if item["action"] == "delete":
                        tombstones[kind].append(record_id)
                        continue
                    data = item.get("data") or {}
                    if not isinstance(data, dict):
                        raise ValueError("data is not an object")
                    if kind == INDIVIDUAL:
                        built[kind].append(applier.individual(record_id, data))
                        held_individuals.add(str(record_id))
                    elif kind == EVENT:
                        built[kind].append(applier.event(record_id, data))
                        held_events.add(str(record_id))
                    elif kind == OBSERVATION:
                        built[kind].append(
                            applier.observation(record_id, data, held_events, held_individuals)
                        )
                    elif kind == MEDIA:
                        built[kind].append(applier.media(record_id, data, held_events))
                    else:
                        built[kind].append(applier.remark(record_id, data))
                except (RecordInvalid, KeyError, TypeError, ValueError) as exc:
                    detail = exc.as_messages() if isinstance(exc, RecordInvalid) else repr(exc)
                    result.rejected.append({"id": str(record_id), "kind": kind, "error": detail})
                    log.warning(
                        "sync from %s: %s %s refused: %s", partner.code, kind, record_id, detail
                    )
        _save(Individual, built[INDIVIDUAL], IND_FIELDS)
        for ind in built[INDIVIDUAL]:
            _save_codes(ind, result)
        _save(SurveyEvent, built[EVENT], EVENT_FIELDS)
        _save(Observation, built[OBSERVATION], OBS_FIELDS)
        _save_media(built[MEDIA], result)
        _save(Remark, built[REMARK], REMARK_FIELDS)
        for kind in (REMARK, MEDIA, OBSERVATION, EVENT, INDIVIDUAL):
            _withdraw(partner, kind, tombstones[kind])
        result.upserts = sum(len(v) for v in built.values())
        result.tombstones = sum(len(v) for v in tombstones.values())

        upsert(
            ReceivedRecord,
            [
                ReceivedRecord(partner=partner, kind=k[0], record_id=k[1], rev=item["seq"])
                for k, item in fresh.items()
            ],
            unique_fields=["partner", "kind", "record_id"],
            update_fields=["rev"],
        )
        state.checkpoint = max(state.checkpoint, page["until"])
        state.partner_head = max(state.partner_head, int(page.get("head") or 0))
        state.records_received += result.upserts
        state.tombstones_received += result.tombstones
        if result.rejected:
            state.last_error = (
                f"{len(result.rejected)} item(s) refused, first: {result.rejected[0]}"
            )
        state.save()
    return result
