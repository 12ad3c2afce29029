"""``/api/v1/camtrap-dp/``: import a Camtrap DP package; ``export/`` makes one."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from ...access import access_for
from ...errors import DomainError
from ...models import ProtectedArea
from ..camtrap_dp import PackageInvalid, camtrap_dp_export, camtrap_dp_import

# --- Camtrap DP ------------------------------------------------------------------------


class CamtrapExportInput(serializers.Serializer):
    deployments = serializers.ListField(child=serializers.UUIDField(), required=False)
    protected_area = serializers.CharField(required=False, allow_blank=True)
    include_media = serializers.BooleanField(required=False, default=False)


def camtrap_response(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class CamtrapImportInput(serializers.Serializer):
    file = serializers.FileField()
    protected_area = serializers.CharField(max_length=40)


class CamtrapViewSet(viewsets.ViewSet):
    """Camtrap DP packages: ``POST /api/v1/camtrap-dp/`` imports one (multipart: ``file``, a
    zip, and ``protected_area``); ``POST /api/v1/camtrap-dp/export/`` makes one of the
    deployments given (or of a PA), generalised and without photos of people."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        request={"multipart/form-data": CamtrapImportInput},
        responses={201: OpenApiResponse(description="what was imported"), 400: None},
    )
    def create(self, request):

        body = CamtrapImportInput(data=request.data)
        body.is_valid(raise_exception=True)
        pa = ProtectedArea.objects.filter(code=body.validated_data["protected_area"].upper())
        pa = pa.first()
        if pa is None:
            raise DomainError(
                _("Unknown protected area."), "unknown_protected_area", field="protected_area"
            )
        try:
            result = camtrap_dp_import(
                access=access_for(request.user),
                user=request.user,
                upload=body.validated_data["file"],
                protected_area=pa,
            )
        except PackageInvalid as exc:
            return Response(
                {
                    "code": exc.code,
                    "detail": str(exc.message),
                    "field": "file",
                    "errors": [e.as_json() for e in exc.errors[:500]],
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        created = result.deployments or result.media or result.classifications
        return Response(
            result.as_json(), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @extend_schema(request=CamtrapExportInput, responses={(200, "application/zip"): None})
    @action(detail=False, methods=["post"])
    def export(self, request):

        body = CamtrapExportInput(data=request.data)
        body.is_valid(raise_exception=True)
        access = access_for(request.user)
        deployments = access.visible_deployments()
        data = body.validated_data
        if data.get("deployments"):
            deployments = deployments.filter(pk__in=data["deployments"])
        elif data.get("protected_area"):
            deployments = deployments.filter(
                event__protected_area__code=data["protected_area"].upper()
            )
        else:
            raise DomainError(_("Choose deployments or a protected area."), "nothing_chosen")
        package = camtrap_dp_export(
            access=access, deployments=deployments, include_media=data["include_media"]
        )
        return camtrap_response(package, "camtrap-dp.zip")
