"""API of shared datasets: ``/api/v1/datasets/``.

- ``GET /`` the datasets you may read; ``POST /`` a new one (coordinators):
  ``{"title", "description_en", "description_ru", "description_zh", "licence",
  "precision", "query": {<exchange.exports.query filters>}, "include_received",
  "excluded_records"}``.
- ``GET|PATCH /{id}/``; ``POST /{id}/publish/`` ``{"note"}``: 201 with the published
  version, or 202 while a worker freezes a big one.
- ``GET /{id}/versions/``, ``GET /{id}/versions/{n}/`` (row count, checksum, citation...).
- ``GET /{id}/versions/{n}/rows/`` with the filters of exchange.datasets.browse (species,
  protected_area, country, status, evidence, origin, observed_from, observed_to, flags),
  ``limit``/``offset``; ``GET .../rows/{record_id}/`` one row with its remarks;
  ``POST .../rows/{record_id}/remarks/`` ``{"kind": "comment"|"flag", "reason", "text"}``.
- ``GET /{id}/versions/{n}/summary/`` tables; ``GET .../map/`` the generalised places
  (GeoJSON); ``POST .../downloads/`` ``{"format": "csv"|"xlsx"|"dwca", "language"}``: 202
  with the export job (followed at ``/api/v1/exports/{job}/``).
- ``GET /{id}/compare/?from=1&to=2`` (a number or a version's id) and
  ``GET /{id}/compare/csv/?from=1&to=2``.
- ``GET /{id}/flags/?state=open|closed``; ``GET|POST /{id}/comments/`` ``{"text",
  "version"}``; ``GET|POST /{id}/reviewers/`` ``{"username"}``, ``DELETE
  /{id}/reviewers/{user_id}/``.

A dataset you may not read answers 404; one you read but may not manage answers 403 to
changes. Errors are ``{"code", "detail", "field"?}`` in the request's language.
"""

from django.urls import path

from .views import (
    CommentsView,
    CompareCsvView,
    CompareView,
    DatasetDetailView,
    DatasetListView,
    DownloadView,
    FlagsView,
    MapView,
    PublishView,
    ReviewerDetailView,
    ReviewersView,
    RowDetailView,
    RowRemarksView,
    RowsView,
    SummaryView,
    VersionDetailView,
    VersionListView,
)

V = "<uuid:pk>/versions/<str:number>/"
urlpatterns = [
    path("", DatasetListView.as_view(), name="api-datasets"),
    path("<uuid:pk>/", DatasetDetailView.as_view(), name="api-dataset"),
    path("<uuid:pk>/publish/", PublishView.as_view(), name="api-dataset-publish"),
    path("<uuid:pk>/versions/", VersionListView.as_view(), name="api-dataset-versions"),
    path(V, VersionDetailView.as_view(), name="api-dataset-version"),
    path(V + "rows/", RowsView.as_view(), name="api-dataset-rows"),
    path(V + "rows/<uuid:record_id>/", RowDetailView.as_view(), name="api-dataset-row"),
    path(
        V + "rows/<uuid:record_id>/remarks/",
        RowRemarksView.as_view(),
        name="api-dataset-row-remarks",
    ),
    path(V + "summary/", SummaryView.as_view(), name="api-dataset-summary"),
    path(V + "map/", MapView.as_view(), name="api-dataset-map"),
    path(V + "downloads/", DownloadView.as_view(), name="api-dataset-downloads"),
    path("<uuid:pk>/compare/", CompareView.as_view(), name="api-dataset-compare"),
    path("<uuid:pk>/compare/csv/", CompareCsvView.as_view(), name="api-dataset-compare-csv"),
    path("<uuid:pk>/flags/", FlagsView.as_view(), name="api-dataset-flags"),
    path("<uuid:pk>/comments/", CommentsView.as_view(), name="api-dataset-comments"),
    path("<uuid:pk>/reviewers/", ReviewersView.as_view(), name="api-dataset-reviewers"),
    path(
        "<uuid:pk>/reviewers/<int:user_id>/",
        ReviewerDetailView.as_view(),
        name="api-dataset-reviewer",
    ),
]
