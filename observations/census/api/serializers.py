"""Serializers of the census API: what a request may say and what an answer shows.

Times are ISO 8601 in UTC (observations.timefmt.utc_iso), as everywhere in the API.
"""

from rest_framework import serializers

from observations.disclosure import for_user
from observations.models import DoubleCountFlag, ParticipationState, localized
from observations.timefmt import utc_iso

from ..selectors import campaign_participation, in_languages, pas_to_submit
from ..services.counts import MAX_SUPPORTING_RECORDS


def _num(value):
    return None if value is None else float(value)


# --- input ------------------------------------------------------------------------


class CampaignInput(serializers.Serializer):
    id = serializers.UUIDField(required=False)
    name_en = serializers.CharField(max_length=200)
    name_ru = serializers.CharField(max_length=200, required=False, allow_blank=True)
    name_zh = serializers.CharField(max_length=200, required=False, allow_blank=True)
    species = serializers.CharField(help_text="Scientific name or id.")
    method = serializers.CharField(help_text="point_count, nest_count, snow_track or camera_trap.")
    unit = serializers.CharField(required=False, allow_blank=True)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    daily_start = serializers.TimeField(required=False, allow_null=True)
    daily_end = serializers.TimeField(required=False, allow_null=True)
    submission_deadline = serializers.DateField(required=False, allow_null=True)
    protected_areas = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, default=list
    )
    duplicate_distance_km = serializers.IntegerField(required=False, min_value=0)
    duplicate_window_hours = serializers.IntegerField(required=False, min_value=0)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class CountInput(serializers.Serializer):
    id = serializers.UUIDField(required=False)
    protected_area = serializers.CharField(max_length=40)
    counted_at = serializers.DateTimeField()
    total = serializers.IntegerField(min_value=0)
    count_min = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    count_max = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    routes = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    effort_km = serializers.DecimalField(9, 2, required=False, allow_null=True)
    points = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    effort_hours = serializers.DecimalField(9, 2, required=False, allow_null=True)
    trap_nights = serializers.DecimalField(9, 1, required=False, allow_null=True)
    counted_area_km2 = serializers.DecimalField(10, 2, required=False, allow_null=True)
    observers = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    weather = serializers.CharField(required=False, allow_blank=True, max_length=300)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    observations = serializers.ListField(
        child=serializers.UUIDField(), required=False, max_length=MAX_SUPPORTING_RECORDS
    )

    def __init__(self, *args, partial_update=False, **kwargs):
        super().__init__(*args, **kwargs)
        if partial_update:
            for field in self.fields.values():
                field.required = False
            self.fields.pop("protected_area")
            self.fields.pop("id")


class ResolveInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=DoubleCountFlag.Decision.RESOLVED)
    note = serializers.CharField(max_length=5000)
    duplicate_count = serializers.IntegerField(required=False, allow_null=True, min_value=1)


# --- output -----------------------------------------------------------------------


class CampaignOutput(serializers.Serializer):
    """A campaign; ``participants`` and ``can_*`` only on its own page (detail)."""

    id = serializers.UUIDField()
    origin_node = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    name_ru = serializers.CharField()
    name_zh = serializers.CharField()
    species = serializers.CharField()
    method = serializers.CharField()
    unit = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    daily_start = serializers.TimeField(allow_null=True)
    daily_end = serializers.TimeField(allow_null=True)
    submission_deadline = serializers.DateField()
    protected_areas = serializers.ListField(child=serializers.CharField())
    duplicate_distance_km = serializers.IntegerField()
    duplicate_window_hours = serializers.IntegerField()
    notes = serializers.CharField()
    submitted = serializers.IntegerField()
    confirmed = serializers.IntegerField()
    missing = serializers.IntegerField()
    created_at = serializers.DateTimeField()

    def to_representation(self, campaign):
        participation = campaign_participation(campaign=campaign)
        states = [row["state"] for row in participation]
        data = {
            "id": str(campaign.pk),
            "origin_node": campaign.origin_node,
            "name": localized(campaign),
            "name_en": campaign.name_en,
            "name_ru": campaign.name_ru,
            "name_zh": campaign.name_zh,
            "species": campaign.species.scientific_name,
            "method": campaign.method,
            "unit": campaign.unit,
            "starts_on": campaign.starts_on.isoformat(),
            "ends_on": campaign.ends_on.isoformat(),
            "daily_start": campaign.daily_start.isoformat() if campaign.daily_start else None,
            "daily_end": campaign.daily_end.isoformat() if campaign.daily_end else None,
            "submission_deadline": campaign.submission_deadline.isoformat(),
            "protected_areas": [row["protected_area"].code for row in participation],
            "duplicate_distance_km": campaign.duplicate_distance_km,
            "duplicate_window_hours": campaign.duplicate_window_hours,
            "notes": campaign.notes,
            "submitted": sum(state in ParticipationState.COUNTED for state in states),
            "confirmed": states.count(ParticipationState.CONFIRMED),
            "missing": states.count(ParticipationState.MISSING),
            "created_at": utc_iso(campaign.created_at),
        }
        if self.context.get("detail"):
            access = self.context["access"]
            labels = {state: in_languages(state.label) for state in ParticipationState}
            data["participants"] = [
                {
                    "protected_area": row["protected_area"].code,
                    "country": row["protected_area"].country,
                    "name_en": row["protected_area"].name_en,
                    "name_ru": row["protected_area"].name_ru,
                    "name_zh": row["protected_area"].name_zh,
                    "state": row["state"],
                    "state_label": labels[row["state"]],
                    "count": str(row["count"].pk) if row["count"] else None,
                    "total": row["count"].total if row["count"] else None,
                }
                for row in participation
            ]
            data["can_submit_for"] = [pa.code for pa in pas_to_submit(access, participation)]
            data["can_manage"] = access.can_edit_campaign(campaign)
        return data


