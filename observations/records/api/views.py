"""API of field records: /api/v1/observations/ and /api/v1/events/.

Thin views: parse with a serializer, call one service, render with a
serializer. Who may see and do what is asked of observations.access;
what a reader sees of a record's place and notes is the disclosure policy's answer
(observations.disclosure), and the place filter works on the place the reader sees, so
that no filter can tell more than the answer shows.
"""

from django.shortcuts import get_object_or_404
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ...access import access_for
from ...models.records import RecordSource
from ...remarks.api import RemarksMixin
from .. import selectors, services
from .filters import EventFilter, ObservationFilter
from .serializers import (
    EventInput,
    EventOutput,
    ObservationInput,
    ObservationOutput,
    RejectInput,
    ReviewManyInput,
)


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
        return selectors.api_observations(access_for(self.request.user))

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
        return selectors.api_events(access_for(self.request.user))
