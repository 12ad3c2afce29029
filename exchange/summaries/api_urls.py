"""API of summaries, under /api/v1/summaries/ (exchange.summaries.api)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from .api import SummaryViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("", SummaryViewSet, basename="summary")

urlpatterns = [path("", include(router.urls))]
