"""Camtrap DP import, the observations table: every row becomes a classification (a
``human`` or ``vehicle`` one marks its photos, or its event's, as showing people:
observations.camera.people); animal rows of species this node monitors also become
Observation records (evidence "camera", source "file import"), at event level, or from the
media-level rows of an event that has none."""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ...models import Classification, IndividualCode, Sequence
from ...models.records import Evidence, RecordSource
from ...records.services import observation_create
from ...validation import RecordInvalid
from ..people import mark_people_classified
from .common import NAMESPACE, _record_id
from .reading import _value
from .run import ImportRun


def import_observations(run: ImportRun, rows, deployments, media, sequences) -> None:
    known = set(
        Classification.objects.filter(
            pk__in=[
                _record_id(run.package, "observation", _value(r, "observationID") or "")
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
            run.rows.error("observations", number, "observationID", _("This field is required."))
            continue
        if deployment is None:
            if _value(row, "deploymentID") not in run.failed_deployments:
                run.rows.error(
                    "observations",
                    number,
                    "deploymentID",
                    _("Unknown deployment: %(value)s.") % {"value": _value(row, "deploymentID")},
                )
            continue
        record_id = _record_id(run.package, "observation", key)
        if record_id in known:
            run.result.unchanged += 1
            continue
        event_key = _value(row, "eventID") or (
            f"media:{_value(row, 'mediaID')}" if _value(row, "mediaID") else f"row:{number}"
        )
        sequence = sequences.get((deployment.pk, event_key))
        if sequence is None:
            continue
        kind = _value(row, "observationType") or Classification.Kind.UNCLASSIFIED
        if kind not in Classification.Kind.values:
            run.rows.error(
                "observations",
                number,
                "observationType",
                _("Unknown value: %(value)s.") % {"value": kind},
            )
            continue
        level = _value(row, "observationLevel") or "event"
        media_key = _value(row, "mediaID")
        if level == "media" and media_key and media_key not in media:
            run.rows.error(
                "observations",
                number,
                "mediaID",
                _("Unknown media: %(value)s.") % {"value": media_key},
            )
            continue
        name = _value(row, "scientificName") or ""
        species = run.species.get(name.lower()) if name else None
        if kind == Classification.Kind.ANIMAL and name and species is None:
            not_monitored.add(name)
        count = run.rows.number("observations", number, row, "count", int)
        probability = run.rows.number(
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
            classified_at=run.rows.time(
                "observations", number, row, "classificationTimestamp", required=False
            ),
            external_id=key[:100],
            comments=_value(row, "observationComments") or "",
            created_by=run.user,
            updated_by=run.user,
        )
        if classification.method not in Classification.Method.values:
            classification.method = Classification.Method.HUMAN
        classification.individual = _individual(classification.individual_label, species)
        classification.save(force_insert=True)
        run.result.classifications += 1
        touched[sequence.pk] = sequence

        files_observation = species is not None and species.monitored
        if level == "media":
            group = (deployment.pk, event_key, name.lower())
            has_event_rows = (_value(row, "deploymentID"), _value(row, "eventID")) in (event_level)
            if has_event_rows or group in filed_media_groups:
                files_observation = False
            filed_media_groups.setdefault(group, classification)
        if kind == Classification.Kind.ANIMAL and files_observation:
            _file_observation(run, classification, sequence, deployment, number)

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
        sequences=list(touched), media=[m.pk for m in media.values()], user=run.user
    )
    run.result.taxa_not_monitored = sorted(not_monitored)


def _individual(label: str, species):
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


def _file_observation(run: ImportRun, classification, sequence, deployment, number):
    event = deployment.event
    values = {
        "protected_area": run.pa,
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
                access=run.access,
                user=run.user,
                values=values,
                record_id=uuid.uuid5(NAMESPACE, f"observation-record/{classification.pk}"),
                source=RecordSource.IMPORT,
                ref=run.ref,
            )
    except RecordInvalid as exc:
        run.invalid("observations", number, exc)
        return
    classification.observation = observation
    classification.save(update_fields=["observation"])
    run.result.observations += created
