"""API of summaries: ``/api/v1/summaries/``.

- ``POST /api/v1/summaries/`` ``{"species": "Panthera tigris altaica" | "panthera-tigris-altaica",
  "scope": "joint" | "country" | "pa", "country": "RU", "protected_area": "RU-KHANKAISKY",
  and one of "year": 2025, "season": "2025-winter", "campaign": "<uuid>"}`` answers 202 with
  the pending summary and ``Location``; 400 with ``{code, detail, field}`` for an unknown
  species (``unknown_species``), a bad period (``bad_period``, ``unknown_campaign``,
  ``species_mismatch``) or scope (``bad_scope``, ``scope_mismatch``, ``unknown_country``,
  ``unknown_protected_area``); 403 for anyone but coordinators.
- ``GET /api/v1/summaries/``: the summaries you may read, newest first, each with
  ``outdated`` (its data changed since it was made; null until it is made).
- ``GET /api/v1/summaries/{id}/``: the same with its ``figures``.
- ``GET /api/v1/summaries/{id}/pdf/`` and ``.../html/``: the files, Russian and Chinese side
  by side; ``?english=1`` adds English. 409 ``not_ready`` until the summary is made.
"""

from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from observations.access import access_for
from observations.errors import Conflict, NotAllowed, NotFound

from ..models import Summary
from . import html as rendering
from . import service
from .fingerprint import mark_outdated
from .selectors import summary_for, visible_summaries


class SummaryInput(serializers.Serializer):
    species = serializers.CharField(max_length=200)
    scope = serializers.CharField(max_length=20)
    country = serializers.CharField(max_length=2, required=False, allow_blank=True)
    protected_area = serializers.CharField(max_length=40, required=False, allow_blank=True)
    year = serializers.CharField(max_length=10, required=False, allow_blank=True)
    season = serializers.CharField(max_length=20, required=False, allow_blank=True)
    campaign = serializers.CharField(max_length=60, required=False, allow_blank=True)


class SummaryOutput(serializers.ModelSerializer):
    species = serializers.SlugRelatedField(slug_field="scientific_name", read_only=True)
    protected_area = serializers.SlugRelatedField(slug_field="code", read_only=True)
    name = serializers.SerializerMethodField()
    outdated = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()
    page = serializers.SerializerMethodField()
    pdf = serializers.SerializerMethodField()
    html = serializers.SerializerMethodField()
    error = serializers.SerializerMethodField()

    class Meta:
        model = Summary
        fields = [
            "id",
            "url",
            "page",
            "pdf",
            "html",
            "name",
            "status",
            "species",
            "scope",
            "country",
            "protected_area",
            "period_kind",
            "period_key",
            "campaign",
            "trigger",
            "basis",
            "total",
            "outdated",
            "fingerprint",
            "created_at",
            "started_at",
            "made_at",
            "error_code",
            "error",
        ]

    def get_name(self, summary) -> dict:
        return rendering.describe(summary)

    def get_outdated(self, summary) -> bool | None:
        return getattr(summary, "outdated", None)

    def get_url(self, summary) -> str:
        return reverse("summary-detail", args=[summary.pk])

    def get_page(self, summary) -> str:
        return reverse("summary-page", args=[summary.pk])

    def get_pdf(self, summary) -> str | None:
        return reverse("summary-pdf", args=[summary.pk]) if summary.status == "done" else None

    def get_html(self, summary) -> str | None:
        return reverse("summary-html", args=[summary.pk]) if summary.status == "done" else None

    def get_error(self, summary) -> str:
        return rendering.error_message(summary)


class SummaryDetailOutput(SummaryOutput):
    class Meta(SummaryOutput.Meta):
        fields = [*SummaryOutput.Meta.fields, "survey_kinds", "figures"]


ENGLISH = OpenApiParameter("english", bool, description="Add English as a third language.")


class SummaryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Population-status summaries, built by a worker; Russian and Chinese side by side."""

    serializer_class = SummaryOutput
    cursor_ordering = ("-created_at", "-id")
    cursor_page_size = 20

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Summary.objects.none()
        return visible_summaries(access_for(self.request.user))

    def get_object(self):
        try:
            summary = summary_for(access_for(self.request.user), self.kwargs["pk"])
        except (Summary.DoesNotExist, ValidationError, ValueError) as exc:
            raise NotFound(_("No such summary."), "not_found") from exc
        mark_outdated([summary])
        return summary

    def list(self, request, *args, **kwargs):
        if not access_for(request.user).can_read_summaries:
            raise NotAllowed(_("You may not read summaries."), "forbidden")
        page = self.paginate_queryset(self.get_queryset())
        mark_outdated(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return Response(SummaryDetailOutput(self.get_object()).data)

    @extend_schema(request=SummaryInput, responses={202: SummaryOutput})
    def create(self, request, *args, **kwargs):
        body = SummaryInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        summary = service.summary_create(
            access=access_for(request.user),
            user=request.user,
            species=data["species"],
            scope=data["scope"],
            country=data.get("country", ""),
            protected_area=data.get("protected_area", ""),
            year=data.get("year") or None,
            season=data.get("season") or None,
            campaign=data.get("campaign") or None,
        )
        summary = summary_for(access_for(request.user), summary.pk)
        answer = SummaryOutput(summary).data
        return Response(
            answer, status=status.HTTP_202_ACCEPTED, headers={"Location": answer["url"]}
        )

    def _ready(self) -> Summary:
        summary = self.get_object()
        if summary.status != Summary.Status.DONE:
            raise Conflict(_("The summary is not made yet."), "not_ready")
        return summary

    @extend_schema(parameters=[ENGLISH], responses={200: OpenApiResponse(description="PDF")})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        summary = self._ready()
        english = request.query_params.get("english") in ("1", "true", "yes")
        file = service.english_pdf(summary) if english else summary.pdf
        if not file or not file.storage.exists(file.name):
            raise NotFound(_("The summary's file is missing: ask for it again."), "missing")
        name = service.filename(summary, "pdf", english=english)
        return FileResponse(
            file.open("rb"), as_attachment=True, filename=name, content_type="application/pdf"
        )

    @extend_schema(parameters=[ENGLISH], responses={200: OpenApiResponse(description="HTML")})
    @action(detail=True, methods=["get"])
    def html(self, request, pk=None):
        summary = self._ready()
        english = request.query_params.get("english") in ("1", "true", "yes")
        answer = HttpResponse(
            rendering.standalone(summary, english=english), content_type="text/html; charset=utf-8"
        )
        name = service.filename(summary, "html", english=english)
        answer["Content-Disposition"] = f'attachment; filename="{name}"'
        return answer
