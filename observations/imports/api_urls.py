"""API routes of file imports, under /api/v1/ (included from observations.api.urls): ``imports/``,
``imports/{id}/``, ``imports/{id}/confirm/`` (observations.imports.api)."""

from rest_framework.routers import DefaultRouter

from .api import ImportViewSet

router = DefaultRouter()
router.include_root_view = False  # the API root stays observations.api.urls's
router.register("imports", ImportViewSet, basename="import")

urlpatterns = router.urls
