"""/api/v1/remarks/: comments, flags and answers."""

from rest_framework.routers import DefaultRouter

from .api import RemarkViewSet

router = DefaultRouter()
router.include_root_view = False  # /api/v1/ is observations.api.urls' index
router.register("remarks", RemarkViewSet, basename="remark")

urlpatterns = router.urls
