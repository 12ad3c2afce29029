from django.urls import include, path
from rest_framework.routers import DefaultRouter

from .auth import TokenView
from .imports import ImportViewSet
from .records import EventViewSet, ObservationViewSet
from .remarks import RemarkViewSet
from .views import ProtectedAreaViewSet, SpeciesViewSet

router = DefaultRouter()
router.register("protected-areas", ProtectedAreaViewSet, basename="protected-area")
router.register("species", SpeciesViewSet, basename="species")
router.register("observations", ObservationViewSet, basename="observation")
router.register("events", EventViewSet, basename="event")
router.register("remarks", RemarkViewSet, basename="remark")
router.register("imports", ImportViewSet, basename="import")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("census/", include("observations.api.census")),
    path("", include("observations.camera.api_urls")),
    path("", include(router.urls)),
]
