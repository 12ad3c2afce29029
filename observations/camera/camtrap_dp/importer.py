"""Camtrap DP import: everything checked, then written in one transaction (see the package)."""

from __future__ import annotations

import json
import os
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ...access import Access
from ...errors import DomainError, NotAllowed
from ...models import (
    Classification,
    IndividualCode,
    Media,
    ProtectedArea,
    Sequence,
    Species,
)
from ...models.records import Evidence, RecordSource
from ...records.services import observation_create
from ...validation import RecordInvalid, Reference
from .. import safety
from ..deployments import deployment_create
from ..images import sha256_of
from ..people import mark_people_classified
from ..sequences import gap, group_times, refresh_sequence
from .common import NAMESPACE, TABLES, _record_id
from .reading import PackageInvalid, _Archive, _refuse, _Rows, _table, _value

# --- import ----------------------------------------------------------------------------


@dataclass
class ImportResult:
    deployments: int = 0
    media: int = 0
    media_files: int = 0
    sequences: int = 0
    classifications: int = 0
    observations: int = 0
    unchanged: int = 0
    taxa_not_monitored: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return dict(self.__dict__)


def _package_key(descriptor: dict, data: bytes) -> str:
    return str(descriptor.get("id") or descriptor.get("name") or sha256_of(data))


def _event_id(package: str, deployment_id, key: str) -> uuid.UUID:
    """An event that is one of our sequences keeps its id; others are per deployment."""
    own = _record_id(package, "event", key)
    if str(own) == key.lower():
        return own
    return _record_id(package, "event", f"{deployment_id}/{key}")


def camtrap_dp_import(
    *, access: Access, user, upload, protected_area: ProtectedArea
) -> ImportResult:
    """Import a Camtrap DP package (zip) into one protected area (see the module)."""
    if not access.can_record_in(protected_area):
        raise NotAllowed(_("You may not file records for this protected area."), "forbidden")
    data = upload.read()
    archive = _Archive(data)
    raw = archive.read("datapackage.json", 10 * 1024 * 1024)
    try:
        descriptor = json.loads(raw)
    except (TypeError, ValueError) as exc:
        raise _refuse(_("datapackage.json is not valid JSON."), "bad_descriptor") from exc
    profile = str(descriptor.get("profile", ""))
    if "camtrap-dp" not in profile and "camtrap" not in str(descriptor.get("$schema", "")):
        raise _refuse(
            _("This data package does not declare the Camtrap DP profile."), "not_camtrap_dp"
        )
    tables = {name: _table(archive, descriptor, name) for name in TABLES}
    importer = _Importer(
        access=access,
        user=user,
        pa=protected_area,
        package=_package_key(descriptor, data),
        archive=archive,
    )
    return importer.run(tables)


