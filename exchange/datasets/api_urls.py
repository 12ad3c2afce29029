"""API of shared datasets, under /api/v1/datasets/ (exchange.datasets.api)."""

from django.urls import path

from .api.views import (
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
