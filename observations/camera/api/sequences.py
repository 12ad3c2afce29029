"""``/api/v1/sequences/``: bursts of photos, and their classification."""

from __future__ import annotations

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import (
    extend_schema,
)
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ...access import access_for
from ...models import Sequence
from ...timefmt import utc_iso as _iso
from .. import classify as classify_service
from ..selectors import sequence_queryset, shown_photos

# --- sequences and classification ------------------------------------------------------


SEQUENCE_ORDER = ("started_at", "id")  # a deployment's sequences page in time order


def sequence_json(sequence: Sequence, access) -> dict:
    media = shown_photos(access, sequence.deployment, sequence.media.all())
    return {
        "id": str(sequence.pk),
        "deployment": str(sequence.deployment_id),
        "started_at": _iso(sequence.started_at),
        "ended_at": _iso(sequence.ended_at),
        "media_count": sequence.media_count,
        "state": sequence.state,
        "classified_at": _iso(sequence.classified_at),
        "media": [
            {
                "id": str(m.pk),
                "taken_at": _iso(m.taken_at),
                "thumbnail_url": f"/api/v1/media/{m.pk}/thumbnail/",
                "preview_url": f"/api/v1/media/{m.pk}/preview/",
                "has_people": m.has_people,
            }
            for m in sorted(media, key=lambda m: (m.taken_at is None, m.taken_at, str(m.pk)))
        ],
        "classifications": [
            {
                "kind": c.kind,
                "species": c.species.scientific_name if c.species else c.scientific_name or None,
                "count": c.count,
                "individual": str(c.individual) if c.individual else None,
                "observation": str(c.observation_id) if c.observation_id else None,
            }
            for c in sequence.classifications.all()
        ],
    }


class SeenInput(serializers.Serializer):
    species = serializers.CharField()
    count = serializers.IntegerField(min_value=1, default=1)
    individual = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    new_individual = serializers.BooleanField(required=False, default=False)
    new_individual_code = serializers.CharField(required=False, allow_blank=True, max_length=50)
    sex = serializers.ChoiceField(
        choices=["", "unknown", "male", "female"], required=False, allow_blank=True
    )
    age_class = serializers.ChoiceField(
        choices=["", "unknown", "adult", "subadult", "juvenile", "cub"],
        required=False,
        allow_blank=True,
    )
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ClassifyInput(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=["empty", "people", "animals"])
    seen = SeenInput(many=True, required=False)


class SequenceFilter(django_filters.FilterSet):
    deployment = django_filters.UUIDFilter(field_name="deployment_id")
    state = django_filters.ChoiceFilter(choices=Sequence.State.choices)

    class Meta:
        model = Sequence
        fields = []


class SequenceOutput(serializers.Serializer):
    id = serializers.UUIDField()
    deployment = serializers.UUIDField()
    started_at = serializers.DateTimeField(allow_null=True)
    state = serializers.CharField()

    def to_representation(self, instance):
        return sequence_json(instance, self.context["access"])


class SequenceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Bursts of photos, to be classified."""

    serializer_class = SequenceOutput
    filterset_class = SequenceFilter
    cursor_ordering = SEQUENCE_ORDER

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Sequence.objects.none()
        deployments = access_for(self.request.user).visible_deployments().values("pk")
        return sequence_queryset().filter(deployment__in=deployments, media_count__gt=0)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "access": access_for(self.request.user)}

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    @extend_schema(request=ClassifyInput, responses={200: SequenceOutput})
    @action(detail=True, methods=["post"])
    def classify(self, request, pk=None):
        """Empty, people, or the species seen (each filed as an observation)."""
        body = ClassifyInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        seen = [classify_service.Seen(**item) for item in data.get("seen", [])]
        access = access_for(request.user)
        classify_service.sequence_classify(
            access=access,
            user=request.user,
            sequence=self.get_object(),
            verdict=data["verdict"],
            seen=seen,
        )
        return Response(sequence_json(self.get_object(), access))
