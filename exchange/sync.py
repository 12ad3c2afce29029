"""Pull sync: fetch a partner's feed pages from the checkpoint and apply them here.

Each page is verified (its signature, then its shape), and applied in one
transaction together with the new checkpoint: a crash mid-sync resumes from
the last applied page, nothing doubled, nothing lost. Applying is idempotent
and order-proof: each record keeps the partner's revision (its feed number),
and an item that is not newer than what we hold is skipped, so a page
delivered twice or late changes nothing.

Received records keep their UUID and their origin node: they are read-only
here (observations.access refuses to change them).
"""

from __future__ import annotations

import logging
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime as _parse_datetime

from observations.bulk import upsert
from observations.feed import EVENT, INDIVIDUAL, MEDIA, OBSERVATION, REMARK
from observations.models import (
    Deployment,
    Individual,
    IndividualCode,
    Media,
    Observation,
    ProtectedArea,
    RecordStatus,
    Remark,
    SurveyEvent,
)
from observations.models.records import RecordSource
from observations.records.kinds import EVENT as EVENT_KIND
from observations.records.kinds import OBSERVATION as OBSERVATION_KIND
from observations.validation import (
    RecordInvalid,
    Reference,
    clean_event,
    clean_observation,
    problem,
)

from .client import get_signed
from .feed import MEDIA_VARIANTS
from .media_sync import FIELD_OF_VARIANT, SHA256, drop_files
from .models import Node, ReceivedRecord, SyncState

log = logging.getLogger(__name__)
STALE_CLAIM = timedelta(minutes=15)
MAX_PAGES_PER_RUN = 1000


def parse_datetime(value):
    if not value:
        return None
    parsed = _parse_datetime(str(value))
    if parsed is None:
        raise ValueError(f"bad time {value!r}")
    return parsed


class BadPage(Exception):
    """A page that is signed but not what the protocol says: nothing of it is applied."""


@dataclass
class PullResult:
    pages: int = 0
    upserts: int = 0
    tombstones: int = 0
    skipped: int = 0
    rejected: list = field(default_factory=list)


# --- applying one page -----------------------------------------------------------------


def _check_page(partner: Node, page: dict) -> list[dict]:
    if not isinstance(page, dict) or page.get("protocol") != "amur-exchange-feed/1":
        raise BadPage("unknown protocol")
    if page.get("node") != partner.code or page.get("partner") != settings.NODE_CODE:
        raise BadPage("page addressed to another node")
    items = page.get("items")
    if not isinstance(items, list) or not isinstance(page.get("until"), int):
        raise BadPage("page without items or until")
    for item in items:
        if not isinstance(item, dict) or item.get("kind") not in MODELS:
            raise BadPage("unknown item kind")
        if item.get("action") not in ("upsert", "delete") or not isinstance(item.get("seq"), int):
            raise BadPage("bad item")
        try:
            uuid.UUID(str(item.get("id")))
        except ValueError as exc:
            raise BadPage("bad item id") from exc
    return items


