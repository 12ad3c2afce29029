"""``/api/v1/individual-matches/``: one animal under two catalogue codes."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ...access import access_for
from ...models import IndividualMatch, Species
from ...timefmt import utc_iso as _iso
from ..matches import animal_count, match_confirm, match_propose, match_reject
from ..selectors import matches_queryset

# --- transboundary individuals ---------------------------------------------------------


class MatchInput(serializers.Serializer):
    code = serializers.CharField(max_length=60, help_text="e.g. RU T-12")
    same_as = serializers.CharField(max_length=60, help_text="e.g. CN AT-033")
    evidence = serializers.ListField(child=serializers.UUIDField(), required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ConfirmInput(serializers.Serializer):
    side = serializers.ChoiceField(choices=["CN", "RU", "MN"], required=False)


class ReasonInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


def match_json(match, access) -> dict:
    return {
        "id": str(match.pk),
        "origin_node": match.origin_node,
        "species": match.individual_a.species.scientific_name,
        "codes": [f"{match.side_a} {match.code_a}", f"{match.side_b} {match.code_b}"],
        "individuals": [str(match.individual_a_id), str(match.individual_b_id)],
        "status": match.status,
        "confirmed": {
            match.side_a: _iso(match.confirmed_a_at),
            match.side_b: _iso(match.confirmed_b_at),
        },
        "evidence": [str(m.pk) for m in match.evidence.all()],
        "note": match.note,
        "rejection_reason": match.rejection_reason,
        "can_confirm": access.match_sides_to_confirm(match),
        "created_at": _iso(match.created_at),
    }


class MatchOutput(serializers.Serializer):
    id = serializers.UUIDField()
    codes = serializers.ListField(child=serializers.CharField())
    status = serializers.CharField()

    def to_representation(self, instance):
        return match_json(instance, self.context["access"])


class MatchViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Proposed and confirmed matches of individuals across the border. ``GET
    count/?species=...`` gives the number of animals, a confirmed match counted once."""

    serializer_class = MatchOutput
    pagination_class = None

    def get_queryset(self):

        qs = matches_queryset()
        status_filter = self.request.query_params.get("status")
        if status_filter:
            qs = qs.filter(status=status_filter)
        return qs[:500]

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "access": access_for(self.request.user)}

    def get_object(self):

        return get_object_or_404(
            IndividualMatch.objects.select_related("individual_a__species"), pk=self.kwargs["pk"]
        )

    def _render(self, match, code=status.HTTP_200_OK):
        return Response(
            match_json(self.get_object_for(match), access_for(self.request.user)), status=code
        )

    def get_object_for(self, match):

        return matches_queryset().get(pk=match.pk)

    @extend_schema(request=MatchInput, responses={201: MatchOutput})
    def create(self, request):

        body = MatchInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        match = match_propose(
            access=access_for(request.user),
            user=request.user,
            code_a=data["code"],
            code_b=data["same_as"],
            evidence=data.get("evidence", []),
            note=data.get("note", ""),
        )
        return self._render(match, status.HTTP_201_CREATED)

    @extend_schema(request=ConfirmInput, responses={200: MatchOutput})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):

        body = ConfirmInput(data=request.data)
        body.is_valid(raise_exception=True)
        match = match_confirm(
            access=access_for(request.user),
            user=request.user,
            match=self.get_object(),
            side=body.validated_data.get("side"),
        )
        return self._render(match)

    @extend_schema(request=ReasonInput, responses={200: MatchOutput})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):

        body = ReasonInput(data=request.data)
        body.is_valid(raise_exception=True)
        match = match_reject(
            access=access_for(request.user),
            user=request.user,
            match=self.get_object(),
            reason=body.validated_data["reason"],
        )
        return self._render(match)

    @extend_schema(responses={200: OpenApiResponse(description="animals, matches counted once")})
    @action(detail=False, methods=["get"])
    def count(self, request):

        name = request.query_params.get("species", "Panthera pardus orientalis")
        species = get_object_or_404(Species, scientific_name__iexact=name)
        return Response(animal_count(species).as_json())
