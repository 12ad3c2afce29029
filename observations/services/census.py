"""Joint census campaigns: set-up by a coordinator, each PA's count, its confirmation.

Every write checks access (observations.access), validates here, and happens
in one transaction with its change-feed entry (observations.feed). Errors are
DomainErrors with a stable code and, where one field is to blame, its name:

- ``campaign_without_pas``: a campaign needs at least one participating PA;
- ``window_not_open`` / ``window_closed``: a count is submitted from the first
  day of the count window until the end of the submission deadline, in the
  PA's own time zone;
- ``not_participating``, ``count_exists``, ``count_confirmed``, ... below.

The double-count flags and the joint total live in
observations.services.census_reconciliation; a count's submission or
correction refreshes its campaign's flags in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from ..access import Access
from ..errors import Conflict, DomainError, NotAllowed
from ..feed import KIND_OF_MODEL, record_changed
from ..models import (
    CensusCampaign,
    CensusCount,
    CensusMethod,
    CountStatus,
    ProtectedArea,
    RecordStatus,
    Species,
)
from . import census_reconciliation

DEFAULT_SUBMISSION_DAYS = 14  # after the count window, unless the coordinator says otherwise
MAX_DISTANCE_KM = 500
MAX_WINDOW_HOURS = 24 * 60
MAX_SUPPORTING_RECORDS = 5000

CAMPAIGN_FIELDS = [
    "name_en",
    "name_ru",
    "name_zh",
    "species",
    "method",
    "unit",
    "starts_on",
    "ends_on",
    "daily_start",
    "daily_end",
    "submission_deadline",
    "duplicate_distance_km",
    "duplicate_window_hours",
    "notes",
]
COUNT_FIELDS = [
    "counted_at",
    "total",
    "count_min",
    "count_max",
    "routes",
    "effort_km",
    "points",
    "effort_hours",
    "trap_nights",
    "counted_area_km2",
    "observers",
    "weather",
    "notes",
]
# The effort each method must report (the issue: routes and km, or points and hours).
REQUIRED_EFFORT = {
    CensusMethod.SNOW_TRACK: ("routes", "effort_km"),
    CensusMethod.POINT_COUNT: ("points", "effort_hours"),
    CensusMethod.CAMERA_TRAP: ("trap_nights",),
    CensusMethod.NEST_COUNT: (),
}


def to_feed(record) -> None:
    """A change-feed entry for the record, once the feed serves its kind (observations.feed)."""
    if type(record) in KIND_OF_MODEL:
        record_changed(record)


# --- campaigns --------------------------------------------------------------------


def _species(value) -> Species:
    if isinstance(value, Species):
        return value
    text = str(value or "").strip()
    found = None
    if text.isdigit():
        found = Species.objects.filter(pk=int(text)).first()
    elif text:
        found = Species.objects.filter(scientific_name__iexact=text).first()
    if found is None:
        raise DomainError(
            _("Unknown species: %(value)s.") % {"value": text}, "unknown_species", field="species"
        )
    if not found.monitored:
        raise DomainError(
            _("%(value)s is not a monitored species.") % {"value": found.scientific_name},
            "species_not_monitored",
            field="species",
        )
    return found


def _protected_areas(values) -> list[ProtectedArea]:
    items = [v for v in (values or []) if v not in (None, "")]
    if not items:
        raise DomainError(
            _("A campaign needs at least one participating protected area."),
            "campaign_without_pas",
            field="protected_areas",
        )
    codes = {v.code if isinstance(v, ProtectedArea) else str(v).strip().upper() for v in items}
    found = {pa.code: pa for pa in ProtectedArea.objects.filter(code__in=codes)}
    unknown = sorted(codes - set(found))
    if unknown:
        raise DomainError(
            _("Unknown protected area: %(value)s.") % {"value": ", ".join(unknown)},
            "unknown_protected_area",
            field="protected_areas",
        )
    planned = sorted(c for c, pa in found.items() if pa.status != ProtectedArea.Status.EXISTING)
    if planned:
        raise DomainError(
            _("%(value)s is only planned and cannot count yet.") % {"value": ", ".join(planned)},
            "pa_not_existing",
            field="protected_areas",
        )
    return sorted(found.values(), key=lambda pa: (pa.country, pa.code))


def _required(values: dict, name: str):
    value = values.get(name)
    if value in (None, ""):
        raise DomainError(_("This field is required."), "required", field=name)
    return value


def _bounded_int(values: dict, name: str, default: int, maximum: int) -> int:
    value = values.get(name)
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise DomainError(_("Give a whole number."), "not_a_number", field=name) from exc
    if not 0 <= number <= maximum:
        raise DomainError(
            _("Give a number from 0 to %(max)s.") % {"max": maximum}, "out_of_range", field=name
        )
    return number


def clean_campaign(values: dict) -> tuple[dict, list[ProtectedArea]]:
    """The campaign's field values and its PAs, or a DomainError naming the first problem."""
    name = str(values.get("name_en") or "").strip()
    if not name:
        raise DomainError(_("Give the campaign a name."), "name_required", field="name_en")
    species = _species(values.get("species"))
    method = values.get("method")
    if method not in CensusMethod.values:
        raise DomainError(
            _("Unknown census method: %(value)s.") % {"value": method},
            "unknown_method",
            field="method",
        )
    unit = values.get("unit") or species.counting_unit
    if unit not in Species.Unit.values or (
        species.allowed_units and unit not in species.allowed_units
    ):
        raise DomainError(
            _("%(species)s is not counted in %(value)s.")
            % {"species": species.scientific_name, "value": unit},
            "unit_not_allowed",
            field="unit",
        )
    starts_on, ends_on = _required(values, "starts_on"), _required(values, "ends_on")
    if ends_on < starts_on:
        raise DomainError(
            _("The count window ends before it starts."), "ends_before_start", field="ends_on"
        )
    daily_start, daily_end = values.get("daily_start"), values.get("daily_end")
    if (daily_start is None) != (daily_end is None):
        raise DomainError(
            _("Give both the daily start and end hours, or neither."),
            "daily_hours_incomplete",
            field="daily_end",
        )
    if daily_start is not None and daily_end <= daily_start:
        raise DomainError(
            _("The daily count hours end before they start."),
            "daily_hours_reversed",
            field="daily_end",
        )
    if method == CensusMethod.POINT_COUNT and daily_start is None:
        raise DomainError(
            _("A synchronised count needs its count hours."),
            "daily_hours_required",
            field="daily_start",
        )
    deadline = values.get("submission_deadline") or ends_on + dt.timedelta(
        days=DEFAULT_SUBMISSION_DAYS
    )
    if deadline < ends_on:
        raise DomainError(
            _("Submissions cannot close before the count window ends."),
            "deadline_before_end",
            field="submission_deadline",
        )
    cleaned = {
        "name_en": name[:200],
        "name_ru": str(values.get("name_ru") or "").strip()[:200],
        "name_zh": str(values.get("name_zh") or "").strip()[:200],
        "species": species,
        "method": method,
        "unit": unit,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "daily_start": daily_start,
        "daily_end": daily_end,
        "submission_deadline": deadline,
        "duplicate_distance_km": _bounded_int(values, "duplicate_distance_km", 30, MAX_DISTANCE_KM),
        "duplicate_window_hours": _bounded_int(
            values, "duplicate_window_hours", 48, MAX_WINDOW_HOURS
        ),
        "notes": str(values.get("notes") or "").strip(),
    }
    return cleaned, _protected_areas(values.get("protected_areas"))


