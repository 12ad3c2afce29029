"""Pages of the field-record domain (under the language prefix: /en/, /ru/, /zh-hans/):
one include per feature package, each with its own ``urls.py``."""

from django.urls import include, path

urlpatterns = [
    path("", include("observations.reference.urls")),
    path("", include("observations.remarks.urls")),
    path("imports/", include("observations.imports.urls")),
    path("camera/", include("observations.camera.urls")),
    path("census/", include("observations.census.urls")),
]
