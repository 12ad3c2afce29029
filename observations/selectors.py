"""Reads for the pages: what a user may see, shaped for the dashboard and reference pages.

Counting happens in the database (GROUP BY), never by looping over rows.
"""

from django.db.models import Count, QuerySet, Sum

from .access import Access
from .disclosure.policy import remark_text
from .models import Observation, ProtectedArea, Remark, Species


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


def remarks_for(record, audience=None) -> list[Remark]:
    """The record's comments and flags, each with its answers (two queries); with an
    ``audience`` each carries ``shown_text``, its text as the disclosure policy shows it."""
    remarks = list(
        Remark.objects.filter(subject_id=record.pk).select_related("parent").order_by("created_at")
    )
    answers: dict = {}
    for remark in remarks:
        if remark.kind == Remark.Kind.ANSWER and remark.parent_id:
            answers.setdefault(remark.parent_id, []).append(remark)
    for remark in remarks:
        remark.shown_text = (
            remark_text(audience, remark.text, record).value if audience else remark.text
        )
    top = [r for r in remarks if r.kind != Remark.Kind.ANSWER]
    for remark in top:
        remark.answer_list = answers.get(remark.pk, [])
        remark.is_open = remark.kind == Remark.Kind.FLAG and not any(
            a.closes for a in remark.answer_list
        )
    return top
