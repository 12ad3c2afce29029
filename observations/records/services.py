"""Create, change, delete and review observations and survey events.

Every write checks access (observations.access), validates through
observations.validation, and happens in one transaction, together with its
audit history (django-simple-history, by ``save()``) and its change-feed
entry (observations.feed), so a partner node learns of every change exactly when
it is committed.

Idempotent creation: a field app on a bad link re-sends. A record sent with
its own UUID is created once; sending it again answers with the stored
record, and the same UUID with different content is a 409 conflict (as
KoboToolbox does).
"""

from __future__ import annotations

import hashlib
import hmac
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..access import Access
from ..errors import Conflict, DomainError, NotAllowed
from ..feed import record_changed
from ..models import ChangeEntry, Observation, RecordStatus, SurveyEvent
from ..models.records import RecordSource
from ..validation import Reference, clean_event, clean_observation
from .kinds import EVENT, OBSERVATION, RecordKind, same_content

__all__ = ["same_content"]  # the import's bulk path judges a re-sent row by it too


def observer_code(user) -> str:
    """A stable pseudonym of the observer: names and accounts stay on their node."""
    if user is None or not user.is_authenticated:
        return ""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"observer:{user.pk}".encode(), hashlib.sha256
    ).hexdigest()
    return f"{settings.NODE_CODE}-{digest[:10].upper()}"


def observation_provenance(user, source: str) -> dict:
    """What a new observation of this node says besides its content: how it came in, who
    filed it (as a pseudonym) and from which node. The single and the bulk forms
    (observations.records.bulk) both take it from here; status is the model's
    default (draft)."""
    return {
        "source": source,
        "observer_code": observer_code(user),
        "origin_node": settings.NODE_CODE,
    }


def _create(kind: RecordKind, cleaner, *, access, user, values, record_id, extra, ref):
    model = kind.model
    cleaned = cleaner(values, access=access, ref=ref)
    record_id = uuid.UUID(str(record_id)) if record_id else uuid.uuid4()
    unknown = set(cleaned) - set(kind.content) - {"status"}
    for name in unknown:
        cleaned.pop(name)
    try:
        with transaction.atomic():
            existing = model.objects.select_for_update().filter(pk=record_id).first()
            if existing is not None:
                return _resend(kind, existing, cleaned, access), False
            record = model(id=record_id, created_by=user, updated_by=user, **cleaned, **extra)
            record.save(force_insert=True)
            record_changed(record)
            return record, True
    except IntegrityError:
        # Two copies of one re-send raced each other: the other one won.
        existing = model.objects.filter(pk=record_id).first()
        if existing is None:
            raise
        return _resend(kind, existing, cleaned, access), False


def _resend(kind, existing, cleaned, access):
    if access is not None and not access.can_view_record(existing):
        raise Conflict(_("A different record already has this id."), "id_conflict")
    if not same_content(kind, existing, cleaned):
        raise Conflict(_("A different record already has this id."), "id_conflict")
    return existing


def observation_create(
    *,
    access: Access,
    user,
    values: dict,
    record_id: uuid.UUID | str | None = None,
    source: str = RecordSource.FORM,
    ref: Reference | None = None,
) -> tuple[Observation, bool]:
    """File an observation (as a draft). Returns (record, created)."""
    extra = observation_provenance(user, source)
    return _create(
        OBSERVATION,
        clean_observation,
        access=access,
        user=user,
        values=values,
        record_id=record_id,
        extra=extra,
        ref=ref,
    )


def event_create(
    *, access: Access, user, values: dict, record_id=None, ref: Reference | None = None
) -> tuple[SurveyEvent, bool]:
    """File a survey event (an effort) as a draft. Returns (record, created)."""
    extra = {"origin_node": settings.NODE_CODE}
    return _create(
        EVENT,
        clean_event,
        access=access,
        user=user,
        values=values,
        record_id=record_id,
        extra=extra,
        ref=ref,
    )


def _check_editable(access: Access, record) -> None:
    if not access.can_edit_record(record):
        if not record.is_local:
            raise NotAllowed(
                _("This record belongs to the partner node and cannot be changed here."),
                "read_only",
            )
        if record.status not in RecordStatus.EDITABLE:
            raise NotAllowed(_("Only draft or rejected records can be changed."), "not_editable")
        raise NotAllowed(_("You may not change this record."), "forbidden")


