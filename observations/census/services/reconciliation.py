"""Reconciling a joint census: candidate double counts and the joint total.

Cranes and storks cross the border rivers, and so do tigers: the same flock
or animal can be counted from both banks. Two kinds of candidates are
flagged for the coordinators (observations.census.models.DoubleCountFlag):

- ``nearby``: a count on one side and a count on the other side, of
  transboundary partner PAs or of PAs whose centres lie within the
  campaign's ``duplicate_distance_km``, made within its
  ``duplicate_window_hours`` of each other (the closest pair of their
  supporting records' times, or the counts' own times when they have none);
- ``individual``: the same known individual (by its catalogue codes, one
  Individual however many codes it has) supports counts on both sides.

How many animals a candidate may have counted twice (``suggested``): for an
individual, 1. For a nearby pair, the largest number of animals of one count
that could be animals of the other: identified individuals that differ are
different animals, and the individuals both counts share are flagged on
their own, so with S shared individuals, I identified and U unidentified
animals per side it is min(total_a - S, total_b - S, U_a + U_b) (a maximum
matching); a pair that cannot share any animal raises no flag. For birds
(no individuals) that is the smaller of the two totals.

A coordinator resolves each flag: "same" (by default ``suggested`` animals
were counted twice; they may say fewer) or "different", always with a note.
The joint total is the raw sum of the PAs' counts minus the animals of the
flags resolved "same"; the per-country breakdown shows the raw figures
(observations.census.selectors.reconciliation).

Flags are recomputed in the transaction of every count written on this node
and when a coordinator asks (after the partner's counts arrive by the
exchange). A flag keeps its id (a UUID made from the campaign and its key)
and its resolution while its basis stands; one whose basis is gone (a count
corrected) is deleted.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from observations.access import Access
from observations.errors import DomainError, NotAllowed
from observations.geo import distance_m
from observations.models import CensusCampaign, CensusCount, DoubleCountFlag


@dataclass
class _CountFacts:
    count: CensusCount
    times: list = field(default_factory=list)
    individuals: set = field(default_factory=set)

    @property
    def country(self) -> str:
        return self.count.protected_area.country

    @property
    def unidentified(self) -> int:
        return max(0, self.count.total - len(self.individuals))


def _facts(campaign: CensusCampaign) -> list[_CountFacts]:
    counts = list(campaign.counts.select_related("protected_area"))
    facts = {c.pk: _CountFacts(c) for c in counts}
    through = CensusCount.observations.through
    rows = through.objects.filter(censuscount__campaign=campaign).values_list(
        "censuscount_id", "observation__observed_at", "observation__individual_id"
    )
    for count_id, observed_at, individual_id in rows:
        item = facts[count_id]
        item.times.append(observed_at)
        if individual_id is not None:
            item.individuals.add(individual_id)
    for item in facts.values():
        item.times = sorted(item.times) or [item.count.counted_at]
    return sorted(facts.values(), key=lambda f: (f.country, f.count.protected_area.code))


def _closest_hours(a: list, b: list) -> float:
    """The smallest time between a moment of ``a`` and one of ``b`` (both sorted), in hours."""
    i = j = 0
    best = None
    while i < len(a) and j < len(b):
        gap = abs((a[i] - b[j]).total_seconds())
        best = gap if best is None else min(best, gap)
        if a[i] < b[j]:
            i += 1
        else:
            j += 1
    return (best or 0.0) / 3600


def _distance_km(pa_a, pa_b) -> float | None:
    if None in (pa_a.centroid_lat, pa_a.centroid_lon, pa_b.centroid_lat, pa_b.centroid_lon):
        return None
    return (
        distance_m(pa_a.centroid_lat, pa_a.centroid_lon, pa_b.centroid_lat, pa_b.centroid_lon)
        / 1000
    )


def _partners(pa_a, pa_b) -> bool:
    return pa_a.transboundary_partner_id == pa_b.pk or pa_b.transboundary_partner_id == pa_a.pk


def candidates(campaign: CensusCampaign) -> dict[str, dict]:
    """The flags the campaign's counts call for now, by key (nothing is written)."""
    facts = _facts(campaign)
    wanted: dict[str, dict] = {}
    for a, b in itertools.combinations(facts, 2):
        if a.country == b.country:
            continue  # double counts across the border are what the joint census reconciles
        pa_a, pa_b = a.count.protected_area, b.count.protected_area
        distance = _distance_km(pa_a, pa_b)
        hours = _closest_hours(a.times, b.times)
        shared = a.individuals & b.individuals
        for individual_id in sorted(shared, key=str):
            key = f"individual:{individual_id}"
            wanted.setdefault(
                key,
                {
                    "kind": DoubleCountFlag.Kind.INDIVIDUAL,
                    "count_a": a.count,
                    "count_b": b.count,
                    "individual_id": individual_id,
                    "suggested": 1,
                    "distance_km": distance,
                    "hours_apart": hours,
                },
            )
        near = _partners(pa_a, pa_b) or (
            distance is not None and distance <= campaign.duplicate_distance_km
        )
        if not near or hours > campaign.duplicate_window_hours:
            continue
        s = len(shared)
        possible = min(a.count.total - s, b.count.total - s, a.unidentified + b.unidentified)
        if possible <= 0:
            continue
        wanted[f"nearby:{a.count.pk}:{b.count.pk}"] = {
            "kind": DoubleCountFlag.Kind.NEARBY,
            "count_a": a.count,
            "count_b": b.count,
            "individual_id": None,
            "suggested": possible,
            "distance_km": distance,
            "hours_apart": hours,
        }
    return wanted


