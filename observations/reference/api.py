from rest_framework import viewsets
from rest_framework.permissions import AllowAny

from ..api.filters import ProtectedAreaFilter, SpeciesFilter
from ..models import ProtectedArea, Species
from .serializers import ProtectedAreaSerializer, SpeciesSerializer


class ProtectedAreaViewSet(viewsets.ReadOnlyModelViewSet):
    """The border protected areas: public reference data, the same on both nodes."""

    permission_classes = [AllowAny]
    serializer_class = ProtectedAreaSerializer
    filterset_class = ProtectedAreaFilter
    lookup_field = "code"
    pagination_class = None
    queryset = ProtectedArea.objects.select_related("transboundary_partner").prefetch_related(
        "target_species"
    )


class SpeciesViewSet(viewsets.ReadOnlyModelViewSet):
    """The monitored species with their names in English, Russian and Chinese."""

    permission_classes = [AllowAny]
    serializer_class = SpeciesSerializer
    filterset_class = SpeciesFilter
    pagination_class = None
    queryset = Species.objects.filter(monitored=True)
