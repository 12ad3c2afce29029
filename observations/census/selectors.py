"""The reads of joint census campaigns that the pages, the API and the summaries share.

Nothing here writes. Who may see what is answered by observations.access; the querysets
fetch what their page or endpoint shows in a fixed number of queries.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import translation

from observations.access import Access
from observations.models import (
    CensusCampaign,
    CensusCount,
    CountStatus,
    DoubleCountFlag,
    Observation,
    ParticipationState,
)

from .models import SUPPORTING_STATUSES

CANDIDATE_RECORDS = 300  # supporting records offered on the count form
LANGUAGES = {"en": "en", "ru": "ru", "zh": "zh-hans"}


def in_languages(text, keys=("en", "ru", "zh")) -> dict:
    """A label in several languages at once: the campaign pages speak to both sides."""
    labels = {}
    for key in keys:
        with translation.override(LANGUAGES[key]):
            labels[key] = str(text)
    return labels


# --- querysets ------------------------------------------------------------------------


def campaigns_with_counts():
    """Campaigns for the pages, with their PAs and counts (their PAs too) prefetched."""
    return CensusCampaign.objects.select_related("species").prefetch_related(
        "protected_areas",
        Prefetch(
            "counts",
            queryset=CensusCount.objects.select_related("protected_area").order_by(
                "protected_area__country", "protected_area__code"
            ),
        ),
    )


def campaigns_with_states():
    """Campaigns for the API, with their PAs and just enough of each count for its state."""
    return CensusCampaign.objects.select_related("species").prefetch_related(
        "protected_areas",
        Prefetch(
            "counts",
            queryset=CensusCount.objects.only(
                "id", "campaign_id", "protected_area_id", "status", "total"
            ),
        ),
    )


def counts_with_records():
    """Counts with their PA, campaign and the ids of their supporting records."""
    return CensusCount.objects.select_related("protected_area", "campaign").prefetch_related(
        Prefetch("observations", queryset=Observation.objects.only("id"))
    )


def flags_with_sides():
    """Double-count flags with both counts' PAs and the individual's catalogue codes."""
    return DoubleCountFlag.objects.select_related(
        "campaign", "count_a__protected_area", "count_b__protected_area", "individual"
    ).prefetch_related("individual__codes")


def candidate_records(access: Access, campaign: CensusCampaign, pas):
    """The records the count form offers as support: the campaign's species in these PAs,
    filed, within the count window, that the user reads (at most CANDIDATE_RECORDS)."""
    if not pas:
        return Observation.objects.none()
    opens = min(campaign.opens_at(pa) for pa in pas)
    ends = max(campaign.count_ends_at(pa) for pa in pas)
    ids = (
        access.visible_observations()
        .filter(
            species=campaign.species,
            protected_area__in=pas,
            status__in=SUPPORTING_STATUSES,
            observed_at__gte=opens,
            observed_at__lt=ends,
        )
        .order_by("observed_at")
        .values("pk")[:CANDIDATE_RECORDS]
    )
    return (
        Observation.objects.filter(pk__in=ids)
        .select_related("protected_area")
        .order_by("observed_at")
    )


# --- a campaign's figures -------------------------------------------------------------


def campaign_participation(*, campaign: CensusCampaign) -> list[dict]:
    """Every participating PA with its count and state (a ParticipationState).

    Expects ``protected_areas`` and ``counts`` prefetched (or costs two queries)."""
    counts = {c.protected_area_id: c for c in campaign.counts.all()}
    rows = []
    for pa in sorted(campaign.protected_areas.all(), key=lambda p: (p.country, p.code)):
        count = counts.get(pa.pk)
        rows.append(
            {
                "protected_area": pa,
                "count": count,
                "state": count.status if count else ParticipationState.MISSING,
            }
        )
    return rows


def pas_to_submit(access: Access, participation: list[dict]) -> list:
    """The participating PAs without a count that this user may submit one for."""
    return [
        row["protected_area"]
        for row in participation
        if row["count"] is None and access.can_submit_count_for(row["protected_area"])
    ]


def reconciliation(*, campaign: CensusCampaign) -> dict:
    """The joint figure: per-country raw totals, the raw sum, what the resolved duplicates
    take off, the reconciled total, and the flags (three queries; the campaign's PAs may
    be prefetched). Final when every PA has a confirmed count and no flag is open."""
    counts = list(campaign.counts.select_related("protected_area"))
    flags = list(
        campaign.flags.select_related(
            "count_a__protected_area", "count_b__protected_area", "individual"
        ).prefetch_related("individual__codes")
    )
    per_country: dict[str, dict] = {}
    for count in counts:
        row = per_country.setdefault(
            count.protected_area.country,
            {"country": count.protected_area.country, "total": 0, "counts": 0, "confirmed": 0},
        )
        row["total"] += count.total
        row["counts"] += 1
        row["confirmed"] += count.status == CountStatus.CONFIRMED
    raw = sum(c.total for c in counts)
    removed = sum(f.removed for f in flags)
    open_flags = sum(f.is_open for f in flags)
    confirmed = sum(c.status == CountStatus.CONFIRMED for c in counts)
    missing = len(campaign.protected_areas.all()) - len(counts)
    return {
        "per_country": [per_country[k] for k in sorted(per_country)],
        "raw_sum": raw,
        "duplicates_removed": removed,
        "reconciled_total": raw - removed,
        "counts": len(counts),
        "confirmed_counts": confirmed,
        "missing": missing,
        "open_flags": open_flags,
        "flags": flags,
        "is_final": bool(counts) and not missing and confirmed == len(counts) and not open_flags,
    }
