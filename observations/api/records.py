"""API of field records: /api/v1/observations/ and /api/v1/events/.

Thin views: parse with a serializer, call one service, render with a
serializer. Who may see and do what is asked of observations.access;
what a reader sees of a record's place and notes is the disclosure policy's answer
(observations.disclosure), and the place filter works on the place the reader sees, so
that no filter can tell more than the answer shows.
"""

import math

import django_filters
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from ..access import access_for
from ..disclosure import for_user
from ..models import Country, Evidence, Observation, RecordStatus, SurveyEvent
from ..models.records import RecordSource
from ..services import records as services
from ..timefmt import utc_iso as _iso
from .filters import StrictFilterSet
from .remarks import RemarksMixin


class BBoxFilter(django_filters.CharFilter):
    """``bbox=min_lon,min_lat,max_lon,max_lat`` (as in OGC APIs), on the place the reader
    is shown: a record shown as its 10 km cell is inside a box when the cell's centre is.
    Filtering on the stored point instead would let anyone halve the box until it pins the
    exact point (tests/security/test_no_oracle.py)."""

    def __init__(self, *args, place=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.place = place  # audience -> (latitude, longitude) expressions of the rows

    def filter(self, qs, value):
        if not value:
            return qs
        try:
            min_lon, min_lat, max_lon, max_lat = (float(v) for v in value.split(","))
        except ValueError as exc:
            raise ValidationError(
                {"bbox": [_("Give bbox as min_lon,min_lat,max_lon,max_lat.")]}
            ) from exc
        if not all(math.isfinite(v) for v in (min_lon, min_lat, max_lon, max_lat)):
            raise ValidationError({"bbox": [_("Give bbox as min_lon,min_lat,max_lon,max_lat.")]})
        if min_lon > max_lon or min_lat > max_lat:
            raise ValidationError({"bbox": [_("The bbox minimum is above its maximum.")]})
        audience = for_user(access_for(getattr(self.parent.request, "user", None)))
        latitude, longitude = self.place(audience)
        return qs.alias(_shown_lat=latitude, _shown_lon=longitude).filter(
            _shown_lat__gte=min_lat,
            _shown_lat__lte=max_lat,
            _shown_lon__gte=min_lon,
            _shown_lon__lte=max_lon,
        )


def _record_place(audience):
    return audience.record_place_sql()[:2]


def _station_place(audience):
    return audience.station_place_sql()[:2]


class ObservationFilter(StrictFilterSet):
    species = django_filters.CharFilter(method="filter_species")
    protected_area = django_filters.CharFilter(field_name="protected_area__code")
    country = django_filters.ChoiceFilter(
        field_name="protected_area__country", choices=Country.choices
    )
    status = django_filters.ChoiceFilter(choices=RecordStatus.choices)
    evidence = django_filters.ChoiceFilter(choices=Evidence.choices)
    individual = django_filters.UUIDFilter(field_name="individual_id")
    event = django_filters.UUIDFilter(field_name="event_id")
    observed_after = django_filters.IsoDateTimeFilter(field_name="observed_at", lookup_expr="gte")
    observed_before = django_filters.IsoDateTimeFilter(field_name="observed_at", lookup_expr="lt")
    bbox = BBoxFilter(place=_record_place)
    mine = django_filters.BooleanFilter(method="filter_mine")

    class Meta:
        model = Observation
        fields = []

    def filter_species(self, qs, name, value):
        if value.isdigit():
            return qs.filter(species_id=int(value))
        return qs.filter(species__scientific_name__iexact=value)

    def filter_mine(self, qs, name, value):
        user_id = self.request.user.pk if self.request else None
        return qs.filter(created_by_id=user_id) if value else qs.exclude(created_by_id=user_id)


class EventFilter(StrictFilterSet):
    protected_area = django_filters.CharFilter(field_name="protected_area__code")
    country = django_filters.ChoiceFilter(
        field_name="protected_area__country", choices=Country.choices
    )
    status = django_filters.ChoiceFilter(choices=RecordStatus.choices)
    kind = django_filters.ChoiceFilter(choices=SurveyEvent.Kind.choices)
    started_after = django_filters.IsoDateTimeFilter(field_name="started_at", lookup_expr="gte")
    started_before = django_filters.IsoDateTimeFilter(field_name="started_at", lookup_expr="lt")
    bbox = BBoxFilter(place=_station_place)

    class Meta:
        model = SurveyEvent
        fields = []


# --- serializers ----------------------------------------------------------------


class ObservationInput(serializers.Serializer):
    """What a client sends. References are keys (species by scientific name or id, PA by
    code, individual by UUID or "RU T-12"); the validation service resolves them."""

    id = serializers.UUIDField(required=False)
    protected_area = serializers.CharField()
    species = serializers.CharField()
    event = serializers.UUIDField(required=False, allow_null=True)
    observed_at = serializers.DateTimeField()
    latitude = serializers.FloatField(required=False, allow_null=True)
    longitude = serializers.FloatField(required=False, allow_null=True)
    datum = serializers.ChoiceField(choices=["WGS84", "GCJ02"], required=False, default="WGS84")
    coordinate_uncertainty_m = serializers.IntegerField(
        required=False, allow_null=True, min_value=0
    )
    count = serializers.IntegerField(required=False, default=1)
    count_min = serializers.IntegerField(required=False, allow_null=True)
    count_max = serializers.IntegerField(required=False, allow_null=True)
    unit = serializers.CharField(required=False, allow_blank=True)
    sex = serializers.ChoiceField(
        choices=Observation._meta.get_field("sex").choices, required=False
    )
    age_class = serializers.ChoiceField(choices=Observation.AgeClass.choices, required=False)
    evidence = serializers.ChoiceField(choices=Evidence.choices)
    individual = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)

    def __init__(self, *args, partial_update=False, **kwargs):
        super().__init__(*args, **kwargs)
        if partial_update:
            for field in self.fields.values():
                field.required = False
            self.fields["datum"].default = serializers.empty
            self.fields["count"].default = serializers.empty


