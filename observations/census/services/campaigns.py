"""Joint census campaigns: a coordinator sets one up.

Every write checks access (observations.access), validates here, and happens
in one transaction with its change-feed entry (observations.feed). Errors are
DomainErrors with a stable code and, where one field is to blame, its name
(``campaign_without_pas``: a campaign needs at least one participating PA;
``unknown_species``, ``unit_not_allowed``, ... below).

Each PA's count is observations.census.services.counts; the double-count
flags are observations.census.services.reconciliation.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from observations.access import Access
from observations.errors import Conflict, DomainError, NotAllowed
from observations.feed import KIND_OF_MODEL, record_changed
from observations.models import CensusCampaign, CensusMethod, ProtectedArea, Species

DEFAULT_SUBMISSION_DAYS = 14  # after the count window, unless the coordinator says otherwise
MAX_DISTANCE_KM = 500
MAX_WINDOW_HOURS = 24 * 60

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


def to_feed(record) -> None:
    """A change-feed entry for the record, once the feed serves its kind (observations.feed)."""

    if type(record) in KIND_OF_MODEL:
        record_changed(record)


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


def required(values: dict, name: str):
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
    starts_on, ends_on = required(values, "starts_on"), required(values, "ends_on")
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
