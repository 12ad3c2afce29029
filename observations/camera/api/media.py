"""``/api/v1/media/``: upload one photo, read it back as the user may (see the package)."""

from __future__ import annotations

import django_filters
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from ...access import access_for
from ...errors import NotAllowed
from ...models import Media
from ...timefmt import utc_iso as _iso
from ..files import media_download
from ..ingest import media_upload
from ..people import media_flag_people, media_release

# --- photos ----------------------------------------------------------------------------


class MediaInput(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)
    deployment = serializers.UUIDField()
    id = serializers.UUIDField(required=False)
    has_people = serializers.BooleanField(required=False, default=False)


class MediaFilter(django_filters.FilterSet):
    deployment = django_filters.UUIDFilter(field_name="deployment_id")
    sequence = django_filters.UUIDFilter(field_name="sequence_id")
    status = django_filters.ChoiceFilter(choices=Media.Status.choices)
    sha256 = django_filters.CharFilter()

    class Meta:
        model = Media
        fields = []


def media_json(media: Media, access) -> dict:
    exact = access.gets_original_media(media)
    base = f"/api/v1/media/{media.pk}/"
    has_copies = media.status == Media.Status.READY
    return {
        "id": str(media.pk),
        "deployment": str(media.deployment_id),
        "sequence": str(media.sequence_id) if media.sequence_id else None,
        "sha256": media.sha256,
        # A camera names its files after its serial number or the station's place.
        "original_name": media.original_name if exact else "",
        "content_type": media.content_type,
        "size_bytes": media.size_bytes,
        "width": media.width,
        "height": media.height,
        "taken_at": _iso(media.taken_at),
        "camera_make": media.camera_make,
        "camera_model": media.camera_model,
        "exif_latitude": media.exif_latitude if exact else None,
        "exif_longitude": media.exif_longitude if exact else None,
        "status": media.status,
        "error": media.error,
        "has_people": media.has_people,
        "released": media.released_by_id is not None,
        "file_url": f"{base}file/" if media.file else None,
        "preview_url": f"{base}preview/" if has_copies else None,
        "thumbnail_url": f"{base}thumbnail/" if has_copies else None,
        "created_at": _iso(media.created_at),
    }


class MediaOutput(serializers.Serializer):
    id = serializers.UUIDField()
    deployment = serializers.UUIDField()
    sequence = serializers.UUIDField(allow_null=True)
    sha256 = serializers.CharField()
    taken_at = serializers.DateTimeField(allow_null=True)
    status = serializers.CharField()
    has_people = serializers.BooleanField()
    thumbnail_url = serializers.CharField(allow_null=True)

    def to_representation(self, instance):
        return media_json(instance, self.context["access"])


class PeopleInput(serializers.Serializer):
    has_people = serializers.BooleanField()


def _file_response(download) -> HttpResponse:
    response = HttpResponse(download.data, content_type=download.content_type)
    safe = download.filename.replace('"', "")
    response["Content-Disposition"] = f'inline; filename="{safe}"'
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Metadata-Stripped"] = "1" if download.stripped else "0"
    return response


class MediaViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Camera-trap photos. Upload one per request (a field app sends a card's photos one by
    one); the same file sent again answers 200 with the stored photo."""

    serializer_class = MediaOutput
    filterset_class = MediaFilter
    cursor_ordering = ("-created_at", "-id")
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Media.objects.none()
        return (
            access_for(self.request.user)
            .visible_media()
            .select_related("deployment__event__protected_area")
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "access": access_for(self.request.user)}

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    @extend_schema(
        request={"multipart/form-data": MediaInput},
        responses={
            201: MediaOutput,
            200: MediaOutput,
            400: OpenApiResponse(description="refused: {code, detail}"),
            413: OpenApiResponse(description="file_too_large"),
        },
    )
    def create(self, request, *args, **kwargs):
        access = access_for(request.user)
        if not access.can_write:
            raise NotAllowed(_("You may not add photos."), "forbidden")
        declared = _declared_length(request)
        from .. import safety

        if declared > safety.max_bytes() + 64 * 1024:
            raise safety.too_large()  # refused before the body is read
        body = MediaInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        deployment = get_object_or_404(
            access.visible_deployments().select_related("event__protected_area"),
            pk=data["deployment"],
        )
        media, created = media_upload(
            access=access,
            user=request.user,
            deployment=deployment,
            upload=data["file"],
            has_people=data["has_people"],
            record_id=data.get("id"),
        )
        media = self.get_queryset().get(pk=media.pk)
        return Response(
            media_json(media, access),
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    def _download(self, kind):
        media = self.get_object()
        return _file_response(
            media_download(access=access_for(self.request.user), media=media, kind=kind)
        )

    @extend_schema(responses={(200, "image/*"): OpenApiResponse(description="the photo")})
    @action(detail=True, methods=["get"])
    def file(self, request, pk=None):
        """The photo: as received for those who oversee its PA; otherwise without GPS and
        maker notes (``X-Metadata-Stripped: 1``)."""
        return self._download("original")

    @extend_schema(responses={(200, "image/jpeg"): OpenApiResponse(description="~1,150 px")})
    @action(detail=True, methods=["get"])
    def preview(self, request, pk=None):
        return self._download("preview")

    @extend_schema(responses={(200, "image/jpeg"): OpenApiResponse(description="400 px")})
    @action(detail=True, methods=["get"])
    def thumbnail(self, request, pk=None):
        return self._download("thumbnail")

    @extend_schema(request=PeopleInput, responses={200: MediaOutput})
    @action(detail=True, methods=["post"])
    def people(self, request, pk=None):
        """Mark the photo as showing people (it then stays in its PA) or not."""
        body = PeopleInput(data=request.data)
        body.is_valid(raise_exception=True)
        access = access_for(request.user)
        media = media_flag_people(
            access=access,
            user=request.user,
            media=self.get_object(),
            has_people=body.validated_data["has_people"],
        )
        return Response(media_json(media, access))

    @extend_schema(request=None, responses={200: MediaOutput})
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        """A coordinator lets a photo showing people be shared outside its PA."""
        access = access_for(request.user)
        media = media_release(access=access, user=request.user, media=self.get_object())
        return Response(media_json(media, access))


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0
