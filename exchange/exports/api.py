"""API of exports: ``/api/v1/exports/``.

- ``POST /api/v1/exports/`` ``{"format": "csv"|"xlsx"|"geojson"|"dwca", "filters": {...},
  "title": "", "licence": "CC-BY-4.0", "language": "ru"}`` answers 202 with the pending job
  and ``Location``; 400 with ``{code, detail, field}`` for an unknown format
  (``unknown_format``), a bad filter (``unknown_filter``, ``unknown_species``, ``bad_date``
  ...), filters that match nothing (``empty_export``); 403 for anyone but coordinators.
- ``GET /api/v1/exports/{id}/``: status, ``total_rows``, ``processed_rows``, ``percent``
  and, once done, ``download``.
- ``GET /api/v1/exports/{id}/download/``: the file (only its asker, or an admin).
- ``GET /api/v1/exports/``: your exports, newest first.

The filters are those of exchange.exports.query; CSV and XLSX headers follow ``language``
(default: the request's language).
"""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from observations.access import access_for
from observations.errors import Conflict, NotFound

from ..datasets.permissions import can_view_dataset
from ..models import ExportJob
from . import service
from .selectors import visible_exports


class ExportInput(serializers.Serializer):
    format = serializers.CharField(max_length=20)
    filters = serializers.JSONField(required=False, default=dict)
    title = serializers.CharField(required=False, allow_blank=True, max_length=300)
    licence = serializers.CharField(required=False, allow_blank=True, max_length=40)
    language = serializers.ChoiceField(
        choices=["en", "ru", "zh-hans"], required=False, allow_blank=True
    )
    purpose = serializers.ChoiceField(
        choices=ExportJob.Purpose.choices,
        required=False,
        default=ExportJob.Purpose.PUBLICATION,
        help_text="publication (default: sensitive places generalised, free text of "
        "generalised records withheld) or internal (exact places of the PAs you oversee).",
    )


class ExportOutput(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()
    page = serializers.SerializerMethodField()
    download = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "url",
            "page",
            "download",
            "status",
            "format",
            "filters",
            "purpose",
            "title",
            "licence",
            "language",
            "total_rows",
            "processed_rows",
            "percent",
            "filename",
            "size_bytes",
            "error_code",
            "detail",
            "created_at",
            "started_at",
            "finished_at",
            "expires_at",
        ]

    def get_url(self, job) -> str:
        return reverse("export-detail", args=[job.pk])

    def get_page(self, job) -> str:
        if job.dataset_version_id:  # a shared dataset's download (exchange.datasets)
            return reverse("dataset-download-page", args=[job.pk])
        return reverse("export-page", args=[job.pk])

    def get_download(self, job) -> str | None:
        if job.status != ExportJob.Status.DONE or not job.file:
            return None
        return reverse("export-download", args=[job.pk])


class ExportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Exports of field records (CSV, XLSX, GeoJSON, Darwin Core Archive), built by a worker."""

    serializer_class = ExportOutput
    cursor_ordering = ("-created_at", "-id")
    cursor_page_size = 50

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ExportJob.objects.none()
        return visible_exports(access_for(self.request.user))

    def get_object(self):
        # Someone else's export is a 404, never a 403.
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    @extend_schema(request=ExportInput, responses={202: ExportOutput})
    def create(self, request, *args, **kwargs):
        body = ExportInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        job = service.export_create(
            access=access_for(request.user),
            user=request.user,
            format=data["format"].strip().lower(),
            filters=data.get("filters") or {},
            title=data.get("title", ""),
            licence=data.get("licence", ""),
            language=data.get("language") or translation.get_language() or "en",
            purpose=data.get("purpose") or ExportJob.Purpose.PUBLICATION,
        )
        job.refresh_from_db()
        answer = self.get_serializer(job).data
        return Response(
            answer, status=status.HTTP_202_ACCEPTED, headers={"Location": answer["url"]}
        )

    @extend_schema(responses={200: OpenApiResponse(description="The file.")})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        job = self.get_object()
        if job.dataset_version_id and not can_view_dataset(
            access_for(request.user), job.dataset_version.dataset
        ):
            raise Http404  # no longer a reviewer of the dataset
        if job.status != ExportJob.Status.DONE:
            raise Conflict(_("The export is not ready yet."), "not_ready")
        if not job.file or not job.file.storage.exists(job.file.name):
            raise NotFound(_("The export's file has expired."), "expired")
        return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)