FLAG_FIELDS = [
    "kind",
    "count_a",
    "count_b",
    "individual_id",
    "suggested",
    "distance_km",
    "hours_apart",
]


def _same(flag: DoubleCountFlag, data: dict) -> bool:
    for name in FLAG_FIELDS:
        current = getattr(flag, f"{name}_id" if name in ("count_a", "count_b") else name)
        wanted = data[name].pk if name in ("count_a", "count_b") else data[name]
        if isinstance(wanted, float) and current is not None:
            if abs(current - wanted) > 1e-6:
                return False
        elif current != wanted:
            return False
    return True


def flags_refresh(*, campaign: CensusCampaign) -> list[DoubleCountFlag]:
    """Bring the campaign's flags in line with its counts (in the caller's transaction)."""
    with transaction.atomic():
        wanted = candidates(campaign)
        existing = {
            f.key: f for f in DoubleCountFlag.objects.select_for_update().filter(campaign=campaign)
        }
        for key, data in wanted.items():
            flag = existing.pop(key, None)
            if flag is None:
                DoubleCountFlag.objects.create(
                    id=DoubleCountFlag.id_for(campaign.pk, key),
                    origin_node=settings.NODE_CODE,
                    campaign=campaign,
                    key=key,
                    **data,
                )
            elif not _same(flag, data):
                for name, value in data.items():
                    setattr(flag, name, value)
                flag.save()
        for flag in existing.values():
            flag.delete()  # its basis is gone: a count was corrected or withdrawn
    return list(campaign.flags.all())


def campaign_reconcile(*, access: Access, campaign: CensusCampaign) -> list[DoubleCountFlag]:
    """A coordinator asks for the flags to be checked again (the partner's counts came in)."""
    if not access.can_edit_campaign(campaign):
        raise NotAllowed(_("Only the campaign's coordinators reconcile it."), "forbidden")
    return flags_refresh(campaign=campaign)


def flag_resolve(
    *,
    access: Access,
    user,
    flag: DoubleCountFlag,
    decision: str,
    note: str,
    duplicate_count: int | None = None,
) -> DoubleCountFlag:
    """A coordinator decides: the same animals (counted once in the joint total) or not."""
    if not access.can_edit_campaign(flag.campaign):
        raise NotAllowed(_("Only the campaign's coordinators resolve its flags."), "forbidden")
    if decision not in DoubleCountFlag.Decision.RESOLVED:
        raise DomainError(_("Decide “same” or “different”."), "bad_decision", field="decision")
    note = (note or "").strip()
    if not note:
        raise DomainError(
            _("Say how you decided (a note is kept with the decision)."),
            "note_required",
            field="note",
        )
    if decision == DoubleCountFlag.Decision.SAME:
        duplicate_count = flag.suggested if duplicate_count in (None, "") else int(duplicate_count)
        if not 1 <= duplicate_count <= flag.suggested:
            raise DomainError(
                _("Between 1 and %(max)s animals can have been counted twice here.")
                % {"max": flag.suggested},
                "bad_duplicate_count",
                field="duplicate_count",
            )
    else:
        duplicate_count = None
    with transaction.atomic():
        flag.decision = decision
        flag.duplicate_count = duplicate_count
        flag.note = note[:5000]
        flag.resolved_at = timezone.now()
        flag.resolved_by = user
        flag.updated_by = user
        flag.save()
    return flag
