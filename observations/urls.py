"""Pages of the field-record domain (under the language prefix: /en/, /ru/, /zh-hans/)."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("protected-areas/", views.protected_area_list, name="pa-list"),
    path("protected-areas/<str:code>/", views.protected_area_detail, name="pa-detail"),
    path("species/", views.species_list, name="species-list"),
    path("species/<int:pk>/", views.species_detail, name="species-detail"),
    path("records/new/", views.record_create, name="record-create"),
    path("records/mine/", views.my_records, name="my-records"),
    path("records/<uuid:pk>/", views.record_detail, name="record-detail"),
    path("records/<uuid:pk>/edit/", views.record_edit, name="record-edit"),
    path("records/<uuid:pk>/submit/", views.record_submit, name="record-submit"),
    path("records/<uuid:pk>/delete/", views.record_delete, name="record-delete"),
    path("records/<uuid:pk>/review/", views.record_review, name="record-review"),
    path("records/<uuid:pk>/reopen/", views.record_reopen, name="record-reopen"),
    path("records/<uuid:pk>/remarks/", views.record_remark, name="record-remark"),
    path(
        "records/<uuid:pk>/remarks/<uuid:remark_pk>/answer/",
        views.remark_answer,
        name="remark-answer",
    ),
    path("review/", views.review_queue, name="review-queue"),
    path("imports/", include("observations.imports.urls")),
    path("camera/", include("observations.camera.urls")),
    path("census/", include("observations.views.census")),
]
