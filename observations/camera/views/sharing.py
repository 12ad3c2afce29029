"""Camtrap DP export and import pages, and transboundary individual matches."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext

from ...access import access_for
from ...errors import DomainError
from ...models import Species
from .. import classify as classify_service
from ..selectors import deployments_with_counts, matches_queryset


@login_required
def camtrap_export(request):
    """Choose deployments (or a PA) and download them as a Camtrap DP package."""
    from ..camtrap_dp import camtrap_dp_export

    access = access_for(request.user)
    deployments = deployments_with_counts(
        access.visible_deployments().filter(event__ended_at__isnull=False)
    )
    exportable = [
        d for d in deployments[:500] if access.can_export_deployments_of(d.event.protected_area)
    ]
    chosen = request.GET.getlist("deployment") or request.POST.getlist("deployment")
    if request.method == "POST":
        picked = [d.pk for d in exportable if str(d.pk) in chosen]
        if not picked:
            messages.error(request, gettext("Choose at least one finished deployment."))
        else:
            try:
                package = camtrap_dp_export(
                    access=access,
                    deployments=access.visible_deployments().filter(pk__in=picked),
                    include_media=request.POST.get("include_media") == "on",
                )
            except DomainError as exc:
                messages.error(request, str(exc.message))
            else:
                from ..api.camtrap import camtrap_response

                return camtrap_response(package, "camtrap-dp.zip")
    return render(
        request,
        "observations/camera_export.html",
        {"deployments": exportable, "chosen": chosen},
    )


@login_required
def camtrap_import(request):
    """Upload a Camtrap DP package (zip) from TRAPPER, Agouti, Wildlife Insights..."""
    from ..camtrap_dp import PackageInvalid, camtrap_dp_import

    access = access_for(request.user)
    if not access.can_write:
        raise Http404
    pas = list(access.recordable_pas().order_by("code"))
    result, errors, error = None, [], None
    if request.method == "POST":
        pa = next((p for p in pas if p.code == request.POST.get("protected_area")), None)
        upload = request.FILES.get("file")
        if pa is None or upload is None:
            error = gettext("Choose the protected area and the package's zip file.")
        else:
            try:
                result = camtrap_dp_import(
                    access=access, user=request.user, upload=upload, protected_area=pa
                )
            except PackageInvalid as exc:
                error, errors = str(exc.message), exc.errors[:200]
            except DomainError as exc:
                error = str(exc.message)
    return render(
        request,
        "observations/camera_import.html",
        {"pas": pas, "result": result, "errors": errors, "error": error},
        status=400 if error else 200,
    )


@login_required
def matches_page(request):
    """Individuals photographed on both sides: proposals, confirmations, the count."""
    from ...models import IndividualMatch
    from .. import matches as service

    access = access_for(request.user)
    if request.method == "POST":
        try:
            action = request.POST.get("action")
            if action == "propose":
                evidence = [v for v in request.POST.get("evidence", "").split() if v]
                service.match_propose(
                    access=access,
                    user=request.user,
                    code_a=request.POST.get("code", ""),
                    code_b=request.POST.get("same_as", ""),
                    evidence=evidence,
                    note=request.POST.get("note", ""),
                )
                messages.success(
                    request, gettext("Match proposed: a reviewer of each side must confirm it.")
                )
            else:
                match = get_object_or_404(IndividualMatch, pk=request.POST.get("match"))
                if action == "confirm":
                    service.match_confirm(
                        access=access,
                        user=request.user,
                        match=match,
                        side=request.POST.get("side") or None,
                    )
                    messages.success(request, gettext("Confirmed."))
                elif action == "reject":
                    service.match_reject(
                        access=access,
                        user=request.user,
                        match=match,
                        reason=request.POST.get("reason", ""),
                    )
                    messages.success(request, gettext("Match rejected."))
        except DomainError as exc:
            messages.error(request, str(exc.message))
        except ValidationError:
            messages.error(request, gettext("An evidence photo is unknown or out of your reach."))
        return redirect("camera-matches")
    matches = list(matches_queryset()[:200])
    for match in matches:
        match.open_sides = access.match_sides_to_confirm(match)
        match.can_reject = access.can_reject_match(match)
        match.photos = [m for m in match.evidence.all() if access.can_view_media(m)]
    counts = [
        service.animal_count(sp)
        for sp in Species.objects.filter(
            scientific_name__in=classify_service.INDIVIDUAL_ID_SPECIES
        ).order_by("scientific_name")
    ]
    return render(
        request,
        "observations/camera_matches.html",
        {"matches": matches, "counts": counts, "can_propose": access.can_propose_matches},
    )
