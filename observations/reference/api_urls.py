"""/api/v1/protected-areas/ and /api/v1/species/: the vocabularies field apps download."""

from rest_framework.routers import DefaultRouter

from .api import ProtectedAreaViewSet, SpeciesViewSet

router = DefaultRouter()
router.include_root_view = False  # /api/v1/ is observations.api.urls' index
router.register("protected-areas", ProtectedAreaViewSet, basename="protected-area")
router.register("species", SpeciesViewSet, basename="species")

urlpatterns = router.urls
