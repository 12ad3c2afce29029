"""Dataset pages, under /exchange/datasets/ (exchange.datasets.views)."""

from django.urls import path

from .views.definitions import (
    dataset_comment,
    dataset_create,
    dataset_detail,
    dataset_edit,
    dataset_list,
    dataset_publish,
    reviewer_invite,
    reviewer_remove,
)
from .views.versions import (
    download_file,
    download_page,
    flag_inbox,
    row_detail,
    row_remark,
    version_browse,
    version_compare,
    version_compare_csv,
    version_download,
)

urlpatterns = [
    path("", dataset_list, name="dataset-list"),
    path("new/", dataset_create, name="dataset-create"),
    path("flags/", flag_inbox, name="flag-inbox"),
    path("downloads/<uuid:job_pk>/", download_page, name="dataset-download-page"),
    path("downloads/<uuid:job_pk>/file/", download_file, name="dataset-download-file"),
    path("<uuid:pk>/", dataset_detail, name="dataset-detail"),
    path("<uuid:pk>/edit/", dataset_edit, name="dataset-edit"),
    path("<uuid:pk>/publish/", dataset_publish, name="dataset-publish"),
    path("<uuid:pk>/comments/", dataset_comment, name="dataset-comment"),
    path("<uuid:pk>/reviewers/", reviewer_invite, name="dataset-reviewer-invite"),
    path(
        "<uuid:pk>/reviewers/<int:user_id>/remove/",
        reviewer_remove,
        name="dataset-reviewer-remove",
    ),
    path("<uuid:pk>/compare/", version_compare, name="dataset-compare"),
    path("<uuid:pk>/compare/csv/", version_compare_csv, name="dataset-compare-csv"),
    path("<uuid:pk>/v/<int:number>/", version_browse, name="dataset-version"),
    path("<uuid:pk>/v/<int:number>/records/<uuid:record_id>/", row_detail, name="dataset-row"),
    path(
        "<uuid:pk>/v/<int:number>/records/<uuid:record_id>/remarks/",
        row_remark,
        name="dataset-row-remark",
    ),
    path("<uuid:pk>/v/<int:number>/download/", version_download, name="dataset-download"),
]
