"""Camtrap DP import, the deployments table: each row through the deployment service (and
so the one validation service: the PA's rules, the Amur basin, times)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ...errors import DomainError
from ...validation import RecordInvalid
from ..deployments import deployment_create
from .common import _record_id
from .reading import _value
from .run import ImportRun


def import_deployments(run: ImportRun, rows) -> dict:
    found = {}
    for number, row in enumerate(rows, start=2):
        key = _value(row, "deploymentID")
        if key is None:
            run.rows.error("deployments", number, "deploymentID", _("This field is required."))
            continue
        run.failed_deployments.add(key)
        started = run.rows.time("deployments", number, row, "deploymentStart")
        ended = run.rows.time("deployments", number, row, "deploymentEnd")
        make, _dash, model = (_value(row, "cameraModel") or "").partition("-")
        values = {
            "protected_area": run.pa,
            "station": (_value(row, "locationName") or _value(row, "locationID") or key)[:100],
            "started_at": started,
            "ended_at": ended,
            "latitude": run.rows.number("deployments", number, row, "latitude", float),
            "longitude": run.rows.number("deployments", number, row, "longitude", float),
            "camera_make": make[:100] if model else "",
            "camera_model": (model or make)[:100],
            "camera_serial": (_value(row, "cameraID") or "")[:100],
            "camera_height_m": run.rows.number("deployments", number, row, "cameraHeight"),
            "camera_heading": run.rows.number("deployments", number, row, "cameraHeading", int),
            "camera_tilt": run.rows.number("deployments", number, row, "cameraTilt", int),
            "camera_delay_s": run.rows.number("deployments", number, row, "cameraDelay", int),
            "detection_distance_m": run.rows.number(
                "deployments", number, row, "detectionDistance"
            ),
            "bait": bool(run.rows.boolean("deployments", number, row, "baitUse")),
            "timestamp_issues": bool(
                run.rows.boolean("deployments", number, row, "timestampIssues")
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
                    access=run.access,
                    user=run.user,
                    values=values,
                    record_id=_record_id(run.package, "deployment", key),
                    ref=run.ref,
                )
        except RecordInvalid as exc:
            run.invalid("deployments", number, exc)
            continue
        except DomainError as exc:
            run.rows.error("deployments", number, "deploymentID", exc.message)
            continue
        run.result.deployments += created
        run.result.unchanged += not created
        run.failed_deployments.discard(key)
        found[key] = deployment
    return found