class ObservationOutput(serializers.ModelSerializer):
    protected_area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    species = serializers.SlugRelatedField(slug_field="scientific_name", read_only=True)
    latitude = serializers.SerializerMethodField()
    longitude = serializers.SerializerMethodField()
    coordinate_uncertainty_m = serializers.SerializerMethodField()
    location_precision = serializers.SerializerMethodField()
    notes_redacted = serializers.SerializerMethodField()
    can_edit = serializers.SerializerMethodField()

    class Meta:
        model = Observation
        fields = [
            "id",
            "origin_node",
            "protected_area",
            "species",
            "event",
            "observed_at",
            "latitude",
            "longitude",
            "coordinate_uncertainty_m",
            "location_precision",
            "count",
            "count_min",
            "count_max",
            "unit",
            "sex",
            "age_class",
            "evidence",
            "individual",
            "notes",
            "notes_redacted",
            "status",
            "rejection_reason",
            "reviewed_at",
            "observer_code",
            "source",
            "created_at",
            "updated_at",
            "can_edit",
        ]

    def to_representation(self, obs):
        """Built by hand: the generic field machinery costs ~0.4 ms a row, which a page of
        100 rows on a slow link should not pay (bench/bench_api_list.py)."""
        access = self.context["access"]
        audience = for_user(access)
        pa = obs.protected_area
        place = audience.record_place(obs)
        notes = audience.text(obs.notes, place.precision)
        return {
            "id": str(obs.id),
            "origin_node": obs.origin_node,
            "protected_area": pa.code,
            "species": obs.species.scientific_name,
            "event": str(obs.event_id) if obs.event_id else None,
            "observed_at": _iso(obs.observed_at),
            "latitude": place.latitude,
            "longitude": place.longitude,
            "coordinate_uncertainty_m": place.uncertainty_m,
            "location_precision": place.precision,
            "count": obs.count,
            "count_min": obs.count_min,
            "count_max": obs.count_max,
            "unit": obs.unit,
            "sex": obs.sex,
            "age_class": obs.age_class,
            "evidence": obs.evidence,
            "individual": str(obs.individual_id) if obs.individual_id else None,
            "notes": notes.value,
            "notes_redacted": notes.kept_back,
            "status": obs.status,
            "rejection_reason": obs.rejection_reason,
            "reviewed_at": _iso(obs.reviewed_at),
            "observer_code": obs.observer_code,
            "source": obs.source,
            "created_at": _iso(obs.created_at),
            "updated_at": _iso(obs.updated_at),
            "can_edit": access.can_edit_record(obs),
        }

    # The methods below describe the generated fields for the OpenAPI schema.
    def get_latitude(self, obs) -> float | None: ...

    def get_longitude(self, obs) -> float | None: ...

    def get_coordinate_uncertainty_m(self, obs) -> int | None: ...

    def get_location_precision(self, obs) -> str: ...

    def get_notes_redacted(self, obs) -> bool:
        """True when coordinates or names were taken out of the notes, or they were
        withheld (the place is shown generalised to this reader)."""

    def get_can_edit(self, obs) -> bool: ...