def campaign_create(
    *, access: Access, user, values: dict, campaign_id: uuid.UUID | str | None = None
) -> tuple[CensusCampaign, bool]:
    """A coordinator sets a joint campaign up. Sent again with the same id, it is created once."""
    if not access.can_manage_campaigns:
        raise NotAllowed(_("Only national coordinators set census campaigns up."), "forbidden")
    cleaned, pas = clean_campaign(values)
    campaign_id = uuid.UUID(str(campaign_id)) if campaign_id else uuid.uuid4()
    with transaction.atomic():
        existing = CensusCampaign.objects.select_for_update().filter(pk=campaign_id).first()
        if existing is not None:
            if (
                existing.name_en != cleaned["name_en"]
                or existing.species_id != cleaned["species"].pk
            ):
                raise Conflict(_("A different record already has this id."), "id_conflict")
            return existing, False
        campaign = CensusCampaign(
            id=campaign_id,
            origin_node=settings.NODE_CODE,
            created_by=user,
            updated_by=user,
            **cleaned,
        )
        campaign.save(force_insert=True)
        campaign.protected_areas.set(pas)
        to_feed(campaign)
    return campaign, True


# --- counts -------------------------------------------------------------------------


def _check_window(campaign: CensusCampaign, pa: ProtectedArea, now: dt.datetime) -> None:
    if now < campaign.opens_at(pa):
        raise DomainError(
            _("Counts for this campaign can be submitted from %(date)s.")
            % {"date": formats.date_format(campaign.starts_on)},
            "window_not_open",
        )
    if now >= campaign.closes_at(pa):
        raise DomainError(
            _("Submissions for this campaign closed after %(date)s.")
            % {"date": formats.date_format(campaign.submission_deadline)},
            "window_closed",
        )


