"""Filters of the record endpoints. The place filter works on the place the reader sees
(the disclosure policy's answer), so that no filter can tell more than the answer shows."""

import math

import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError

from ...access import access_for
from ...api.filters import StrictFilterSet
from ...disclosure import for_user
from ...models import Country, Evidence, Observation, RecordStatus, SurveyEvent


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
