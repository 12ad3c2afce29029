"""API URLs of joint census campaigns, under /api/v1/census/ (observations.api.urls).

The feature packages' convention: page URLs in ``urls.py``, API URLs in ``api_urls.py``.
"""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from .api.views import CampaignViewSet, CountViewSet, FlagViewSet

router = DefaultRouter()
router.include_root_view = False
router.register("campaigns", CampaignViewSet, basename="census-campaign")
router.register("counts", CountViewSet, basename="census-count")
router.register("flags", FlagViewSet, basename="census-flag")

urlpatterns = [path("", include(router.urls))]