def _pa_of(campaign: CensusCampaign, value) -> ProtectedArea:
    code = value.code if isinstance(value, ProtectedArea) else str(value or "").strip().upper()
    pa = next((p for p in campaign.protected_areas.all() if p.code == code), None)
    if pa is None:
        raise DomainError(
            _("%(value)s does not take part in this campaign.") % {"value": code or "—"},
            "not_participating",
            field="protected_area",
        )
    return pa


def _number(values: dict, name: str, kind=int):
    value = values.get(name)
    if value in (None, ""):
        return None
    try:
        number = kind(value) if kind is int else decimal.Decimal(str(value))
    except (TypeError, ValueError, decimal.InvalidOperation) as exc:
        raise DomainError(_("Give a number."), "not_a_number", field=name) from exc
    if number < 0:
        raise DomainError(_("This cannot be negative."), "negative", field=name)
    return number


def _supporting_records(access, campaign, pa, ids) -> list:
    ids = list(dict.fromkeys(str(i) for i in (ids or [])))
    if len(ids) > MAX_SUPPORTING_RECORDS:
        raise DomainError(
            _("At most %(max)s supporting records.") % {"max": MAX_SUPPORTING_RECORDS},
            "too_many_records",
            field="observations",
        )
    try:
        keys = [uuid.UUID(i) for i in ids]
    except ValueError as exc:
        raise DomainError(
            _("Supporting records are given by their ids."), "bad_record_id", field="observations"
        ) from exc
    records = list(
        access.visible_observations()
        .filter(pk__in=keys)
        .only("id", "species_id", "protected_area_id", "observed_at", "status", "individual_id")
    )
    missing = set(keys) - {r.pk for r in records}
    if missing:
        raise DomainError(
            _("Unknown record: %(value)s.") % {"value": ", ".join(sorted(map(str, missing)))},
            "unknown_record",
            field="observations",
        )
    for record in records:
        if record.species_id != campaign.species_id:
            problem = _("Record %(id)s is of another species."), "record_other_species"
        elif record.protected_area_id != pa.pk:
            problem = _("Record %(id)s belongs to another protected area."), "record_other_pa"
        elif record.status not in (RecordStatus.SUBMITTED, RecordStatus.VERIFIED):
            problem = _("Record %(id)s is not submitted."), "record_not_submitted"
        elif not campaign.in_count_window(record.observed_at, pa):
            problem = _("Record %(id)s was made outside the count window."), "record_outside_window"
        else:
            continue
        message, code = problem
        raise DomainError(message % {"id": record.pk}, code, field="observations")
    return records


def clean_count(values: dict, *, campaign: CensusCampaign, pa: ProtectedArea) -> dict:
    """A count's field values, or a DomainError naming the first problem."""
    counted_at = _required(values, "counted_at")
    if timezone.is_naive(counted_at):
        counted_at = timezone.make_aware(counted_at, pa.tz)
    if not campaign.in_count_window(counted_at, pa):
        raise DomainError(
            _("The count was made outside the campaign's count window."),
            "outside_count_window",
            field="counted_at",
        )
    total = _number(values, "total")
    if total is None:
        raise DomainError(_("This field is required."), "required", field="total")
    cleaned = {"counted_at": counted_at, "total": total}
    cleaned["count_min"] = _number(values, "count_min")
    cleaned["count_max"] = _number(values, "count_max")
    if cleaned["count_min"] is not None and cleaned["count_min"] > total:
        raise DomainError(
            _("The total is below the minimum."), "total_below_min", field="count_min"
        )
    if cleaned["count_max"] is not None and cleaned["count_max"] < total:
        raise DomainError(
            _("The total is above the maximum."), "total_above_max", field="count_max"
        )
    for name in ("routes", "points", "observers"):
        cleaned[name] = _number(values, name)
    for name in ("effort_km", "effort_hours", "trap_nights", "counted_area_km2"):
        cleaned[name] = _number(values, name, kind=decimal.Decimal)
    for name in REQUIRED_EFFORT[campaign.method]:
        if cleaned[name] is None:
            raise DomainError(
                _("A %(method)s reports this effort.") % {"method": campaign.get_method_display()},
                "effort_required",
                field=name,
            )
    cleaned["weather"] = str(values.get("weather") or "").strip()[:300]
    cleaned["notes"] = str(values.get("notes") or "").strip()
    return cleaned


