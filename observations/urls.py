"""Pages of the field-record domain (under the language prefix: /en/, /ru/, /zh-hans/).

The record pages (the form, "my records", a record, the review queue) are routed by
observations.records.urls; a record's remarks and its reopening are here, with their views.
"""

from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("protected-areas/", views.protected_area_list, name="pa-list"),
    path("protected-areas/<str:code>/", views.protected_area_detail, name="pa-detail"),
    path("species/", views.species_list, name="species-list"),
    path("species/<int:pk>/", views.species_detail, name="species-detail"),
    path("records/<uuid:pk>/reopen/", views.record_reopen, name="record-reopen"),
    path("records/<uuid:pk>/remarks/", views.record_remark, name="record-remark"),
    path(
        "records/<uuid:pk>/remarks/<uuid:remark_pk>/answer/",
        views.remark_answer,
        name="remark-answer",
    ),
    path("imports/", include("observations.imports.urls")),
    path("camera/", include("observations.camera.urls")),
    path("census/", include("observations.census.urls")),
]
