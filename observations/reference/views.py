"""Reference pages: the dashboard, protected areas and species."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from ..access import access_for
from ..models import ProtectedArea, Species
from . import selectors


@login_required
def dashboard(request):
    access = access_for(request.user)
    return render(
        request,
        "observations/dashboard.html",
        {
            "counts": selectors.dashboard_counts(access=access),
            "latest": selectors.latest_observations(access=access),
        },
    )


def protected_area_list(request):
    pas = selectors.protected_area_list()
    return render(request, "observations/pa_list.html", {"protected_areas": pas})


def protected_area_detail(request, code: str):
    pa = get_object_or_404(selectors.protected_area_list(), code=code)
    access = access_for(request.user)
    latest = []
    if request.user.is_authenticated:
        latest = list(
            selectors.observation_list(access=access)
            .filter(protected_area=pa)
            .order_by("-observed_at", "id")[:20]
        )
    return render(
        request,
        "observations/pa_detail.html",
        {"pa": pa, "latest": latest, **_camera_abundance(request, access, pa)},
    )


def _camera_abundance(request, access, pa) -> dict:
    """Relative abundance from the PA's camera traps (observations.camera.abundance)."""
    if not request.user.is_authenticated:
        return {}
    from ..camera.abundance import Season, pa_abundance, seasons_of

    seasons = seasons_of(access=access, pa=pa)
    if not seasons:
        return {}
    season = Season.parse(request.GET.get("season", ""))
    return {
        "abundance": pa_abundance(access=access, pa=pa, season=season),
        "seasons": seasons,
        "season": season,
    }


def species_list(request):
    return render(
        request, "observations/species_list.html", {"species_list": selectors.species_list()}
    )


def species_detail(request, pk: int):
    species = get_object_or_404(Species.objects.prefetch_related("protected_areas"), pk=pk)
    pas = [pa for pa in species.protected_areas.all() if pa.status == ProtectedArea.Status.EXISTING]
    return render(request, "observations/species_detail.html", {"species": species, "pas": pas})
