"""A received feed item as the record to store here (exchange.sync.apply stores them)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.utils import timezone

from observations.models import (
    Individual,
    Media,
    Observation,
    ProtectedArea,
    RecordStatus,
    Remark,
    SurveyEvent,
)
from observations.models.records import RecordSource
from observations.records.kinds import EVENT as EVENT_KIND
from observations.validation import (
    RecordInvalid,
    Reference,
    clean_event,
    clean_observation,
    problem,
)

from ..feed import MEDIA_VARIANTS
from ..media_sync import SHA256
from ..models import Node
from .page import parse_datetime


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