class Applier:
    """Applies the items of pages from one partner in bulk: a few queries per page, not per
    record (bench/bench_sync.py). Reference data is looked up once per pull."""

    def __init__(self, partner: Node):
        self.partner = partner
        self.ref = Reference.preloaded()

    def _pa(self, code) -> ProtectedArea:
        pa = self.ref.protected_area(code or "")
        if pa is None or pa.country != self.partner.code:
            # A partner sends only records of its own PAs: never one of ours.
            raise RecordInvalid({"protected_area": [problem("unknown_protected_area", value=code)]})
        return pa

    def _foreign(self, model, ids) -> set:
        """Ids among these that belong to another node than the partner: never overwritten."""
        return set(
            model.objects.filter(pk__in=ids)
            .exclude(origin_node=self.partner.code)
            .values_list("pk", flat=True)
        )

    def individual(self, record_id, data) -> Individual:
        species = self.ref.species(data.get("species") or "")
        if species is None:
            raise RecordInvalid(
                {"species": [problem("unknown_species", value=data.get("species"))]}
            )
        ind = Individual(
            id=record_id,
            origin_node=self.partner.code,
            species=species,
            sex=data.get("sex") or "unknown",
            label=str(data.get("label") or "")[:100],
            notes=str(data.get("notes") or ""),
            first_seen=data.get("first_seen") or None,
        )
        ind._codes = [(c["catalogue"], c["code"]) for c in data.get("codes") or []]
        return ind

    def event(self, record_id, data) -> SurveyEvent:
        values = {
            "protected_area": self._pa(data.get("protected_area")),
            "kind": data.get("kind"),
            **EVENT_KIND.from_wire(
                data,
                ("started_at", "ended_at", "latitude", "longitude")
                + ("effort_km", "effort_trap_nights", "effort_hours"),
            ),
        }
        cleaned = clean_event(values, access=None, ref=self.ref)
        return SurveyEvent(
            id=record_id,
            origin_node=self.partner.code,
            team=str(data.get("team") or "")[:300],
            joint_team=bool(data.get("joint_team")),
            protocol=str(data.get("protocol") or "")[:300],
            notes=str(data.get("notes") or ""),
            status=data.get("status") or RecordStatus.SHARED_BY_DEFAULT[0],
            **cleaned,
        )

    def observation(self, record_id, data, events: set, individuals: set) -> dict:
        """The row to store (a dict by column: no model instance for each of 100,000 rows)."""
        event_id, individual_id = data.get("event"), data.get("individual")
        values = {
            "protected_area": self._pa(data.get("protected_area")),
            "species": data.get("species") or "",
            "observed_at": parse_datetime(data.get("observed_at")),
            "latitude": data.get("latitude"),
            "longitude": data.get("longitude"),
            "count": data.get("count"),
            "count_min": data.get("count_min"),
            "count_max": data.get("count_max"),
            "unit": data.get("unit"),
            "evidence": data.get("evidence"),
        }
        cleaned = clean_observation(values, access=None, ref=self.ref)
        # What the partner did not send (or we do not hold) is simply not linked.
        now = timezone.now()
        return {
            "id": record_id,
            "origin_node": self.partner.code,
            "source": RecordSource.SYNC,
            "created_at": now,
            "updated_at": now,
            "protected_area_id": cleaned["protected_area"].pk,
            "species_id": cleaned["species"].pk,
            "event_id": event_id if event_id in events else None,
            "individual_id": individual_id if individual_id in individuals else None,
            "observed_at": cleaned["observed_at"],
            "latitude": cleaned["latitude"],
            "longitude": cleaned["longitude"],
            "coordinate_uncertainty_m": data.get("coordinate_uncertainty_m"),
            "count": cleaned["count"],
            "count_min": cleaned.get("count_min"),
            "count_max": cleaned.get("count_max"),
            "unit": cleaned.get("unit") or "individuals",
            "evidence": cleaned["evidence"],
            "sex": data.get("sex") or "unknown",
            "age_class": data.get("age_class") or "unknown",
            "notes": str(data.get("notes") or ""),
            "status": data.get("status") or RecordStatus.SHARED_BY_DEFAULT[0],
            "observer_code": str(data.get("observer_code") or "")[:40],
        }

    def media(self, record_id, data, events: set) -> Media:
        """A photo's description; its bytes follow separately (exchange.media_sync)."""
        sha256, event_id = str(data.get("sha256") or ""), str(data.get("event") or "")
        if not SHA256.match(sha256):
            raise ValueError("bad sha256")
        if event_id not in events:
            raise RecordInvalid({"event": [problem("unknown_event", value=event_id)]})
        if data.get("level") not in MEDIA_VARIANTS:
            raise ValueError("bad media level")
        if data.get("content_type") not in ("image/jpeg", "image/png", "image/tiff"):
            raise ValueError("bad media type")
        taken_at = parse_datetime(data.get("taken_at"))
        media = Media(
            id=record_id,
            origin_node=self.partner.code,
            deployment_id=uuid.UUID(event_id),
            sha256=sha256,
            content_type=data["content_type"],
            taken_at=taken_at,
            width=data.get("width") if isinstance(data.get("width"), int) else None,
            height=data.get("height") if isinstance(data.get("height"), int) else None,
            capture_method=data.get("capture_method")
            if data.get("capture_method") in Media.CaptureMethod.values
            else Media.CaptureMethod.ACTIVITY,
            shared_level=data["level"],
            status=Media.Status.REMOTE,
        )
        media._station = str(data.get("station") or "")[:100]
        return media

    def remark(self, record_id, data) -> Remark:
        """A remark from the partner must be about one of our records, or answer our flag."""
        subject = Observation.objects.filter(pk=data.get("subject")).first()
        parent = (
            Remark.objects.filter(pk=data.get("parent")).first() if data.get("parent") else None
        )
        ours = subject is not None and subject.origin_node == settings.NODE_CODE
        answers_ours = parent is not None and parent.origin_node == settings.NODE_CODE
        if not (ours or answers_ours):
            raise RecordInvalid({"subject": [problem("not_partners_record")]})
        kind = data.get("kind")
        if kind not in Remark.Kind.values or (
            kind == "flag" and data.get("reason") not in Remark.Reason.values
        ):
            raise ValueError("bad remark kind or reason")
        dataset = data.get("dataset") if isinstance(data.get("dataset"), dict) else {}
        version = dataset.get("version")
        return Remark(
            id=record_id,
            origin_node=self.partner.code,
            subject_id=subject.pk,
            observation=subject,
            parent=parent,
            kind=kind,
            reason=data.get("reason") or "",
            text=str(data.get("text") or "")[:5000],
            closes=bool(data.get("closes")) and kind == "answer",
            author_code=str(data.get("author_code") or "")[:40],
            author_role=str(data.get("author_role") or "")[:20],
            dataset_uuid=uuid.UUID(str(dataset["id"])) if dataset.get("id") else None,
            dataset_title=str(dataset.get("title") or "")[:300],
            dataset_version=version if isinstance(version, int) and version > 0 else None,
        )


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
    """Insert or update in bulk (COPY and one INSERT ... ON CONFLICT DO UPDATE)."""
    now = timezone.now()
    for r in records:
        if not isinstance(r, dict):
            r.updated_at = now
            r.created_at = r.created_at or now
    upsert(model, records, unique_fields=["id"], update_fields=fields)


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
    items = _check_page(partner, page)
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


