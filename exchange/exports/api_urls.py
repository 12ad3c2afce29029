"""API of exports, under /api/v1/exports/ (exchange.exports.api)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from .api import ExportViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("", ExportViewSet, basename="export")

urlpatterns = [path("", include(router.urls))]
