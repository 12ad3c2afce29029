"""Reads for the pages: what a user may see, shaped for the dashboard and reference pages.

Counting happens in the database (GROUP BY), never by looping over rows.
"""

from django.db.models import Count, QuerySet, Sum

from ..access import Access
from ..models import Observation, ProtectedArea, Species


def observation_list(*, access: Access) -> QuerySet[Observation]:
    return access.visible_observations().select_related("species", "protected_area", "individual")


def dashboard_counts(*, access: Access) -> dict:
    """Records and individuals counted per PA and per species, over what the user may see."""
    visible = access.visible_observations()
    per_pa = list(
        visible.values("protected_area_id")
        .annotate(records=Count("id"), individuals=Sum("count"))
        .order_by("-records")
    )
    per_species = list(
        visible.values("species_id")
        .annotate(records=Count("id"), individuals=Sum("count"))
        .order_by("-records")
    )
    pas = ProtectedArea.objects.in_bulk([row["protected_area_id"] for row in per_pa])
    species = Species.objects.in_bulk([row["species_id"] for row in per_species])
    for row in per_pa:
        row["protected_area"] = pas[row["protected_area_id"]]
    for row in per_species:
        row["species"] = species[row["species_id"]]
    return {
        "per_pa": per_pa,
        "per_species": per_species,
        "total": sum(r["records"] for r in per_pa),
    }


def latest_observations(*, access: Access, limit: int = 20) -> list[Observation]:
    return list(observation_list(access=access).order_by("-observed_at", "id")[:limit])


def protected_area_list() -> QuerySet[ProtectedArea]:
    return ProtectedArea.objects.select_related("transboundary_partner").prefetch_related(
        "target_species"
    )


def species_list() -> QuerySet[Species]:
    return Species.objects.filter(monitored=True)
