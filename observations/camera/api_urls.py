"""The camera-trap API's URL list, mounted at /api/v1/ by observations/api/urls.py (see
observations.camera.api for what each answers)."""

from rest_framework.routers import DefaultRouter

from .api import (
    AbundanceViewSet,
    CamtrapViewSet,
    DeploymentViewSet,
    MatchViewSet,
    MediaViewSet,
    SequenceViewSet,
)

router = DefaultRouter()
router.include_root_view = False  # /api/v1/ is the root router's; the same format suffixes
router.register("deployments", DeploymentViewSet, basename="deployment")
router.register("media", MediaViewSet, basename="media")
router.register("sequences", SequenceViewSet, basename="sequence")
router.register("abundance", AbundanceViewSet, basename="abundance")
router.register("camtrap-dp", CamtrapViewSet, basename="camtrap-dp")
router.register("individual-matches", MatchViewSet, basename="individual-match")

urlpatterns = router.urls
