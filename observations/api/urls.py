from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from .views import ProtectedAreaViewSet, SpeciesViewSet

router = DefaultRouter()
router.register("protected-areas", ProtectedAreaViewSet, basename="protected-area")
router.register("species", SpeciesViewSet, basename="species")

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("", include(router.urls)),
]
