"""Camera-trap pages: deployments, photo upload, the classification page, Camtrap DP export
and import, and transboundary individual matches.

Thin, like the other pages: access from observations.access, work in observations.camera,
anything out of reach answers 404. The photos themselves are served by the API
(``/api/v1/media/<id>/thumbnail/`` ...), which decides what bytes a user gets.
"""

from django.urls import path

from .classify import classify_next, sequence_page
from .deployments import (
    camera_home,
    deployment_detail,
    deployment_edit,
    deployment_new,
    deployment_upload,
    media_people,
)
from .sharing import camtrap_export, camtrap_import, matches_page

# Mounted under /<lang>/camera/ by observations/urls.py.
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