# --- pulling ----------------------------------------------------------------------------------


def claim(partner: Node) -> bool:
    """Take the partner's sync for this worker; False if another worker runs it now."""
    state, _ = SyncState.objects.get_or_create(partner=partner)
    now = timezone.now()
    won = (
        SyncState.objects.filter(pk=state.pk)
        .filter(Q(running_since=None) | Q(running_since__lt=now - STALE_CLAIM))
        .update(running_since=now, last_attempt_at=now)
    )
    return bool(won)


def release(partner: Node, *, error: str = "", success: bool = False) -> None:
    updates = {"running_since": None}
    if success:
        updates["last_success_at"] = timezone.now()
        updates["last_error"] = ""
    if error:
        updates["last_error"] = error[:2000]
    SyncState.objects.filter(partner=partner).update(**updates)


def pull(
    partner: Node, *, limit: int | None = None, max_pages: int = MAX_PAGES_PER_RUN
) -> PullResult:
    """Pull and apply pages until caught up. Raises PartnerUnreachable for a retry.

    The next page is fetched while the current one is applied (its ``after`` is the
    current page's ``until``, known as soon as the page arrives), so the partner's
    work and ours overlap instead of adding up.
    """
    total = PullResult()
    if not claim(partner):
        return total
    limit = limit or settings.EXCHANGE_PAGE_SIZE
    applier = Applier(partner)

    def fetch(after: int) -> dict:
        return get_signed(partner, f"/api/v1/exchange/feed/?after={after}&limit={limit}")

    try:
        _refresh_partner_agreement(partner)
        with ThreadPoolExecutor(max_workers=1) as prefetcher:
            after = SyncState.objects.get(partner=partner).checkpoint
            page = fetch(after)
            for _ in range(max_pages):
                caught_up = page["until"] >= page.get("head", 0) or page["until"] == after
                upcoming = None if caught_up else prefetcher.submit(fetch, page["until"])
                result = apply_page(partner, page, applier)
                total.pages += 1
                total.upserts += result.upserts
                total.tombstones += result.tombstones
                total.skipped += result.skipped
                total.rejected += result.rejected
                if upcoming is None:
                    break
                after, page = page["until"], upcoming.result()
    except BaseException as exc:  # any failure: keep the reason, free the claim, re-raise
        release(partner, error=f"{type(exc).__name__}: {exc}")
        raise
    release(
        partner,
        success=not total.rejected,
        error=f"{len(total.rejected)} item(s) refused" if total.rejected else "",
    )
    return total


def _refresh_partner_agreement(partner: Node) -> None:
    body = get_signed(partner, "/api/v1/exchange/agreement/")
    SyncState.objects.filter(partner=partner).update(partner_agreement=body.get("agreement"))
