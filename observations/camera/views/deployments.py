"""Deployment pages: the list, the form, a station's page with its upload and sequences,
the upload without JavaScript, and marking photos as showing people."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from ...access import access_for
from ...disclosure import for_user
from ...errors import DomainError
from ...models import Sequence
from ...validation import RecordInvalid
from ..deployments import deployment_create, deployment_update
from ..forms import DeploymentForm
from ..ingest import media_upload
from ..people import media_flag_people, media_release
from ..safety import max_bytes
from ..selectors import deployments_with_counts, sequences_page, shown_photos


def _deployment(access, pk):
    qs = deployments_with_counts(access.visible_deployments())
    return get_object_or_404(qs, pk=pk)


@login_required
def camera_home(request):
    """The deployments the user can see, newest first, with their photos and progress."""
    access = access_for(request.user)
    deployments = list(deployments_with_counts(access.visible_deployments())[:200])
    return render(
        request,
        "observations/camera_home.html",
        {"deployments": deployments, "can_create": access.can_write},
    )


@login_required
def deployment_new(request):
    access = access_for(request.user)
    if not access.can_write:
        raise Http404
    form = DeploymentForm(request.POST or None, access=access)
    if request.method == "POST" and form.is_valid():
        try:
            deployment, _created = deployment_create(
                access=access, user=request.user, values=form.values()
            )
        except RecordInvalid as exc:
            form.add_invalid(exc)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, gettext("Deployment saved. Now upload its photos."))
            return redirect("camera-deployment", pk=deployment.pk)
    return render(request, "observations/camera_deployment_form.html", {"form": form})


@login_required
def deployment_edit(request, pk):
    access = access_for(request.user)
    deployment = _deployment(access, pk)
    if not access.can_edit_deployment(deployment):
        messages.error(request, gettext("You may not change this deployment."))
        return redirect("camera-deployment", pk=pk)
    form = DeploymentForm(request.POST or None, access=access, deployment=deployment)
    if request.method == "POST" and form.is_valid():
        try:
            deployment_update(
                access=access, user=request.user, deployment=deployment, values=form.values()
            )
        except RecordInvalid as exc:
            form.add_invalid(exc)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, gettext("Changes saved."))
            return redirect("camera-deployment", pk=pk)
    return render(
        request,
        "observations/camera_deployment_form.html",
        {"form": form, "deployment": deployment},
    )


@login_required
def deployment_detail(request, pk):
    """A station: its facts, the upload, its sequences, its relative abundance."""
    from ..abundance import deployment_abundance

    access = access_for(request.user)
    deployment = _deployment(access, pk)
    audience = for_user(access)
    place = audience.station_place(deployment.event)
    state = request.GET.get("state", "")
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    sequences, has_more = sequences_page(deployment, state=state, page=page)
    for sequence in sequences:
        sequence.shown_media = shown_photos(access, deployment, sequence.media.all())
    return render(
        request,
        "observations/camera_deployment.html",
        {
            "deployment": deployment,
            "event": deployment.event,
            "pa": deployment.event.protected_area,
            "sequences": sequences,
            "state": state,
            "states": Sequence.State.choices,
            "page": page,
            "has_more": has_more,
            "can_upload": access.can_work_on_deployment(deployment),
            "can_edit": access.can_edit_deployment(deployment),
            # The serial number names the camera: only for those who see the station exactly.
            "camera_serial": deployment.camera_serial
            if audience.sees_exactly(deployment.event.protected_area)
            else "",
            "place": place,
            "station": audience.label(deployment.station, place.precision),
            "max_mb": max_bytes() // (1024 * 1024),
            "abundance": deployment_abundance(deployment),
        },
    )


@login_required
@require_POST
def deployment_upload(request, pk):
    """The upload without JavaScript: the files of one form, each on its own (the page's
    script sends them one by one to the API instead, with progress)."""
    access = access_for(request.user)
    deployment = _deployment(access, pk)
    stored, again, refused = 0, 0, []
    has_people = request.POST.get("has_people") == "on"
    for upload in request.FILES.getlist("files"):
        try:
            _media, created = media_upload(
                access=access,
                user=request.user,
                deployment=deployment,
                upload=upload,
                has_people=has_people,
            )
        except DomainError as exc:
            refused.append(f"{upload.name}: {exc.message}")
            continue
        stored += created
        again += not created
    if stored:
        messages.success(
            request,
            ngettext("%(n)s photo stored.", "%(n)s photos stored.", stored) % {"n": stored},
        )
    if again:
        messages.info(
            request,
            ngettext("%(n)s photo was already stored.", "%(n)s photos were already stored.", again)
            % {"n": again},
        )
    for line in refused:
        messages.error(request, line)
    return redirect("camera-deployment", pk=pk)


@login_required
@require_POST
def media_people(request, pk):
    """Flag (or unflag) a photo as showing people; a coordinator releases it."""
    access = access_for(request.user)
    media = get_object_or_404(
        access.visible_media().select_related("deployment__event__protected_area"), pk=pk
    )
    try:
        if request.POST.get("action") == "release":
            media_release(access=access, user=request.user, media=media)
            messages.success(request, gettext("The photo may now be shared."))
        else:
            flag = request.POST.get("has_people") == "1"
            media_flag_people(access=access, user=request.user, media=media, has_people=flag)
            messages.success(
                request,
                gettext("Marked as showing people: it stays in the protected area.")
                if flag
                else gettext("No longer marked as showing people."),
            )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    back = request.POST.get("next") or ""
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect(reverse("camera-deployment", args=[media.deployment_id]))
