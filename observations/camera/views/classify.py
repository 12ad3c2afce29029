"""The classification page: one sequence at a time, driven by keys (js/camera-classify.js)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext

from ...access import access_for
from ...errors import DomainError
from ...models import Individual, Sequence, Species
from ...validation import RecordInvalid
from .. import classify as classify_service
from ..selectors import shown_photos
from .deployments import _deployment

CAMERA_SPECIES_KEYS = 9


def _species_for_camera():
    """Species a camera can record, the jointly monitored big cats first: keys 1-9."""
    species = [
        sp
        for sp in Species.objects.filter(monitored=True).order_by(
            "-jointly_monitored", "scientific_name"
        )
        if not sp.allowed_evidence or "camera" in sp.allowed_evidence
    ]
    big_cats = classify_service.INDIVIDUAL_ID_SPECIES
    first = sorted(
        (sp for sp in species if sp.scientific_name in big_cats),
        key=lambda sp: big_cats.index(sp.scientific_name),
    )
    rest = [sp for sp in species if sp not in first]
    ordered = first + rest
    for index, sp in enumerate(ordered):
        sp.key = str(index + 1) if index < CAMERA_SPECIES_KEYS else ""
        sp.with_individuals = sp.scientific_name in classify_service.INDIVIDUAL_ID_SPECIES
    return ordered


def _known_individuals(species):
    ids = [sp.pk for sp in species if sp.with_individuals]
    individuals = (
        Individual.objects.filter(species_id__in=ids)
        .prefetch_related("codes")
        .order_by("species_id", "label")
    )
    return list(individuals[:500])


@login_required
def classify_next(request, pk):
    """Open the deployment's first sequence still to classify."""
    access = access_for(request.user)
    deployment = _deployment(access, pk)
    sequence = classify_service.next_unclassified(deployment)
    if sequence is None:
        messages.info(request, gettext("Every sequence of this deployment is classified."))
        return redirect("camera-deployment", pk=pk)
    return redirect("camera-sequence", pk=sequence.pk)


@login_required
def sequence_page(request, pk):
    """The classification page: the sequence's photos and one form, driven by keys."""
    access = access_for(request.user)
    sequence = get_object_or_404(
        Sequence.objects.select_related("deployment__event__protected_area").filter(
            deployment__in=access.visible_deployments().values("pk")
        ),
        pk=pk,
    )
    deployment = sequence.deployment
    can_classify = access.can_work_on_deployment(deployment)
    species = _species_for_camera()
    error = None
    if request.method == "POST":
        if not can_classify:
            raise Http404
        try:
            _classify_from_form(request, access, sequence, species)
        except RecordInvalid as exc:
            error = "; ".join(str(p.message) for ps in exc.errors.values() for p in ps)
        except DomainError as exc:
            error = str(exc.message)
        else:
            following = classify_service.next_unclassified(deployment, after=sequence)
            messages.success(request, gettext("Sequence classified."))
            if following is None:
                messages.info(request, gettext("Every sequence of this deployment is classified."))
                return redirect("camera-deployment", pk=deployment.pk)
            return redirect("camera-sequence", pk=following.pk)
    media = shown_photos(
        access,
        deployment,
        [m for m in sequence.media.order_by("taken_at", "id") if m.deployment_id == deployment.pk],
    )
    classifications = list(
        sequence.classifications.select_related("species", "observation", "individual")
    )
    remaining = Sequence.objects.filter(
        deployment=deployment, state=Sequence.State.UNCLASSIFIED, media_count__gt=0
    ).count()
    following = classify_service.next_unclassified(deployment, after=sequence)
    return render(
        request,
        "observations/camera_classify.html",
        {
            "sequence": sequence,
            "deployment": deployment,
            "pa": deployment.event.protected_area,
            "media": media,
            "classifications": classifications,
            "species": species,
            "individuals": _known_individuals(species),
            "can_classify": can_classify,
            "can_release": bool(media) and access.can_release_media(media[0]),
            "remaining": remaining,
            "next_sequence": following if following and following.pk != sequence.pk else None,
            "error": error,
            "posted": request.POST if error else None,
        },
        status=400 if error else 200,
    )


def _classify_from_form(request, access, sequence, species):
    verdict = request.POST.get("verdict", "")
    seen = []
    if verdict == classify_service.ANIMALS:
        key = request.POST.get("species", "")
        chosen = next((sp for sp in species if str(sp.pk) == key), None)
        if chosen is None:
            raise DomainError(gettext("Choose a species."), "nothing_chosen", field="species")
        try:
            count = max(1, int(request.POST.get("count") or 1))
        except ValueError:
            count = 1
        individual = request.POST.get("individual", "")
        seen.append(
            classify_service.Seen(
                species=chosen,
                count=count,
                individual=individual if individual not in ("", "new") else None,
                new_individual=individual == "new",
                new_individual_code=request.POST.get("new_individual_code", ""),
            )
        )
    classify_service.sequence_classify(
        access=access, user=request.user, sequence=sequence, verdict=verdict, seen=seen
    )
