"""The record endpoints, /api/v1/observations/ and /api/v1/events/ (included by config.urls).

The API's index at /api/v1/ lists them with the other endpoints (observations.api.urls
reads ``router.registry``)."""

from rest_framework.routers import DefaultRouter

from .api.views import EventViewSet, ObservationViewSet

router = DefaultRouter()
router.include_root_view = False  # /api/v1/ is observations.api.urls' index
router.register("observations", ObservationViewSet, basename="observation")
router.register("events", EventViewSet, basename="event")

urlpatterns = router.urls
