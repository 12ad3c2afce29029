"""Camtrap DP export: a zip of datapackage.json and the three tables (see the package)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ...access import Access
from ...disclosure import EXACT, PUBLIC, coarsest
from ...disclosure.policy import photo_shown_sql
from ...errors import NotAllowed
from ...models import Classification, Deployment, Media, Sequence
from ..outgoing import outgoing_bytes
from .common import (
    BASE,
    DEPLOYMENT_COLUMNS,
    EXTENSIONS,
    MEDIA_COLUMNS,
    OBSERVATION_COLUMNS,
    PROFILE,
    TABLES,
)

# --- helpers ---------------------------------------------------------------------------


def _stamp(value: dt.datetime | None, zone=None) -> str:
    """ISO 8601 with the offset, as the schemas' %Y-%m-%dT%H:%M:%S%z wants."""
    if value is None:
        return ""
    value = value.astimezone(zone or dt.UTC).replace(microsecond=0)
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") and zone is None else text


def _num(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        value = value.normalize()
        return format(value, "f")
    return str(value)


def _bool(value: bool | None) -> str:
    return "" if value is None else ("true" if value else "false")


def _taxon_rank(name: str) -> str:
    return "subspecies" if len(name.split()) >= 3 else "species"


def _camera_model(deployment: Deployment) -> str:
    parts = [p for p in (deployment.camera_make, deployment.camera_model) if p]
    return "-".join(parts)


def _individual_id(individual) -> str:
    if individual is None:
        return ""
    codes = sorted(individual.codes.all(), key=lambda c: c.catalogue != settings.NODE_CODE)
    return f"{codes[0].catalogue} {codes[0].code}" if codes else str(individual.pk)


# --- export ----------------------------------------------------------------------------


@dataclass
class _Place:
    latitude: float
    longitude: float
    uncertainty: int | None
    precision: str


def _deployment_places(deployments: list[Deployment]) -> dict:
    """Each station's place as it may leave: a Camtrap DP package is made to be published
    (GBIF takes it as it is), so whoever asks, stations are shown as the disclosure policy
    shows them to the public (observations.disclosure: the station rule, 10 km or
    coarser), whatever has or has not been classified there yet."""
    places = {}
    for d in deployments:
        place = PUBLIC.station_place(d.event)
        places[d.pk] = _Place(place.latitude, place.longitude, place.uncertainty_m, place.precision)
    return places


def _csv(columns: list[str], rows) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


def camtrap_dp_export(
    *, access: Access, deployments, include_media: bool = False, title: str = ""
) -> bytes:
    """A Camtrap DP package (zip) of the given deployments (a queryset the caller has
    checked with access.can_export_deployments_of)."""
    chosen = list(
        access.visible_deployments(deployments)
        .filter(event__ended_at__isnull=False)
        .select_related("event__protected_area")
        .order_by("event__started_at", "event_id")
    )
    for d in chosen:
        if not access.can_export_deployments_of(d.event.protected_area):
            raise NotAllowed(_("You may not export this protected area's data."), "forbidden")
    places = _deployment_places(chosen)
    ids = [d.pk for d in chosen]

    # A package is published: a photo the policy does not show the public (it shows
    # people and no coordinator released it) is never listed, nor is any observation row
    # that points at it: only the photos in ``media_ids`` may be named by a row.
    media = list(
        Media.objects.filter(photo_shown_sql(PUBLIC), deployment_id__in=ids, taken_at__isnull=False)
        .exclude(status=Media.Status.FAILED)
        .order_by("deployment_id", "taken_at", "id")
    )
    media_ids = {m.pk for m in media}
    sequences = (
        Sequence.objects.filter(deployment_id__in=ids, started_at__isnull=False)
        .exclude(state=Sequence.State.UNCLASSIFIED)
        .prefetch_related(
            Prefetch(
                "classifications",
                queryset=Classification.objects.select_related("species", "individual")
                .prefetch_related("individual__codes")
                .order_by("created_at", "id"),
            )
        )
        .order_by("deployment_id", "started_at", "id")
    )

    files: dict[str, bytes] = {}
    media_rows = []
    capture_methods = set()
    for m in media:
        path = m.remote_path or f"media/{m.pk}{EXTENSIONS.get(m.content_type, '')}"
        if include_media and m.file:
            path = f"media/{m.pk}{EXTENSIONS.get(m.content_type, '')}"
            files[path] = outgoing_bytes(m, for_partner=True)
        capture_methods.add(m.capture_method)
        media_rows.append(
            {
                "mediaID": str(m.pk),
                "deploymentID": str(m.deployment_id),
                "captureMethod": m.capture_method,
                "timestamp": _stamp(m.taken_at),
                "filePath": path,
                "filePublic": "false",
                "fileName": "",  # a camera's file names may carry its serial or place
                "fileMediatype": m.content_type,
                "favorite": _bool(m.favourite),
            }
        )

    observation_rows, species_seen, levels, individuals = [], {}, set(), False
    for sequence in sequences:
        for c in sequence.classifications.all():
            level = "event"
            if c.media_id is not None:
                if c.media_id not in media_ids:
                    continue  # its photo stays on the node (withheld, or without a time)
                level = "media"
            levels.add(level)
            if c.species is not None:
                species_seen[c.species.pk] = c.species
            individuals = individuals or c.individual_id is not None
            observation_rows.append(
                {
                    "observationID": str(c.pk),
                    "deploymentID": str(sequence.deployment_id),
                    "mediaID": str(c.media_id) if c.media_id else "",
                    "eventID": str(sequence.pk),
                    "eventStart": _stamp(sequence.started_at),
                    "eventEnd": _stamp(sequence.ended_at or sequence.started_at),
                    "observationLevel": level,
                    "observationType": c.kind,
                    "scientificName": c.species.scientific_name if c.species else c.scientific_name,
                    "count": c.count or "",
                    "lifeStage": c.life_stage,
                    "sex": c.sex if c.sex in ("female", "male") else "",
                    "behavior": c.behaviour,
                    "individualID": _individual_id(c.individual) or c.individual_label,
                    "classificationMethod": c.method,
                    "classifiedBy": c.classified_by,
                    "classificationTimestamp": _stamp(c.classified_at),
                    "classificationProbability": _num(c.probability),
                    "observationComments": "",
                }
            )

    deployment_rows = []
    for d in chosen:
        event, place = d.event, places[d.pk]
        zone = event.protected_area.tz
        deployment_rows.append(
            {
                "deploymentID": str(d.pk),
                "locationID": PUBLIC.label(d.station, place.precision),
                "locationName": PUBLIC.label(d.station, place.precision),
                "latitude": _num(place.latitude),
                "longitude": _num(place.longitude),
                "coordinateUncertainty": place.uncertainty or "",
                "deploymentStart": _stamp(event.started_at, zone),
                "deploymentEnd": _stamp(d.working_until or event.ended_at, zone),
                "cameraID": "",  # the serial number stays home: it tells whose camera
                "cameraModel": _camera_model(d),
                "cameraDelay": _num(d.camera_delay_s),
                "cameraHeight": _num(d.camera_height_m),
                "cameraTilt": _num(d.camera_tilt),
                "cameraHeading": _num(d.camera_heading),
                "detectionDistance": _num(d.detection_distance_m),
                "timestampIssues": _bool(d.timestamp_issues),
                "baitUse": _bool(d.bait),
                "featureType": d.feature_type,
                "habitat": d.habitat,
                "deploymentGroups": f"protectedArea:{event.protected_area.code}",
                "deploymentComments": d.get_problem_display() if d.problem else "",
            }
        )

    descriptor = _descriptor(
        chosen,
        places,
        species=list(species_seen.values()),
        capture_methods=capture_methods,
        levels=levels,
        individuals=individuals,
        title=title,
        include_media=include_media,
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", json.dumps(descriptor, ensure_ascii=False, indent=2))
        archive.writestr("deployments.csv", _csv(DEPLOYMENT_COLUMNS, deployment_rows))
        archive.writestr("media.csv", _csv(MEDIA_COLUMNS, media_rows))
        archive.writestr("observations.csv", _csv(OBSERVATION_COLUMNS, observation_rows))
        for path, data in files.items():
            archive.writestr(path, data, compress_type=zipfile.ZIP_STORED)
    return out.getvalue()


def _descriptor(
    deployments, places, *, species, capture_methods, levels, individuals, title, include_media
):
    now = timezone.now()
    lats = [p.latitude for p in places.values() if p.latitude is not None]
    lons = [p.longitude for p in places.values() if p.longitude is not None]
    if lats:
        west, east = min(lons) - 0.05, max(lons) + 0.05
        south, north = min(lats) - 0.05, max(lats) + 0.05
    else:
        west, south, east, north = settings.AMUR_BASIN_BBOX
    starts = [d.event.started_at for d in deployments] or [now]
    ends = [d.event.ended_at or d.event.started_at for d in deployments] or [now]
    precisions = {p.precision for p in places.values()}
    pas = sorted({d.event.protected_area.name_en for d in deployments})
    contributors = [{"title": settings.NODE_NAME, "role": "publisher"}]
    contributors += [{"title": name, "role": "rightsHolder"} for name in pas]
    descriptor = {
        "resources": [
            {
                "name": name,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": f"{BASE}{name}-table-schema.json",
            }
            for name in TABLES
        ],
        "profile": PROFILE,
        "name": f"amur-exchange-{settings.NODE_CODE.lower()}-{now:%Y%m%d%H%M%S}",
        "id": str(uuid.uuid4()),
        "created": _stamp(now),
        "title": title
        or f"{settings.NODE_NAME}: camera traps of {', '.join(pas) or 'no protected area'}",
        "contributors": contributors,
        "description": (
            "Camera-trap data shared by an Amur Exchange node. Locations of sensitive "
            "species' stations are generalised (coordinateUncertainty gives the cell); "
            "photos showing people are left out"
            + ("" if include_media else "; photo files are not included in this package")
            + "."
        ),
        "version": "1.0",
        "keywords": ["camera traps", "Amur basin", "transboundary monitoring"],
        "project": {
            "id": settings.NODE_CODE,
            "title": "Amur Exchange joint monitoring",
            "samplingDesign": "targeted",
            "captureMethod": sorted(capture_methods) or ["activityDetection"],
            "individualAnimals": bool(individuals),
            "observationLevel": sorted(levels) or ["event"],
        },
        "spatial": {
            "type": "Polygon",
            "coordinates": [
                [[west, south], [east, south], [east, north], [west, north], [west, south]]
            ],
        },
        "temporal": {
            "start": min(starts).date().isoformat(),
            "end": max(ends).date().isoformat(),
        },
        "taxonomic": [
            {
                "scientificName": sp.scientific_name,
                "taxonRank": _taxon_rank(sp.scientific_name),
                "vernacularNames": {
                    code: name
                    for code, name in (
                        ("eng", sp.name_en),
                        ("rus", sp.name_ru),
                        ("zho", sp.name_zh),
                    )
                    if name
                },
            }
            for sp in sorted(species, key=lambda s: s.scientific_name)
        ],
        "licenses": [
            {"name": "CC-BY-4.0", "scope": "data"},
            {"name": "CC-BY-4.0", "scope": "media"},
        ],
    }
    if precisions - {EXACT}:
        descriptor["coordinatePrecision"] = {"1km": 0.01, "10km": 0.1}.get(
            coarsest(precisions), 0.1
        )
    return descriptor
