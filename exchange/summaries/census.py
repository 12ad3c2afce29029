"""Census campaigns behind a summary: the counts of the PAs, with their effort, and the
joint total with the resolved double counts counted once.

For a campaign's period the campaign is the basis; for a year or a season, the latest
campaign of the species whose count window ended in it and that has a count from a PA in
scope (two crane counts in a year are two counts of the same birds: the latest stands).
The joint total is the census reconciliation's own (observations.census.selectors.
reconciliation): the raw sum minus the animals of the double-count
flags the coordinators resolved as "same". A country's or a PA's total is its raw count:
double counts are across the border.
"""

from __future__ import annotations

from django.db.models import Sum

from observations.census.selectors import reconciliation
from observations.models import CensusCampaign, CensusCount

from . import periods as P
from .context import Context
from .scope import JOINT


def campaigns_for(ctx: Context, periods: list[P.Period]) -> list[CensusCampaign | None]:
    """The campaign behind each period (None: the period has no census), in one query."""
    if all(p.kind == P.CAMPAIGN for p in periods):
        return [p.campaign for p in periods]
    first, last = periods[0].first_day, periods[-1].last_day
    found = list(
        CensusCampaign.objects.filter(
            species=ctx.species,
            ends_on__gte=first,
            ends_on__lte=last,
            counts__protected_area_id__in=list(ctx.pas),
        )
        .distinct()
        .order_by("-ends_on", "-starts_on", "-pk")
    )
    return [
        next((c for c in found if p.first_day <= c.ends_on <= p.last_day), None) for p in periods
    ]


def _counts(ctx: Context, campaign: CensusCampaign) -> list[CensusCount]:
    return list(
        CensusCount.objects.filter(campaign=campaign, protected_area_id__in=list(ctx.pas))
        .order_by()
        .only(
            "protected_area_id",
            "total",
            "status",
            "routes",
            "points",
            "effort_km",
            "effort_hours",
            "trap_nights",
        )
    )


def compute(ctx: Context, campaign: CensusCampaign) -> dict:
    """The campaign's counts in scope, per PA and country, and the scope's total."""
    counts = _counts(ctx, campaign)
    expected = [
        pa_id for pa_id in campaign.protected_areas.values_list("pk", flat=True) if pa_id in ctx.pas
    ]
    per_pa = {
        c.protected_area_id: {
            "count": c.total,
            "confirmed": c.status == "confirmed",
            "surveys": c.routes if c.routes is not None else c.points,
            "km": _float(c.effort_km),
            "hours": _float(c.effort_hours),
            "trap_nights": _float(c.trap_nights),
        }
        for c in counts
    }
    countries: dict[str, int] = {}
    for pa_id, row in per_pa.items():
        country = ctx.pas[pa_id]["country"]
        countries[country] = countries.get(country, 0) + row["count"]
    result = {
        "campaign": P.Period(P.CAMPAIGN, campaign=campaign).as_json()["campaign"],
        "expected": expected,
        "per_pa": per_pa,
        "countries": countries,
        "raw_sum": sum(countries.values()),
        "duplicates_removed": 0,
        "open_flags": 0,
        "is_final": bool(counts)
        and len(counts) >= len(expected)
        and all(row["confirmed"] for row in per_pa.values()),
    }
    if ctx.scope.kind == JOINT:
        joint = reconciliation(campaign=campaign)
        result.update(
            raw_sum=joint["raw_sum"],
            duplicates_removed=joint["duplicates_removed"],
            open_flags=joint["open_flags"],
            is_final=joint["is_final"],
        )
        result["total"] = joint["reconciled_total"]
    else:
        result["total"] = result["raw_sum"] if counts else None
    return result


def series(ctx: Context, campaigns: list[CensusCampaign | None]) -> list[dict]:
    """The total (and per country) of each period's campaign, for the trend."""
    ids = [c.pk for c in campaigns if c is not None]
    sums: dict = {}
    for row in (
        CensusCount.objects.filter(campaign_id__in=ids, protected_area_id__in=list(ctx.pas))
        .values("campaign_id", "protected_area__country")
        .annotate(total=Sum("total"))
        .order_by()
    ):
        sums.setdefault(row["campaign_id"], {})[row["protected_area__country"]] = row["total"]
    out = []
    for campaign in campaigns:
        if campaign is None or campaign.pk not in sums:
            out.append({"total": None, "countries": {}})
            continue
        countries = sums[campaign.pk]
        total = sum(countries.values())
        if ctx.scope.kind == JOINT:
            total = reconciliation(campaign=campaign)["reconciled_total"]
        out.append({"total": total, "countries": countries})
    return out


def _float(value):
    return None if value is None else float(value)
