"""What the record endpoints read and write. The fields are the record kinds'
(observations.records.kinds); what a reader sees of a place or a note is the disclosure
policy's answer (observations.disclosure)."""

from rest_framework import serializers

from ...api.inputs import PartialInput
from ...disclosure import for_user
from ...models import Evidence, Observation, SurveyEvent
from ..kinds import API, EVENT, OBSERVATION
from ..shown import observation_shown


class ObservationInput(PartialInput):
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


# Keys the API derives from what the reader is shown, each after the field it follows.
SHOWN_OBSERVATION = {"location_precision": "coordinate_uncertainty_m", "notes_redacted": "notes"}


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
        # The wire names of the record kind, with what the reader is shown of them.
        fields = [*OBSERVATION.wire_names(API, after=SHOWN_OBSERVATION), "can_edit"]

    def to_representation(self, obs):
        """Built from the record kind's converters, not DRF's field machinery: that costs
        ~0.4 ms a row, which a page of 100 rows on a slow link should not pay
        (bench/bench_api_list.py)."""
        access = self.context["access"]
        audience = for_user(access)
        data = observation_shown(obs, API, audience)
        data["can_edit"] = access.can_edit_record(obs)
        return data

    # The methods below describe the generated fields for the OpenAPI schema.
    def get_latitude(self, obs) -> float | None: ...

    def get_longitude(self, obs) -> float | None: ...

    def get_coordinate_uncertainty_m(self, obs) -> int | None: ...

    def get_location_precision(self, obs) -> str: ...

    def get_notes_redacted(self, obs) -> bool:
        """True when coordinates or names were taken out of the notes, or they were
        withheld (the place is shown generalised to this reader)."""

    def get_can_edit(self, obs) -> bool: ...


class EventInput(PartialInput):
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


class EventOutput(serializers.ModelSerializer):
    protected_area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    latitude = serializers.SerializerMethodField()
    longitude = serializers.SerializerMethodField()
    location_precision = serializers.SerializerMethodField()

    class Meta:
        model = SurveyEvent
        fields = EVENT.wire_names(API, after={"location_precision": "longitude"})

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
            protocol=event.protocol,  # as stored here (the feed sends it as a label)
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
