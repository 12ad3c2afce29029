"""API of file imports: ``POST /api/v1/imports/`` and ``GET /api/v1/imports/{id}/``.

``POST`` (multipart): ``file`` (CSV or XLSX), optional ``protected_area`` (PA code for rows
that name none), ``dry_run``, ``all_or_nothing``, ``encoding`` (utf-8, cp1251, gb18030;
detected when left out). A small file is imported at once: 201 with the finished job (200
for a preview). A file of more than IMPORT_ASYNC_ROWS rows answers 202 with the pending
job; poll ``GET /api/v1/imports/{id}/`` for progress. A file that cannot be read at all
answers 400 (413 when too large) with ``{code, detail, field}`` and stores nothing.
``POST /api/v1/imports/{id}/confirm/`` imports the file of a finished preview.
"""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from ..access import access_for
from ..errors import NotAllowed
from ..models import ImportJob
from . import services


class ImportInput(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)
    protected_area = serializers.CharField(required=False, allow_blank=True, max_length=40)
    dry_run = serializers.BooleanField(required=False, default=False)
    all_or_nothing = serializers.BooleanField(required=False, default=False)
    encoding = serializers.CharField(required=False, allow_blank=True, max_length=20)


class RowErrorOutput(serializers.Serializer):
    row = serializers.IntegerField()
    column = serializers.CharField()
    field = serializers.CharField()
    code = serializers.CharField()
    message = serializers.CharField()


class ImportJobOutput(serializers.ModelSerializer):
    errors = RowErrorOutput(many=True, read_only=True)
    errors_truncated = serializers.BooleanField(read_only=True)
    percent = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()
    page = serializers.SerializerMethodField()

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "url",
            "page",
            "status",
            "filename",
            "protected_area",
            "dry_run",
            "all_or_nothing",
            "total_rows",
            "processed_rows",
            "percent",
            "created",
            "unchanged",
            "invalid_rows",
            "error_count",
            "errors",
            "errors_truncated",
            "ignored_columns",
            "preview",
            "detail",
            "created_at",
            "started_at",
            "finished_at",
        ]

    def get_url(self, job) -> str:
        return reverse("import-detail", args=[job.pk])

    def get_page(self, job) -> str:
        return reverse("import-job", args=[job.pk])


class ImportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your file imports: upload a file, then follow its progress and outcome."""

    serializer_class = ImportJobOutput
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return ImportJob.objects.none()
        return access_for(self.request.user).visible_jobs(ImportJob)

    def get_object(self):
        # Someone else's import is a 404, never a 403.
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    @extend_schema(
        request={"multipart/form-data": ImportInput},
        responses={200: ImportJobOutput, 201: ImportJobOutput, 202: ImportJobOutput},
    )
    def create(self, request, *args, **kwargs):
        if not access_for(request.user).can_write:
            raise NotAllowed(_("You may not import records."), "forbidden")
        if _declared_length(request) > services.max_bytes() + 64 * 1024:
            raise services.file_too_large()  # refused before the body is read
        body = ImportInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        job = services.import_job_create(
            user=request.user,
            upload=data["file"],
            protected_area=data.get("protected_area", ""),
            dry_run=data["dry_run"],
            all_or_nothing=data["all_or_nothing"],
            encoding=data.get("encoding", ""),
        )
        return self._answer(job)

    @extend_schema(request=None, responses={201: ImportJobOutput, 202: ImportJobOutput})
    @action(detail=True, methods=["post"], parser_classes=[FormParser, MultiPartParser])
    def confirm(self, request, pk=None):
        """Import for real the file of a finished preview."""
        job = services.import_job_confirm(user=request.user, job=self.get_object())
        return self._answer(job)

    def _answer(self, job):
        if not job.is_finished:
            code = status.HTTP_202_ACCEPTED
        elif job.dry_run or job.status == ImportJob.Status.FAILED:
            code = status.HTTP_200_OK
        else:
            code = status.HTTP_201_CREATED
        data = self.get_serializer(job).data
        return Response(data, status=code, headers={"Location": data["url"]})


def _declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0
