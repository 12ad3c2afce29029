"""/api/v1/ of the field-record domain: one include per feature's ``api_urls.py``, and the
index that lists every feature's endpoints (each feature's router leaves the index here)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter
from rest_framework.urlpatterns import format_suffix_patterns

from ..accounts.api import TokenView
from ..camera import api_urls as camera
from ..imports import api_urls as imports
from ..records import api_urls as records
from ..reference import api_urls as reference
from ..remarks import api_urls as remarks

FEATURES = [reference.router, records.router, remarks.router, imports.router, camera.router]


def index_view():
    """DRF's index page, listing the endpoints of every feature router in FEATURES."""
    listing = DefaultRouter()
    for router in FEATURES:
        listing.registry.extend(router.registry)
    return listing.get_api_root_view()


urlpatterns = [
    *format_suffix_patterns([path("", index_view(), name="api-root")]),
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("census/", include("observations.census.api_urls")),
    *[path("", include(router.urls)) for router in FEATURES],
]