class _Importer:
    def __init__(self, *, access, user, pa, package, archive):
        self.access, self.user, self.pa = access, user, pa
        self.package, self.archive = package, archive
        self.rows = _Rows()
        self.result = ImportResult()
        self.ref = Reference()
        self.species = {sp.scientific_name.lower(): sp for sp in Species.objects.all()}
        self.stored_files: list[str] = []
        self.to_ingest: list[str] = []
        self.failed_deployments: set[str] = set()  # their rows' errors are enough

    def run(self, tables) -> ImportResult:
        try:
            with transaction.atomic():
                deployments = self._deployments(tables["deployments"])
                media = self._media(tables["media"], deployments)
                sequences = self._sequences(tables["observations"], deployments, media)
                self._observations(tables["observations"], deployments, media, sequences)
                if self.rows.errors:
                    raise PackageInvalid(
                        _("The package has errors: nothing was imported."),
                        errors=self.rows.errors,
                    )
        except BaseException:
            for name in self.stored_files:
                default_storage.delete(name)
            raise
        for media_id in self.to_ingest:
            transaction.on_commit(lambda media_id=media_id: _enqueue(media_id))
        return self.result

    # deployments ----------------------------------------------------------------------
    def _deployments(self, rows) -> dict:
        found = {}
        for number, row in enumerate(rows, start=2):
            key = _value(row, "deploymentID")
            if key is None:
                self.rows.error("deployments", number, "deploymentID", _("This field is required."))
                continue
            self.failed_deployments.add(key)
            started = self.rows.time("deployments", number, row, "deploymentStart")
            ended = self.rows.time("deployments", number, row, "deploymentEnd")
            make, _dash, model = (_value(row, "cameraModel") or "").partition("-")
            values = {
                "protected_area": self.pa,
                "station": (_value(row, "locationName") or _value(row, "locationID") or key)[:100],
                "started_at": started,
                "ended_at": ended,
                "latitude": self.rows.number("deployments", number, row, "latitude", float),
                "longitude": self.rows.number("deployments", number, row, "longitude", float),
                "camera_make": make[:100] if model else "",
                "camera_model": (model or make)[:100],
                "camera_serial": (_value(row, "cameraID") or "")[:100],
                "camera_height_m": self.rows.number("deployments", number, row, "cameraHeight"),
                "camera_heading": self.rows.number(
                    "deployments", number, row, "cameraHeading", int
                ),
                "camera_tilt": self.rows.number("deployments", number, row, "cameraTilt", int),
                "camera_delay_s": self.rows.number("deployments", number, row, "cameraDelay", int),
                "detection_distance_m": self.rows.number(
                    "deployments", number, row, "detectionDistance"
                ),
                "bait": bool(self.rows.boolean("deployments", number, row, "baitUse")),
                "timestamp_issues": bool(
                    self.rows.boolean("deployments", number, row, "timestampIssues")
                ),
                "feature_type": _value(row, "featureType") or "",
                "habitat": (_value(row, "habitat") or "")[:200],
                "external_id": key[:100],
                "notes": _value(row, "deploymentComments") or "",
            }
            if values["camera_height_m"] is not None:
                values["camera_height_m"] = values["camera_height_m"].quantize(Decimal("0.01"))
            if values["detection_distance_m"] is not None:
                values["detection_distance_m"] = values["detection_distance_m"].quantize(
                    Decimal("0.01")
                )
            if started is None or ended is None:
                continue
            try:
                with transaction.atomic():
                    deployment, created = deployment_create(
                        access=self.access,
                        user=self.user,
                        values=values,
                        record_id=_record_id(self.package, "deployment", key),
                        ref=self.ref,
                    )
            except RecordInvalid as exc:
                for name, problems in exc.errors.items():
                    for problem in problems:
                        self.rows.error("deployments", number, _column(name), problem.message)
                continue
            except DomainError as exc:
                self.rows.error("deployments", number, "deploymentID", exc.message)
                continue
            self.result.deployments += created
            self.result.unchanged += not created
            self.failed_deployments.discard(key)
            found[key] = deployment
        return found

    # media ----------------------------------------------------------------------------
    def _media(self, rows, deployments) -> dict:
        found = {}
        existing = {
            m.pk: m
            for m in Media.objects.filter(
                pk__in=[
                    _record_id(self.package, "media", _value(r, "mediaID") or "")
                    for r in rows
                    if _value(r, "mediaID")
                ]
            )
        }
        for number, row in enumerate(rows, start=2):
            key, deployment_key = _value(row, "mediaID"), _value(row, "deploymentID")
            if key is None:
                self.rows.error("media", number, "mediaID", _("This field is required."))
                continue
            deployment = deployments.get(deployment_key)
            if deployment is None:
                if deployment_key not in self.failed_deployments:
                    self.rows.error(
                        "media",
                        number,
                        "deploymentID",
                        _("Unknown deployment: %(value)s.") % {"value": deployment_key},
                    )
                continue
            taken = self.rows.time("media", number, row, "timestamp")
            record_id = _record_id(self.package, "media", key)
            if record_id in existing:
                found[key] = existing[record_id]
                self.result.unchanged += 1
                continue
            media = Media(
                id=record_id,
                deployment=deployment,
                taken_at=taken,
                original_name=(_value(row, "fileName") or "")[:255],
                content_type=(_value(row, "fileMediatype") or "image/jpeg")[:40],
                capture_method=_value(row, "captureMethod") or Media.CaptureMethod.ACTIVITY,
                favourite=bool(self.rows.boolean("media", number, row, "favorite")),
                remote_path=(_value(row, "filePath") or "")[:500],
                external_id=key[:100],
                status=Media.Status.REMOTE,
                created_by=self.user,
                updated_by=self.user,
                origin_node=settings.NODE_CODE,
            )
            if media.capture_method not in Media.CaptureMethod.values:
                media.capture_method = Media.CaptureMethod.ACTIVITY
            self._attach_file(media, number)
            media.save(force_insert=True)
            found[key] = media
            self.result.media += 1
        return found

    def _attach_file(self, media: Media, number: int) -> None:
        """A photo carried in the zip is checked and stored like an upload."""
        data = self.archive.read(media.remote_path, safety.max_bytes())
        if data is None:
            return
        try:
            check = safety.check_image(data)
        except safety.UploadRefused as exc:
            self.rows.error("media", number, "filePath", exc.message)
            return
        digest = sha256_of(data)
        if Media.objects.filter(sha256=digest).exists():
            return  # the same photo is already here: keep this row as metadata only
        media.sha256, media.content_type = digest, check.content_type
        media.width, media.height, media.size_bytes = check.width, check.height, len(data)
        media.original_name = media.original_name or os.path.basename(media.remote_path)[:255]
        name = default_storage.save(
            media.file.field.generate_filename(media, ""), ContentFile(data)
        )
        self.stored_files.append(name)
        media.file.name, media.remote_path = name, ""
        media.status = Media.Status.PENDING
        self.to_ingest.append(str(media.pk))
        self.result.media_files += 1

    # sequences ------------------------------------------------------------------------
    def _sequences(self, rows, deployments, media) -> dict:
        """One sequence per event; photos of no event grouped by the usual gap."""
        events: dict[tuple, dict] = {}
        for number, row in enumerate(rows, start=2):
            deployment = deployments.get(_value(row, "deploymentID"))
            if deployment is None:
                continue
            key = _value(row, "eventID") or (
                f"media:{_value(row, 'mediaID')}" if _value(row, "mediaID") else None
            )
            if key is None:
                key = f"row:{number}"
            start = self.rows.time("observations", number, row, "eventStart")
            end = self.rows.time("observations", number, row, "eventEnd") or start
            event = events.setdefault(
                (deployment.pk, key),
                {"deployment": deployment, "start": start, "end": end, "media": set()},
            )
            if start and (event["start"] is None or start < event["start"]):
                event["start"] = start
            if end and (event["end"] is None or end > event["end"]):
                event["end"] = end
            media_key = _value(row, "mediaID")
            if media_key and media_key in media:
                event["media"].add(media[media_key].pk)

        sequences = {}
        by_deployment = defaultdict(list)
        for m in media.values():
            by_deployment[m.deployment_id].append(m)
        claimed = set()
        for (deployment_id, key), event in events.items():
            record_id = _event_id(self.package, deployment_id, key)
            sequence = Sequence.objects.filter(pk=record_id).first()
            if sequence is None:
                sequence = Sequence.objects.create(
                    id=record_id,
                    deployment=event["deployment"],
                    started_at=event["start"],
                    ended_at=event["end"],
                    external_id=key[:100],
                    created_by=self.user,
                    updated_by=self.user,
                )
                self.result.sequences += 1
            members = set(event["media"])
            if event["start"] is not None:
                members |= {
                    m.pk
                    for m in by_deployment[deployment_id]
                    if m.taken_at and event["start"] <= m.taken_at <= event["end"]
                }
            members -= claimed
            claimed |= members
            Media.objects.filter(pk__in=members, sequence__isnull=True).update(sequence=sequence)
            sequences[(deployment_id, key)] = sequence
        for deployment_id, items in by_deployment.items():
            loose = sorted(
                (m for m in items if m.pk not in claimed and m.sequence_id is None and m.taken_at),
                key=lambda m: m.taken_at,
            )
            groups = group_times([m.taken_at for m in loose], gap())
            made = {}
            for m, group in zip(loose, groups, strict=True):
                if group not in made:
                    made[group] = Sequence.objects.create(
                        id=_record_id(self.package, "event", f"{deployment_id}/gap/{m.pk}"),
                        deployment_id=deployment_id,
                        created_by=self.user,
                        updated_by=self.user,
                    )
                    self.result.sequences += 1
                Media.objects.filter(pk=m.pk).update(sequence=made[group])
        for sequence in Sequence.objects.filter(deployment_id__in=list(by_deployment)):
            if sequence.media.exists():
                refresh_sequence(sequence)
        return sequences

    # observations ---------------------------------------------------------------------
    def _observations(self, rows, deployments, media, sequences) -> None:
        known = set(
            Classification.objects.filter(
                pk__in=[
                    _record_id(self.package, "observation", _value(r, "observationID") or "")
                    for r in rows
                    if _value(r, "observationID")
                ]
            ).values_list("pk", flat=True)
        )
        event_level = {
            (_value(r, "deploymentID"), _value(r, "eventID"))
            for r in rows
            if _value(r, "observationLevel") == "event" and _value(r, "eventID")
        }
        filed_media_groups: dict[tuple, Classification] = {}
        not_monitored = set()
        touched: dict = {}
        for number, row in enumerate(rows, start=2):
            key = _value(row, "observationID")
            deployment = deployments.get(_value(row, "deploymentID"))
            if key is None:
                self.rows.error(
                    "observations", number, "observationID", _("This field is required.")
                )
                continue
            if deployment is None:
                if _value(row, "deploymentID") not in self.failed_deployments:
                    self.rows.error(
                        "observations",
                        number,
                        "deploymentID",
                        _("Unknown deployment: %(value)s.")
                        % {"value": _value(row, "deploymentID")},
                    )
                continue
            record_id = _record_id(self.package, "observation", key)
            if record_id in known:
                self.result.unchanged += 1
                continue
            event_key = _value(row, "eventID") or (
                f"media:{_value(row, 'mediaID')}" if _value(row, "mediaID") else f"row:{number}"
            )
            sequence = sequences.get((deployment.pk, event_key))
            if sequence is None:
                continue
            kind = _value(row, "observationType") or Classification.Kind.UNCLASSIFIED
            if kind not in Classification.Kind.values:
                self.rows.error(
                    "observations",
                    number,
                    "observationType",
                    _("Unknown value: %(value)s.") % {"value": kind},
                )
                continue
            level = _value(row, "observationLevel") or "event"
            media_key = _value(row, "mediaID")
            if level == "media" and media_key and media_key not in media:
                self.rows.error(
                    "observations",
                    number,
                    "mediaID",
                    _("Unknown media: %(value)s.") % {"value": media_key},
                )
                continue
            name = _value(row, "scientificName") or ""
            species = self.species.get(name.lower()) if name else None
            if kind == Classification.Kind.ANIMAL and name and species is None:
                not_monitored.add(name)
            count = self.rows.number("observations", number, row, "count", int)
            probability = self.rows.number(
                "observations", number, row, "classificationProbability", float
            )
            classification = Classification(
                id=record_id,
                sequence=sequence,
                media=media.get(media_key) if level == "media" and media_key else None,
                kind=kind,
                species=species,
                scientific_name=name[:200],
                count=count if count and count > 0 else None,
                life_stage=(_value(row, "lifeStage") or "")[:20],
                sex=(_value(row, "sex") or "")[:10],
                behaviour=(_value(row, "behavior") or "")[:200],
                individual_label=(_value(row, "individualID") or "")[:100],
                method=_value(row, "classificationMethod") or Classification.Method.HUMAN,
                probability=probability,
                classified_by=(_value(row, "classifiedBy") or "")[:200],
                classified_at=self.rows.time(
                    "observations", number, row, "classificationTimestamp", required=False
                ),
                external_id=key[:100],
                comments=_value(row, "observationComments") or "",
                created_by=self.user,
                updated_by=self.user,
            )
            if classification.method not in Classification.Method.values:
                classification.method = Classification.Method.HUMAN
            classification.individual = self._individual(classification.individual_label, species)
            classification.save(force_insert=True)
            self.result.classifications += 1
            touched[sequence.pk] = sequence

            files_observation = species is not None and species.monitored
            if level == "media":
                group = (deployment.pk, event_key, name.lower())
                has_event_rows = (_value(row, "deploymentID"), _value(row, "eventID")) in (
                    event_level
                )
                if has_event_rows or group in filed_media_groups:
                    files_observation = False
                filed_media_groups.setdefault(group, classification)
            if kind == Classification.Kind.ANIMAL and files_observation:
                self._file_observation(classification, sequence, deployment, number)

        for sequence in touched.values():
            kinds = set(sequence.classifications.values_list("kind", flat=True))
            if Classification.Kind.ANIMAL in kinds:
                sequence.state = Sequence.State.ANIMALS
            elif kinds & {Classification.Kind.HUMAN, Classification.Kind.VEHICLE}:
                sequence.state = Sequence.State.OTHER
            elif kinds == {Classification.Kind.BLANK}:
                sequence.state = Sequence.State.EMPTY
            sequence.save(update_fields=["state", "updated_at"])
        # Photos the package classifies as human (or vehicle), themselves or by their
        # event, are marked as showing people here, in the import's transaction: the one
        # rule (observations.camera.people), with feed entries for those that change.
        mark_people_classified(
            sequences=list(touched), media=[m.pk for m in media.values()], user=self.user
        )
        self.result.taxa_not_monitored = sorted(not_monitored)

    def _individual(self, label: str, species):
        if not label or species is None:
            return None
        catalogue, _sep, code = label.partition(" ")
        if catalogue.upper() in ("RU", "CN", "MN") and code:
            found = (
                IndividualCode.objects.filter(catalogue=catalogue.upper(), code__iexact=code)
                .select_related("individual")
                .first()
            )
            if found and found.individual.species_id == species.pk:
                return found.individual
        return None

    def _file_observation(self, classification, sequence, deployment, number):
        event = deployment.event
        values = {
            "protected_area": self.pa,
            "species": classification.species,
            "event": event,
            "observed_at": sequence.started_at,
            "latitude": event.latitude,
            "longitude": event.longitude,
            "count": classification.count or 1,
            "evidence": Evidence.CAMERA,
            "individual": classification.individual,
        }
        if classification.sex in ("male", "female"):
            values["sex"] = classification.sex
        if classification.life_stage in ("adult", "subadult", "juvenile"):
            values["age_class"] = classification.life_stage
        try:
            with transaction.atomic():
                observation, created = observation_create(
                    access=self.access,
                    user=self.user,
                    values=values,
                    record_id=uuid.uuid5(NAMESPACE, f"observation-record/{classification.pk}"),
                    source=RecordSource.IMPORT,
                    ref=self.ref,
                )
        except RecordInvalid as exc:
            for name, problems in exc.errors.items():
                for problem in problems:
                    self.rows.error("observations", number, _column(name), problem.message)
            return
        classification.observation = observation
        classification.save(update_fields=["observation"])
        self.result.observations += created


def _column(name: str) -> str:
    return {
        "started_at": "deploymentStart",
        "ended_at": "deploymentEnd",
        "latitude": "latitude",
        "longitude": "longitude",
        "protected_area": "deploymentID",
        "working_until": "deploymentEnd",
        "station": "locationName",
        "observed_at": "eventStart",
        "species": "scientificName",
        "count": "count",
        "individual": "individualID",
        "evidence": "observationType",
    }.get(name, name)


def _enqueue(media_id: str) -> None:
    from ..tasks import ingest_media

    ingest_media.delay(media_id)
