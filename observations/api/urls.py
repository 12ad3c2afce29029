from django.urls import include, path
from rest_framework.routers import DefaultRouter

from ..records import api_urls as records_api
from .auth import TokenView
from .imports import ImportViewSet
from .remarks import RemarkViewSet
from .views import ProtectedAreaViewSet, SpeciesViewSet


class IndexRouter(DefaultRouter):
    """Its index at /api/v1/ also lists the endpoints a feature routes itself
    (observations.records.api_urls), in the order the index has always had."""

    def __init__(self, *, listed_after: str, listed: list):
        super().__init__()
        self.listed_after, self.listed = listed_after, listed

    def get_api_root_view(self, api_urls=None):
        own = self.registry
        at = next(i for i, entry in enumerate(own) if entry[0] == self.listed_after) + 1
        self.registry = [*own[:at], *self.listed, *own[at:]]
        try:
            return super().get_api_root_view(api_urls)
        finally:
            self.registry = own


router = IndexRouter(listed_after="species", listed=records_api.router.registry)
router.register("protected-areas", ProtectedAreaViewSet, basename="protected-area")
router.register("species", SpeciesViewSet, basename="species")
router.register("remarks", RemarkViewSet, basename="remark")
router.register("imports", ImportViewSet, basename="import")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("census/", include("observations.census.api_urls")),
    path("", include("observations.camera.api_urls")),
    path("", include(router.urls)),
]
