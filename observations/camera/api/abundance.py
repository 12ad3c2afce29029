"""``/api/v1/abundance/``: detections per 100 trap-nights, both ways of counting."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
)
from rest_framework import viewsets
from rest_framework.response import Response

from ...access import access_for
from ...errors import DomainError
from ...models import Deployment, ProtectedArea
from ..abundance import Season, compute, pa_abundance, seasons_of

# --- relative abundance ----------------------------------------------------------------


class AbundanceViewSet(viewsets.ViewSet):
    """Detections per 100 trap-nights per species: ``?protected_area=CODE`` (with
    ``&season=2024-winter``) or ``?deployment=ID``. Both indices are given; ``shown`` names
    the one the pages show first (independent events, CAMERA_INDEPENDENCE_MIN apart)."""

    @extend_schema(responses={200: OpenApiResponse(description="both indices per species")})
    def list(self, request):

        access = access_for(request.user)
        deployment_id = request.query_params.get("deployment")
        if deployment_id:
            deployment = get_object_or_404(access.visible_deployments(), pk=deployment_id)
            result = compute(Deployment.objects.filter(pk=deployment.pk)).as_json()
            return Response({"deployment": str(deployment.pk), **result})
        code = request.query_params.get("protected_area", "")
        pa = get_object_or_404(ProtectedArea, code=code.upper())
        key = request.query_params.get("season", "")
        season = Season.parse(key) if key else None
        if key and season is None:
            raise DomainError(
                _("Give the season as 2024-winter (or spring, summer, autumn)."),
                "bad_season",
                field="season",
            )
        result = pa_abundance(access=access, pa=pa, season=season).as_json()
        return Response(
            {
                "protected_area": pa.code,
                "season": season.key if season else None,
                "seasons": [s.key for s in seasons_of(access=access, pa=pa)],
                **result,
            }
        )