class CountOutput(serializers.Serializer):
    id = serializers.UUIDField()
    origin_node = serializers.CharField()
    campaign = serializers.UUIDField()
    protected_area = serializers.CharField()
    country = serializers.CharField()
    status = serializers.CharField()
    counted_at = serializers.DateTimeField()
    total = serializers.IntegerField()
    count_min = serializers.IntegerField(allow_null=True)
    count_max = serializers.IntegerField(allow_null=True)
    routes = serializers.IntegerField(allow_null=True)
    effort_km = serializers.FloatField(allow_null=True)
    points = serializers.IntegerField(allow_null=True)
    effort_hours = serializers.FloatField(allow_null=True)
    trap_nights = serializers.FloatField(allow_null=True)
    counted_area_km2 = serializers.FloatField(allow_null=True)
    observers = serializers.IntegerField(allow_null=True)
    weather = serializers.CharField()
    notes = serializers.CharField()
    observations = serializers.ListField(child=serializers.UUIDField())
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    confirmed_at = serializers.DateTimeField(allow_null=True)
    can_edit = serializers.BooleanField()
    can_confirm = serializers.BooleanField()

    def to_representation(self, count):
        access = self.context["access"]
        return {
            "id": str(count.pk),
            "origin_node": count.origin_node,
            "campaign": str(count.campaign_id),
            "protected_area": count.protected_area.code,
            "country": count.protected_area.country,
            "status": count.status,
            "counted_at": utc_iso(count.counted_at),
            "total": count.total,
            "count_min": count.count_min,
            "count_max": count.count_max,
            "routes": count.routes,
            "effort_km": _num(count.effort_km),
            "points": count.points,
            "effort_hours": _num(count.effort_hours),
            "trap_nights": _num(count.trap_nights),
            "counted_area_km2": _num(count.counted_area_km2),
            "observers": count.observers,
            "weather": count.weather,
            # A count's notes may say where the tracks were: shown as a station's would be.
            "notes": for_user(access)
            .text(count.notes, for_user(access).station_precision(count.protected_area))
            .value,
            "observations": [str(o.pk) for o in count.observations.all()],
            "created_at": utc_iso(count.created_at),
            "updated_at": utc_iso(count.updated_at),
            "confirmed_at": utc_iso(count.confirmed_at),
            "can_edit": access.can_edit_count(count),
            "can_confirm": access.can_confirm_count_now(count),
        }


def _count_side(count) -> dict:
    return {
        "id": str(count.pk),
        "protected_area": count.protected_area.code,
        "country": count.protected_area.country,
        "total": count.total,
    }


class FlagOutput(serializers.Serializer):
    id = serializers.UUIDField()
    campaign = serializers.UUIDField()
    kind = serializers.CharField()
    count_a = serializers.DictField()
    count_b = serializers.DictField()
    individual = serializers.DictField(allow_null=True)
    suggested = serializers.IntegerField()
    distance_km = serializers.FloatField(allow_null=True)
    hours_apart = serializers.FloatField(allow_null=True)
    decision = serializers.CharField()
    duplicate_count = serializers.IntegerField(allow_null=True)
    removed = serializers.IntegerField()
    note = serializers.CharField()
    resolved_at = serializers.DateTimeField(allow_null=True)
    is_open = serializers.BooleanField()

    def to_representation(self, flag):
        individual = None
        if flag.individual is not None:
            individual = {
                "id": str(flag.individual_id),
                "label": flag.individual.label,
                "codes": [f"{c.catalogue} {c.code}" for c in flag.individual.codes.all()],
            }
        return {
            "id": str(flag.pk),
            "campaign": str(flag.campaign_id),
            "kind": flag.kind,
            "count_a": _count_side(flag.count_a),
            "count_b": _count_side(flag.count_b),
            "individual": individual,
            "suggested": flag.suggested,
            "distance_km": None if flag.distance_km is None else round(flag.distance_km, 1),
            "hours_apart": None if flag.hours_apart is None else round(flag.hours_apart, 2),
            "decision": flag.decision,
            "duplicate_count": flag.duplicate_count,
            "removed": flag.removed,
            "note": flag.note,
            "resolved_at": utc_iso(flag.resolved_at),
            "is_open": flag.is_open,
        }


class ReconciliationOutput(serializers.Serializer):
    campaign = serializers.UUIDField()
    per_country = serializers.ListField(child=serializers.DictField())
    raw_sum = serializers.IntegerField()
    duplicates_removed = serializers.IntegerField()
    reconciled_total = serializers.IntegerField()
    counts = serializers.IntegerField()
    confirmed_counts = serializers.IntegerField()
    missing = serializers.IntegerField()
    open_flags = serializers.IntegerField()
    is_final = serializers.BooleanField()
    flags = FlagOutput(many=True)

    def to_representation(self, data):
        campaign, summary = data
        return {
            "campaign": str(campaign.pk),
            **{k: v for k, v in summary.items() if k != "flags"},
            "flags": [FlagOutput(f).data for f in summary["flags"]],
        }