def _update(record, cleaner, fields: list[str], *, access, user, values):
    _check_editable(access, record)
    current = {name: getattr(record, name) for name in fields}
    current.update(values)
    cleaned = cleaner(current, access=access)
    with transaction.atomic():
        locked = type(record).objects.select_for_update().get(pk=record.pk)
        _check_editable(access, locked)
        for name in fields:
            if name in cleaned:
                setattr(record, name, cleaned[name])
        record.updated_by = user
        record._change_reason = "update"
        record.save()
        record_changed(record)
    return record


def observation_update(*, access: Access, user, observation: Observation, values: dict):
    return _update(
        observation, clean_observation, OBSERVATION.content, access=access, user=user, values=values
    )


def event_update(*, access: Access, user, event: SurveyEvent, values: dict):
    return _update(event, clean_event, EVENT.content, access=access, user=user, values=values)


def record_delete(*, access: Access, record) -> None:
    """Delete a draft (observation or event). Anything already submitted stays for the record."""
    _check_editable(access, record)
    if record.status != RecordStatus.DRAFT:
        raise NotAllowed(_("Only drafts can be deleted."), "not_draft")
    if isinstance(record, SurveyEvent) and record.observations.exists():
        raise DomainError(
            _("Delete or move the event's observations first."), "event_has_observations"
        )
    with transaction.atomic():
        record_changed(record, ChangeEntry.Action.DELETE)
        record.delete()


def record_submit(*, access: Access, user, record):
    """Draft or rejected -> submitted: the PA manager will verify it."""
    if not access.can_submit_record(record):
        _check_editable(access, record)
    with transaction.atomic():
        record.status = RecordStatus.SUBMITTED
        if isinstance(record, Observation):
            record.rejection_reason = ""
        record.updated_by = user
        record._change_reason = "submitted"
        record.save()
        record_changed(record)
    return record


def _review(*, access: Access, user, record, status: str, reason: str = ""):
    if not access.can_review_record(record):
        if record.status != RecordStatus.SUBMITTED:
            raise NotAllowed(_("Only submitted records can be reviewed."), "not_submitted")
        raise NotAllowed(_("You may not review this record."), "forbidden")
    if status == RecordStatus.VERIFIED and not access.can_verify_record(record):
        raise NotAllowed(
            _("You filed this record: another manager of the PA must verify it."), "four_eyes"
        )
    with transaction.atomic():
        record.status = status
        record.updated_by = user
        if isinstance(record, Observation):
            record.rejection_reason = reason
            record.reviewed_by = user
            record.reviewed_at = timezone.now()
        # The history's note column holds 100 characters; the whole reason is in the record.
        record._change_reason = (status if not reason else f"{status}: {reason}")[:100]
        record.save()
        record_changed(record)
    return record


def record_verify(*, access: Access, user, record):
    """Submitted -> verified, and so shared. Not by the record's own author where the PA
    asks for four eyes (Access.can_verify_record); rejecting one's own record is allowed."""
    return _review(access=access, user=user, record=record, status=RecordStatus.VERIFIED)


def record_reject(*, access: Access, user, record, reason: str):
    """Submitted -> rejected, with the reason the ranger will read when fixing it."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the record is rejected."), "reason_required", field="reason")
    return _review(
        access=access, user=user, record=record, status=RecordStatus.REJECTED, reason=reason
    )


def record_reopen(*, access: Access, user, record, reason: str):
    """Verified -> submitted again, with a reason: the record is corrected and re-verified.

    A partner that holds the record receives a tombstone (only verified records
    are shared by default) and gets the record again once it is re-verified.
    """
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the record is reopened."), "reason_required", field="reason")
    if not access.can_reopen_record(record):
        raise NotAllowed(_("You may not reopen this record."), "forbidden")
    with transaction.atomic():
        record.status = RecordStatus.SUBMITTED
        record.updated_by = user
        record._change_reason = f"reopened: {reason}"[:100]  # the history column holds 100
        record.save()
        record_changed(record)
    return record


def observations_review(
    *, access: Access, user, ids: list, action: str, reason: str = ""
) -> dict[str, list]:
    """Verify or reject many observations at once (the review queue). Each is its own
    transaction: one that cannot be reviewed does not hold back the others."""
    done, refused = [], []
    records = access.visible_observations().filter(pk__in=ids).select_related("protected_area")
    found = {str(r.pk): r for r in records}
    for key in map(str, ids):
        record = found.get(key)
        if record is None:
            refused.append({"id": key, "code": "not_found"})
            continue
        try:
            if action == "verify":
                record_verify(access=access, user=user, record=record)
            else:
                record_reject(access=access, user=user, record=record, reason=reason)
            done.append(key)
        except DomainError as exc:
            refused.append({"id": key, "code": exc.code, "detail": str(exc.message)})
    return {"done": done, "refused": refused}
