from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import camera
from .auth import TokenView
from .records import EventViewSet, ObservationViewSet
from .remarks import RemarkViewSet
from .views import ProtectedAreaViewSet, SpeciesViewSet

router = DefaultRouter()
router.register("protected-areas", ProtectedAreaViewSet, basename="protected-area")
router.register("species", SpeciesViewSet, basename="species")
router.register("observations", ObservationViewSet, basename="observation")
router.register("events", EventViewSet, basename="event")
router.register("remarks", RemarkViewSet, basename="remark")
router.register("deployments", camera.DeploymentViewSet, basename="deployment")
router.register("media", camera.MediaViewSet, basename="media")
router.register("sequences", camera.SequenceViewSet, basename="sequence")
router.register("abundance", camera.AbundanceViewSet, basename="abundance")
router.register("camtrap-dp", camera.CamtrapViewSet, basename="camtrap-dp")
router.register("individual-matches", camera.MatchViewSet, basename="individual-match")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("census/", include("observations.api.census")),
    path("", include(router.urls)),
]