class EventInput(serializers.Serializer):
    id = serializers.UUIDField(required=False)
    protected_area = serializers.CharField()
    kind = serializers.ChoiceField(choices=SurveyEvent.Kind.choices)
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(required=False, allow_null=True)
    latitude = serializers.FloatField(required=False, allow_null=True)
    longitude = serializers.FloatField(required=False, allow_null=True)
    datum = serializers.ChoiceField(choices=["WGS84", "GCJ02"], required=False, default="WGS84")
    effort_km = serializers.DecimalField(9, 2, required=False, allow_null=True)
    effort_trap_nights = serializers.DecimalField(9, 1, required=False, allow_null=True)
    effort_hours = serializers.DecimalField(9, 2, required=False, allow_null=True)
    team = serializers.CharField(required=False, allow_blank=True, max_length=300)
    joint_team = serializers.BooleanField(required=False)
    protocol = serializers.CharField(required=False, allow_blank=True, max_length=300)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)

    def __init__(self, *args, partial_update=False, **kwargs):
        super().__init__(*args, **kwargs)
        if partial_update:
            for field in self.fields.values():
                field.required = False
            self.fields["datum"].default = serializers.empty


class EventOutput(serializers.ModelSerializer):
    protected_area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    latitude = serializers.SerializerMethodField()
    longitude = serializers.SerializerMethodField()
    location_precision = serializers.SerializerMethodField()

    class Meta:
        model = SurveyEvent
        fields = [
            "id",
            "origin_node",
            "protected_area",
            "kind",
            "started_at",
            "ended_at",
            "latitude",
            "longitude",
            "location_precision",
            "effort_km",
            "effort_trap_nights",
            "effort_hours",
            "team",
            "joint_team",
            "protocol",
            "notes",
            "status",
            "created_at",
            "updated_at",
        ]

    def to_representation(self, event):
        """An event's place is a route start or a camera station, where a tiger may have
        been tracked: the disclosure policy's station rule, and its notes with it."""
        data = super().to_representation(event)
        audience = for_user(self.context["access"])
        place = audience.station_place(event)
        notes = audience.text(event.notes, place.precision)
        data.update(
            latitude=place.latitude,
            longitude=place.longitude,
            location_precision=place.precision,
            notes=notes.value,
            team=audience.text(event.team, place.precision).value,
        )
        return data

    def get_latitude(self, event) -> float | None: ...

    def get_longitude(self, event) -> float | None: ...

    def get_location_precision(self, event) -> str: ...


class RejectInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ReviewManyInput(serializers.Serializer):
    ids = serializers.ListField(child=serializers.UUIDField(), min_length=1, max_length=500)
    action = serializers.ChoiceField(choices=["verify", "reject"])
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


# --- views ------------------------------------------------------------------------


class RecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Shared shape of the two record endpoints: create (idempotent by id), change, delete,
    and the review workflow."""

    input_class = None
    output_class = None
    create_service = None
    update_service = None
    record_arg = None

    def get_serializer_class(self):
        return self.output_class

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "access": access_for(self.request.user)}

    def get_object(self):
        # Anything outside the user's reach is a 404, never a 403: its existence does not leak.
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def _values(self, serializer):
        values = dict(serializer.validated_data)
        values.pop("id", None)
        return values

    def _render(self, record, code):
        record = self.get_queryset().get(pk=record.pk)
        return Response(
            self.output_class(record, context=self.get_serializer_context()).data, status=code
        )

    def create(self, request, *args, **kwargs):
        serializer = self.input_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        record, created = self.create_service(
            access=access_for(request.user),
            user=request.user,
            values=self._values(serializer),
            record_id=serializer.validated_data.get("id"),
        )
        return self._render(record, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    def partial_update(self, request, *args, **kwargs):
        record = self.get_object()
        serializer = self.input_class(data=request.data, partial_update=True)
        serializer.is_valid(raise_exception=True)
        self.update_service(
            access=access_for(request.user),
            user=request.user,
            values=self._values(serializer),
            **{self.record_arg: record},
        )
        return self._render(record, status.HTTP_200_OK)

    update = partial_update

    def destroy(self, request, *args, **kwargs):
        services.record_delete(access=access_for(request.user), record=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        record = services.record_submit(
            access=access_for(request.user), user=request.user, record=self.get_object()
        )
        return self._render(record, status.HTTP_200_OK)

    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        record = services.record_verify(
            access=access_for(request.user), user=request.user, record=self.get_object()
        )
        return self._render(record, status.HTTP_200_OK)

    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        body = RejectInput(data=request.data)
        body.is_valid(raise_exception=True)
        record = services.record_reject(
            access=access_for(request.user),
            user=request.user,
            record=self.get_object(),
            reason=body.validated_data["reason"],
        )
        return self._render(record, status.HTTP_200_OK)

    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """A PA manager takes a verified record back for correction (with a reason)."""
        body = RejectInput(data=request.data)
        body.is_valid(raise_exception=True)
        record = services.record_reopen(
            access=access_for(request.user),
            user=request.user,
            record=self.get_object(),
            reason=body.validated_data["reason"],
        )
        return self._render(record, status.HTTP_200_OK)


class ObservationViewSet(RemarksMixin, RecordViewSet):
    """Field records. ``POST`` with your own ``id`` is safe to repeat."""

    input_class = ObservationInput
    output_class = ObservationOutput
    filterset_class = ObservationFilter
    cursor_ordering = ("-observed_at", "-id")
    record_arg = "observation"

    def create_service(self, **kwargs):
        return services.observation_create(source=RecordSource.API, **kwargs)

    def update_service(self, **kwargs):
        return services.observation_update(**kwargs)

    def get_queryset(self):
        return (
            access_for(self.request.user)
            .visible_observations()
            .select_related("species", "protected_area")
        )

    @action(detail=False, methods=["post"], url_path="review")
    def review(self, request):
        """Verify or reject many submitted records at once (a PA manager's queue)."""
        body = ReviewManyInput(data=request.data)
        body.is_valid(raise_exception=True)
        result = services.observations_review(
            access=access_for(request.user),
            user=request.user,
            ids=body.validated_data["ids"],
            action=body.validated_data["action"],
            reason=body.validated_data.get("reason", ""),
        )
        return Response(result)


class EventViewSet(RecordViewSet):
    """Survey events: the effort (routes, counts, camera deployments) behind observations."""

    input_class = EventInput
    output_class = EventOutput
    filterset_class = EventFilter
    cursor_ordering = ("-started_at", "-id")
    record_arg = "event"

    def create_service(self, **kwargs):
        return services.event_create(**kwargs)

    def update_service(self, **kwargs):
        return services.event_update(**kwargs)

    def get_queryset(self):
        return access_for(self.request.user).visible_events().select_related("protected_area")