def count_submit(
    *,
    access: Access,
    user,
    campaign: CensusCampaign,
    values: dict,
    count_id: uuid.UUID | str | None = None,
    now: dt.datetime | None = None,
) -> tuple[CensusCount, bool]:
    """A PA submits its count (``values["protected_area"]``: the PA or its code), with the ids
    of its supporting records in ``values["observations"]``. Returns (count, created)."""
    pa = _pa_of(campaign, values.get("protected_area"))
    if not access.can_submit_count_for(pa):
        raise NotAllowed(_("You may not submit this protected area's count."), "forbidden")
    _check_window(campaign, pa, now or timezone.now())
    cleaned = clean_count(values, campaign=campaign, pa=pa)
    records = _supporting_records(access, campaign, pa, values.get("observations"))
    count_id = uuid.UUID(str(count_id)) if count_id else uuid.uuid4()
    with transaction.atomic():
        CensusCampaign.objects.select_for_update().filter(pk=campaign.pk).first()
        existing = CensusCount.objects.filter(campaign=campaign, protected_area=pa).first()
        if existing is not None:
            if existing.pk == count_id:
                return existing, False  # the same submission sent again
            raise Conflict(
                _("This protected area has already submitted its count: correct that one."),
                "count_exists",
            )
        count = CensusCount(
            id=count_id,
            campaign=campaign,
            protected_area=pa,
            origin_node=settings.NODE_CODE,
            created_by=user,
            updated_by=user,
            **cleaned,
        )
        count.save(force_insert=True)
        count.observations.set(records)
        to_feed(count)
        census_reconciliation.flags_refresh(campaign=campaign)
    return count, True


def count_update(
    *, access: Access, user, count: CensusCount, values: dict, now: dt.datetime | None = None
) -> CensusCount:
    """Correct a submitted count (until its manager confirms it or submissions close)."""
    pa, campaign = count.protected_area, count.campaign
    if not count.is_local:
        raise NotAllowed(
            _("This count belongs to the partner node and cannot be changed here."), "read_only"
        )
    if not access.can_submit_count_for(pa):
        raise NotAllowed(_("You may not change this protected area's count."), "forbidden")
    if count.status == CountStatus.CONFIRMED:
        raise Conflict(_("A confirmed count can no longer be changed."), "count_confirmed")
    _check_window(campaign, pa, now or timezone.now())
    current = {name: getattr(count, name) for name in COUNT_FIELDS}
    current.update({k: v for k, v in values.items() if k in COUNT_FIELDS})
    cleaned = clean_count(current, campaign=campaign, pa=pa)
    records = None
    if "observations" in values:
        records = _supporting_records(access, campaign, pa, values["observations"])
    with transaction.atomic():
        locked = CensusCount.objects.select_for_update().get(pk=count.pk)
        if locked.status == CountStatus.CONFIRMED:
            raise Conflict(_("A confirmed count can no longer be changed."), "count_confirmed")
        for name, value in cleaned.items():
            setattr(count, name, value)
        count.updated_by = user
        count.save()
        if records is not None:
            count.observations.set(records)
        to_feed(count)
        census_reconciliation.flags_refresh(campaign=campaign)
    return count


def count_confirm(*, access: Access, user, count: CensusCount) -> CensusCount:
    """The PA manager confirms the PA's count: it is final."""
    if not access.can_confirm_count(count):
        raise NotAllowed(_("Only the protected area's manager confirms its count."), "forbidden")
    with transaction.atomic():
        locked = CensusCount.objects.select_for_update().get(pk=count.pk)
        if locked.status == CountStatus.CONFIRMED:
            raise Conflict(_("This count is already confirmed."), "already_confirmed")
        count.status = CountStatus.CONFIRMED
        count.confirmed_at = timezone.now()
        count.confirmed_by = user
        count.updated_by = user
        count.save()
        to_feed(count)
    return count


# --- reads ----------------------------------------------------------------------------

MISSING, SUBMITTED, CONFIRMED = "missing", CountStatus.SUBMITTED.value, CountStatus.CONFIRMED.value


def campaign_participation(*, campaign: CensusCampaign) -> list[dict]:
    """Every participating PA with its count and state: missing, submitted or confirmed.

    Expects ``protected_areas`` and ``counts`` prefetched (or costs two queries)."""
    counts = {c.protected_area_id: c for c in campaign.counts.all()}
    rows = []
    for pa in sorted(campaign.protected_areas.all(), key=lambda p: (p.country, p.code)):
        count = counts.get(pa.pk)
        rows.append(
            {
                "protected_area": pa,
                "count": count,
                "state": count.status if count else MISSING,
            }
        )
    return rows
