"""Deployments: a camera station's season, filed as a "camera_trap" SurveyEvent (through
observations.records.services, so the event is validated, audited and fed to partners like
any other) with its camera details beside it.

The effort is counted in trap-nights: the days between the start and the end, or until
``working_until`` when the camera failed before it was collected. It is computed here,
never typed, and kept on the event's ``effort_trap_nights``.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ..access import Access
from ..errors import Conflict, DomainError, NotAllowed
from ..models import Deployment, Media, SurveyEvent
from ..records.services import event_create, event_update, record_delete
from ..validation import Problem, RecordInvalid, Reference, to_utc

EVENT_FIELDS = [
    "protected_area",
    "started_at",
    "ended_at",
    "latitude",
    "longitude",
    "datum",
    "team",
    "joint_team",
    "protocol",
    "notes",
]
DETAIL_FIELDS = [
    "station",
    "camera_make",
    "camera_model",
    "camera_serial",
    "camera_height_m",
    "camera_heading",
    "camera_tilt",
    "camera_delay_s",
    "detection_distance_m",
    "bait",
    "feature_type",
    "habitat",
    "problem",
    "working_until",
    "timestamp_issues",
    "setup_by",
    "external_id",
]
TEXT_DETAILS = {
    "station",
    "camera_make",
    "camera_model",
    "camera_serial",
    "feature_type",
    "habitat",
    "problem",
    "setup_by",
    "external_id",
}

MESSAGES = {
    "required": _("This field is required."),
    "position_required": _("Give the camera's position (latitude and longitude)."),
    "heading_range": _("The heading is between 0 and 360 degrees."),
    "tilt_range": _("The tilt is between -90 and 90 degrees."),
    "not_negative": _("This cannot be negative."),
    "working_until_outside": _("The camera cannot stop working before it was set up."),
    "working_until_after_end": _("The camera cannot stop working after it was collected."),
    "unknown_choice": _("Unknown value: %(value)s."),
}


def _problem(code: str, **params) -> Problem:
    message = MESSAGES[code]
    return Problem(code, message % params if params else message)


def trap_nights(
    started: dt.datetime | None, ended: dt.datetime | None, working_until: dt.datetime | None
) -> Decimal | None:
    """Days the camera was working, to a tenth: ``None`` while it is still out."""
    if started is None or ended is None:
        return None
    stop = min(ended, working_until) if working_until else ended
    days = max(Decimal(0), Decimal((stop - started).total_seconds()) / Decimal(86400))
    return days.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _split(values: dict) -> tuple[dict, dict]:
    event = {k: values[k] for k in EVENT_FIELDS if k in values}
    details = {k: values[k] for k in DETAIL_FIELDS if k in values}
    for name in TEXT_DETAILS & details.keys():
        details[name] = (details[name] or "").strip()
    return event, details


def _check_details(details: dict, event: dict, ref: Reference, *, partial: bool) -> None:
    errors: dict[str, list[Problem]] = {}

    def add(name, code, **params):
        errors.setdefault(name, []).append(_problem(code, **params))

    if not partial and not details.get("station"):
        add("station", "required")
    if "station" in details and partial and not details["station"]:
        add("station", "required")
    if event.get("latitude") is None or event.get("longitude") is None:
        add("latitude", "position_required")
    heading = details.get("camera_heading")
    if heading is not None and not 0 <= heading <= 360:
        add("camera_heading", "heading_range")
    tilt = details.get("camera_tilt")
    if tilt is not None and not -90 <= tilt <= 90:
        add("camera_tilt", "tilt_range")
    for name in ("camera_height_m", "camera_delay_s", "detection_distance_m"):
        if details.get(name) is not None and details[name] < 0:
            add(name, "not_negative")
    for name, choices in (
        ("problem", Deployment.Problem.values),
        ("feature_type", Deployment.FeatureType.values),
    ):
        if details.get(name) and details[name] not in choices:
            add(name, "unknown_choice", value=details[name])
    until = details.get("working_until")
    started = event.get("started_at")
    if until is not None and started is not None:
        pa = ref.protected_area(event.get("protected_area") or "")
        until_utc = to_utc(until, pa)
        if until_utc < to_utc(started, pa):
            add("working_until", "working_until_outside")
        ended = event.get("ended_at")
        if ended is not None and until_utc > to_utc(ended, pa):
            add("working_until", "working_until_after_end")
    if errors:
        raise RecordInvalid(errors)


def _effort(event: dict, details: dict, ref: Reference) -> Decimal | None:
    pa = ref.protected_area(event.get("protected_area") or "")
    try:
        started = to_utc(event["started_at"], pa) if event.get("started_at") else None
        ended = to_utc(event["ended_at"], pa) if event.get("ended_at") else None
        until = details.get("working_until")
        until = to_utc(until, pa) if until else None
    except (TypeError, ValueError):
        return None
    return trap_nights(started, ended, until)


def deployment_create(
    *, access: Access, user, values: dict, record_id=None, ref: Reference | None = None
) -> tuple[Deployment, bool]:
    """File a deployment (its event as a draft). Returns (deployment, created); sending the
    same id again answers with the stored deployment."""
    ref = ref or Reference()
    event_values, details = _split(values)
    _check_details(details, event_values, ref, partial=False)
    details.pop("datum", None)
    details["working_until"] = (
        to_utc(details["working_until"], ref.protected_area(event_values["protected_area"]))
        if details.get("working_until")
        else None
    )
    event_values["kind"] = SurveyEvent.Kind.CAMERA_TRAP
    event_values["effort_trap_nights"] = _effort(event_values, details, ref)
    with transaction.atomic():
        event, created = event_create(
            access=access, user=user, values=event_values, record_id=record_id, ref=ref
        )
        if not created:
            existing = Deployment.objects.filter(event=event).first()
            if existing is None:
                raise Conflict(_("A different record already has this id."), "id_conflict")
            return existing, False
        deployment = Deployment(event=event, **details)
        deployment.save(force_insert=True)
    return deployment, True


def deployment_update(*, access: Access, user, deployment: Deployment, values: dict) -> Deployment:
    """Change a deployment's place, times or camera details (while its event is editable);
    the trap-nights follow."""
    if not access.can_edit_deployment(deployment):
        raise NotAllowed(_("You may not change this deployment."), "forbidden")
    event = deployment.event
    ref = Reference()
    event_values, details = _split(values)
    current = {name: getattr(event, name) for name in EVENT_FIELDS if hasattr(event, name)}
    current["protected_area"] = event.protected_area
    current.update(event_values)
    merged = {name: getattr(deployment, name) for name in DETAIL_FIELDS}
    merged.update(details)
    _check_details(merged, current, ref, partial=True)
    if merged.get("working_until"):
        merged["working_until"] = to_utc(merged["working_until"], event.protected_area)
    event_values["effort_trap_nights"] = _effort(current, merged, ref)
    with transaction.atomic():
        event_update(access=access, user=user, event=event, values=event_values)
        for name in DETAIL_FIELDS:
            setattr(deployment, name, merged[name])
        deployment.save()
    return deployment


def deployment_delete(*, access: Access, deployment: Deployment) -> None:
    """Delete a draft deployment (its survey event, as any draft), once it has no photos."""
    if Media.objects.filter(deployment=deployment).exists():
        raise DomainError(_("Delete the deployment's photos first."), "deployment_has_media")
    record_delete(access=access, record=deployment.event)
