"""``/api/v1/deployments/``: a station's season (a "camera_trap" survey event with camera
details). ``POST`` with your own ``id`` is safe to repeat; ``GET {id}/sequences/`` lists its
bursts."""

from __future__ import annotations

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ...access import access_for
from ...api.inputs import PartialInput
from ...api.pagination import Cursor
from ...disclosure import for_user
from ...models import Deployment, RecordStatus, Sequence
from ...timefmt import utc_iso as _iso
from .. import deployments as deployment_service
from ..selectors import deployments_with_counts, sequence_queryset
from .common import _num
from .sequences import SEQUENCE_ORDER, sequence_json

# --- deployments -----------------------------------------------------------------------


class DeploymentFilter(django_filters.FilterSet):
    protected_area = django_filters.CharFilter(field_name="event__protected_area__code")
    status = django_filters.ChoiceFilter(field_name="event__status", choices=RecordStatus.choices)
    started_after = django_filters.IsoDateTimeFilter(
        field_name="event__started_at", lookup_expr="gte"
    )
    started_before = django_filters.IsoDateTimeFilter(
        field_name="event__started_at", lookup_expr="lt"
    )
    station = django_filters.CharFilter(field_name="station", lookup_expr="iexact")

    class Meta:
        model = Deployment
        fields = []


class DeploymentInput(PartialInput):
    id = serializers.UUIDField(required=False)
    protected_area = serializers.CharField()
    station = serializers.CharField(max_length=100)
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(required=False, allow_null=True)
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    datum = serializers.ChoiceField(choices=["WGS84", "GCJ02"], required=False, default="WGS84")
    camera_make = serializers.CharField(required=False, allow_blank=True, max_length=100)
    camera_model = serializers.CharField(required=False, allow_blank=True, max_length=100)
    camera_serial = serializers.CharField(required=False, allow_blank=True, max_length=100)
    camera_height_m = serializers.DecimalField(4, 2, required=False, allow_null=True)
    camera_heading = serializers.IntegerField(required=False, allow_null=True)
    camera_tilt = serializers.IntegerField(required=False, allow_null=True)
    camera_delay_s = serializers.IntegerField(required=False, allow_null=True)
    detection_distance_m = serializers.DecimalField(5, 2, required=False, allow_null=True)
    bait = serializers.BooleanField(required=False, default=False)
    feature_type = serializers.ChoiceField(
        choices=Deployment.FeatureType.choices, required=False, allow_blank=True
    )
    habitat = serializers.CharField(required=False, allow_blank=True, max_length=200)
    problem = serializers.ChoiceField(
        choices=Deployment.Problem.choices, required=False, allow_blank=True
    )
    working_until = serializers.DateTimeField(required=False, allow_null=True)
    timestamp_issues = serializers.BooleanField(required=False, default=False)
    team = serializers.CharField(required=False, allow_blank=True, max_length=300)
    protocol = serializers.CharField(required=False, allow_blank=True, max_length=300)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)


def deployment_json(deployment: Deployment, access) -> dict:
    event = deployment.event
    pa = event.protected_area
    audience = for_user(access)
    exact = audience.sees_exactly(pa)
    place = audience.station_place(event)

    def text(value):
        return audience.text(value, place.precision).value

    return {
        "id": str(deployment.pk),
        "origin_node": event.origin_node,
        "protected_area": pa.code,
        "station": audience.label(deployment.station, place.precision),
        "started_at": _iso(event.started_at),
        "ended_at": _iso(event.ended_at),
        "latitude": place.latitude,
        "longitude": place.longitude,
        "location_precision": place.precision,
        "camera_make": deployment.camera_make,
        "camera_model": deployment.camera_model,
        "camera_serial": deployment.camera_serial if exact else "",
        "camera_height_m": _num(deployment.camera_height_m),
        "camera_heading": deployment.camera_heading,
        "camera_tilt": deployment.camera_tilt,
        "camera_delay_s": deployment.camera_delay_s,
        "detection_distance_m": _num(deployment.detection_distance_m),
        "bait": deployment.bait,
        "feature_type": deployment.feature_type,
        "habitat": deployment.habitat,
        "problem": text(deployment.problem),
        "working_until": _iso(deployment.working_until),
        "timestamp_issues": deployment.timestamp_issues,
        "trap_nights": _num(event.effort_trap_nights),
        "status": event.status,
        "team": event.team if exact else "",
        "protocol": text(event.protocol),
        "notes": text(event.notes),
        "media_count": getattr(deployment, "media_total", None),
        "sequence_count": getattr(deployment, "sequence_total", None),
        "unclassified_sequences": getattr(deployment, "unclassified_total", None),
        "can_edit": access.can_edit_deployment(deployment),
        "can_upload": access.can_work_on_deployment(deployment),
        "created_at": _iso(event.created_at),
        "updated_at": _iso(event.updated_at),
    }


