"""API of joint census campaigns: ``/api/v1/census/``.

- ``GET/POST campaigns/``: everyone logged in reads campaigns; coordinators create them
  (``protected_areas``: PA codes; an empty list answers 400 ``campaign_without_pas``).
- ``GET campaigns/{id}/``: the campaign with its ``participants``: every PA, its state
  (``missing``, ``submitted``, ``confirmed``) labelled in English, Russian and Chinese.
- ``GET/POST campaigns/{id}/counts/``: the PAs' counts; a PA's ranger or manager submits
  its count (``window_not_open`` / ``window_closed`` outside the submission window).
- ``GET/PATCH counts/{id}/``, ``POST counts/{id}/confirm/``: correct a count until its PA
  manager confirms it.
- ``GET campaigns/{id}/reconciliation/``: per-country totals, the raw sum, the duplicates
  taken off and the reconciled total, with the double-count flags;
  ``POST campaigns/{id}/reconcile/`` recomputes the flags (after the partner's counts
  arrive) and answers the same.
- ``POST flags/{id}/resolve/``: ``{"decision": "same"|"different", "note", "duplicate_count"}``.

Thin: parse, call observations.services.census (or census_reconciliation), render.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import include, path
from django.utils import translation
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from ..access import access_for
from ..disclosure import for_user
from ..models import CensusCampaign, CensusCount, DoubleCountFlag, Observation, localized
from ..services import census as services
from ..services import census_reconciliation as reconcile
from ..services.census import CONFIRMED, MISSING, SUBMITTED

STATE_LABELS = {
    MISSING: translation.gettext_lazy("missing"),
    SUBMITTED: translation.gettext_lazy("submitted"),
    CONFIRMED: translation.gettext_lazy("confirmed"),
}


def in_three_languages(text) -> dict:
    """A label in English, Russian and Chinese: the campaign page speaks to both sides."""
    labels = {}
    for key, language in (("en", "en"), ("ru", "ru"), ("zh", "zh-hans")):
        with translation.override(language):
            labels[key] = str(text)
    return labels


def _iso(value):
    return value.isoformat().replace("+00:00", "Z") if value else None


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
        child=serializers.UUIDField(), required=False, max_length=services.MAX_SUPPORTING_RECORDS
    )

    def __init__(self, *args, partial_update=False, **kwargs):
        super().__init__(*args, **kwargs)
        if partial_update:
            for field in self.fields.values():
                field.required = False
            self.fields.pop("protected_area")
            self.fields.pop("id")


class ResolveInput(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[DoubleCountFlag.Decision.SAME, DoubleCountFlag.Decision.DIFFERENT]
    )
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
        participation = services.campaign_participation(campaign=campaign)
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
            "submitted": states.count(SUBMITTED) + states.count(CONFIRMED),
            "confirmed": states.count(CONFIRMED),
            "missing": states.count(MISSING),
            "created_at": _iso(campaign.created_at),
        }
        if self.context.get("detail"):
            access = self.context["access"]
            labels = {state: in_three_languages(text) for state, text in STATE_LABELS.items()}
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
            data["can_submit_for"] = [
                row["protected_area"].code
                for row in participation
                if row["count"] is None and access.can_submit_count_for(row["protected_area"])
            ]
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
            "counted_at": _iso(count.counted_at),
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
            "created_at": _iso(count.created_at),
            "updated_at": _iso(count.updated_at),
            "confirmed_at": _iso(count.confirmed_at),
            "can_edit": count.is_local
            and count.status == SUBMITTED
            and access.can_submit_count_for(count.protected_area),
            "can_confirm": count.status == SUBMITTED and access.can_confirm_count(count),
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
            "resolved_at": _iso(flag.resolved_at),
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


# --- views ----------------------------------------------------------------------


def _counts_queryset():
    return CensusCount.objects.select_related("protected_area", "campaign").prefetch_related(
        Prefetch("observations", queryset=Observation.objects.only("id"))
    )


class CampaignViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Joint census campaigns (every logged-in user reads them; coordinators set them up)."""

    serializer_class = CampaignOutput
    pagination_class = None  # a few campaigns a year

    def get_queryset(self):
        return CensusCampaign.objects.select_related("species").prefetch_related(
            "protected_areas",
            Prefetch(
                "counts",
                queryset=CensusCount.objects.only(
                    "id", "campaign_id", "protected_area_id", "status", "total"
                ),
            ),
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "access": access_for(self.request.user)}

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object(), status.HTTP_200_OK)

    def _detail(self, campaign, code):
        context = {**self.get_serializer_context(), "detail": True}
        return Response(CampaignOutput(campaign, context=context).data, status=code)

    @extend_schema(request=CampaignInput, responses={201: CampaignOutput, 200: CampaignOutput})
    def create(self, request, *args, **kwargs):
        body = CampaignInput(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        campaign, created = services.campaign_create(
            access=access_for(request.user),
            user=request.user,
            values=values,
            campaign_id=values.pop("id", None),
        )
        campaign = self.get_queryset().get(pk=campaign.pk)
        return self._detail(campaign, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=CountInput, responses={200: CountOutput(many=True), 201: CountOutput})
    @action(detail=True, methods=["get", "post"])
    def counts(self, request, pk=None):
        campaign = self.get_object()
        context = self.get_serializer_context()
        if request.method == "GET":
            counts = _counts_queryset().filter(campaign=campaign)
            return Response(CountOutput(counts, many=True, context=context).data)
        body = CountInput(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        count, created = services.count_submit(
            access=context["access"],
            user=request.user,
            campaign=campaign,
            values=values,
            count_id=values.pop("id", None),
        )
        count = _counts_queryset().get(pk=count.pk)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(CountOutput(count, context=context).data, status=code)

    @extend_schema(responses=ReconciliationOutput)
    @action(detail=True, methods=["get"])
    def reconciliation(self, request, pk=None):
        campaign = self.get_object()
        summary = reconcile.reconciliation(campaign=campaign)
        return Response(ReconciliationOutput((campaign, summary)).data)

    @extend_schema(request=None, responses=ReconciliationOutput)
    @action(detail=True, methods=["post"])
    def reconcile(self, request, pk=None):
        """Recompute the double-count flags (coordinators of the campaign's node)."""
        campaign = self.get_object()
        reconcile.campaign_reconcile(access=access_for(request.user), campaign=campaign)
        summary = reconcile.reconciliation(campaign=campaign)
        return Response(ReconciliationOutput((campaign, summary)).data)


class CountViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One PA's count: read it, correct it (PATCH) until confirmed, confirm it."""

    serializer_class = CountOutput

    def get_queryset(self):
        return _counts_queryset()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "access": access_for(self.request.user)}

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def _render(self, count):
        count = self.get_queryset().get(pk=count.pk)
        return Response(CountOutput(count, context=self.get_serializer_context()).data)

    @extend_schema(request=CountInput, responses=CountOutput)
    def partial_update(self, request, *args, **kwargs):
        count = self.get_object()
        body = CountInput(data=request.data, partial_update=True)
        body.is_valid(raise_exception=True)
        services.count_update(
            access=access_for(request.user),
            user=request.user,
            count=count,
            values=dict(body.validated_data),
        )
        return self._render(count)

    @extend_schema(request=None, responses=CountOutput)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        count = services.count_confirm(
            access=access_for(request.user), user=request.user, count=self.get_object()
        )
        return self._render(count)


class FlagViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A candidate double count and the coordinator's decision."""

    serializer_class = FlagOutput

    def get_queryset(self):
        return DoubleCountFlag.objects.select_related(
            "campaign", "count_a__protected_area", "count_b__protected_area", "individual"
        ).prefetch_related("individual__codes")

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    @extend_schema(request=ResolveInput, responses=FlagOutput)
    @action(detail=True, methods=["post"])
    def resolve(self, request, pk=None):
        body = ResolveInput(data=request.data)
        body.is_valid(raise_exception=True)
        flag = reconcile.flag_resolve(
            access=access_for(request.user),
            user=request.user,
            flag=self.get_object(),
            **body.validated_data,
        )
        return Response(FlagOutput(self.get_queryset().get(pk=flag.pk)).data)


router = DefaultRouter()
router.include_root_view = False
router.register("campaigns", CampaignViewSet, basename="census-campaign")
router.register("counts", CountViewSet, basename="census-count")
router.register("flags", FlagViewSet, basename="census-flag")

urlpatterns = [path("", include(router.urls))]
