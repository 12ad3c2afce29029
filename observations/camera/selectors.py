"""Read queries of the camera-trap feature, shared by its pages and its API.

Which rows a user may reach is Access's answer (observations.access: visible_deployments,
visible_media); which photos of a burst a user sees is the disclosure policy's
(``photo_shown``, asked through ``Access.can_view_media``). This module only shapes the
queries around those answers: counts, prefetches, orders, pages.
"""

from __future__ import annotations

from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce

from ..models import Classification, IndividualMatch, Media, Sequence

SEQUENCES_PER_PAGE = 60


def _count(model, **filters):
    return Coalesce(
        Subquery(
            model.objects.filter(deployment=OuterRef("pk"), **filters)
            .order_by()
            .values("deployment")
            .annotate(n=Count("pk"))
            .values("n")[:1]
        ),
        0,
    )


def deployments_with_counts(qs):
    """Deployments with their photos, bursts and bursts still to classify counted."""
    return qs.select_related("event__protected_area").annotate(
        media_total=_count(Media),
        sequence_total=_count(Sequence, media_count__gt=0),
        unclassified_total=_count(Sequence, state=Sequence.State.UNCLASSIFIED, media_count__gt=0),
    )


def sequence_queryset():
    """Bursts with what their JSON shows loaded (photos, classifications, individuals)."""
    return Sequence.objects.select_related("deployment__event__protected_area").prefetch_related(
        "media",
        "classifications__species",
        "classifications__individual__codes",
    )


def sequences_page(deployment, *, state: str, page: int, per_page: int = SEQUENCES_PER_PAGE):
    """One page of a deployment's bursts in time order (``state`` filters when it is one of
    Sequence.State): (rows, has_more)."""
    qs = (
        Sequence.objects.filter(deployment=deployment, media_count__gt=0)
        .order_by("started_at", "id")
        .prefetch_related(
            Prefetch("media", queryset=Media.objects.order_by("taken_at", "id")),
            Prefetch(
                "classifications",
                queryset=Classification.objects.select_related("species", "observation"),
            ),
        )
    )
    if state in Sequence.State.values:
        qs = qs.filter(state=state)
    start = (page - 1) * per_page
    rows = list(qs[start : start + per_page + 1])
    return rows[:per_page], len(rows) > per_page


def shown_photos(access, deployment, photos) -> list:
    """The photos among ``photos`` (of a burst of ``deployment``) that this user sees, in
    their order: the disclosure policy's one decision (``photo_shown``, through
    Access.can_view_media). The deployment, loaded already, is set on its photos: no
    query per photo."""
    shown = []
    for media in photos:
        if media.deployment_id == deployment.pk:
            media.deployment = deployment
        if access.can_view_media(media):
            shown.append(media)
    return shown


def matches_queryset():
    """Individual matches with their species and evidence photos loaded, newest first."""
    return (
        IndividualMatch.objects.select_related("individual_a__species")
        .prefetch_related("evidence")
        .order_by("-created_at")
    )