class DeploymentOutput(serializers.Serializer):
    """Documented shape (the rows are built by ``deployment_json``)."""

    id = serializers.UUIDField()
    protected_area = serializers.CharField()
    station = serializers.CharField()
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    location_precision = serializers.CharField()
    trap_nights = serializers.FloatField(allow_null=True)
    status = serializers.CharField()
    media_count = serializers.IntegerField()
    sequence_count = serializers.IntegerField()
    unclassified_sequences = serializers.IntegerField()

    def to_representation(self, instance):
        return deployment_json(instance, self.context["access"])


_DEPLOYMENT_ID = OpenApiParameter(
    "id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="the deployment's survey event"
)


@extend_schema_view(
    retrieve=extend_schema(parameters=[_DEPLOYMENT_ID]),
    partial_update=extend_schema(parameters=[_DEPLOYMENT_ID]),
    update=extend_schema(parameters=[_DEPLOYMENT_ID]),
    destroy=extend_schema(parameters=[_DEPLOYMENT_ID]),
    sequences=extend_schema(parameters=[_DEPLOYMENT_ID]),
)
class DeploymentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Camera deployments: a station's season. ``POST`` with your own ``id`` is safe to
    repeat. The trap-nights are computed from the dates (and ``working_until`` when the
    camera failed)."""

    serializer_class = DeploymentOutput
    filterset_class = DeploymentFilter
    cursor_ordering = ("-event__started_at", "-event_id")

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Deployment.objects.none()
        access = access_for(self.request.user)
        return deployments_with_counts(access.visible_deployments())

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "access": access_for(self.request.user)}

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    def _render(self, deployment, code):
        fresh = self.get_queryset().get(pk=deployment.pk)
        return Response(deployment_json(fresh, access_for(self.request.user)), status=code)

    @extend_schema(request=DeploymentInput, responses={201: DeploymentOutput})
    def create(self, request, *args, **kwargs):
        body = DeploymentInput(data=request.data)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        record_id = values.pop("id", None)
        deployment, created = deployment_service.deployment_create(
            access=access_for(request.user), user=request.user, values=values, record_id=record_id
        )
        return self._render(deployment, status.HTTP_201_CREATED if created else status.HTTP_200_OK)

    @extend_schema(request=DeploymentInput, responses={200: DeploymentOutput})
    def partial_update(self, request, *args, **kwargs):
        deployment = self.get_object()
        body = DeploymentInput(data=request.data, partial_update=True)
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        values.pop("id", None)
        deployment_service.deployment_update(
            access=access_for(request.user),
            user=request.user,
            deployment=deployment,
            values=values,
        )
        return self._render(deployment, status.HTTP_200_OK)

    update = partial_update

    def destroy(self, request, *args, **kwargs):
        deployment_service.deployment_delete(
            access=access_for(request.user), deployment=self.get_object()
        )
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["get"])
    def sequences(self, request, pk=None):
        """The deployment's sequences in time order (``?state=unclassified`` to filter)."""
        deployment = self.get_object()
        qs = sequence_queryset().filter(deployment=deployment, media_count__gt=0)
        state = request.query_params.get("state")
        if state in Sequence.State.values:
            qs = qs.filter(state=state)
        page = Cursor(ordering=SEQUENCE_ORDER)
        rows = page.paginate_queryset(qs, request, view=self)
        access = access_for(request.user)
        return page.get_paginated_response([sequence_json(s, access) for s in rows])
