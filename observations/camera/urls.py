"""Camera-trap pages, mounted under /<lang>/camera/ by observations/urls.py."""

from django.urls import path

from .views import (
    camera_home,
    camtrap_export,
    camtrap_import,
    classify_next,
    deployment_detail,
    deployment_edit,
    deployment_new,
    deployment_upload,
    matches_page,
    media_people,
    sequence_page,
)

urlpatterns = [
    path("", camera_home, name="camera-home"),
    path("deployments/new/", deployment_new, name="camera-deployment-new"),
    path("deployments/<uuid:pk>/", deployment_detail, name="camera-deployment"),
    path("deployments/<uuid:pk>/edit/", deployment_edit, name="camera-deployment-edit"),
    path("deployments/<uuid:pk>/upload/", deployment_upload, name="camera-upload"),
    path("deployments/<uuid:pk>/classify/", classify_next, name="camera-classify"),
    path("sequences/<uuid:pk>/", sequence_page, name="camera-sequence"),
    path("media/<uuid:pk>/people/", media_people, name="camera-media-people"),
    path("export/", camtrap_export, name="camera-export"),
    path("import/", camtrap_import, name="camera-import"),
    path("matches/", matches_page, name="camera-matches"),
]
