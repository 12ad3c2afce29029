"""Known individuals (tigers, leopards): the minimum number alive, new ones, ones not seen
again, and the animals seen on both sides of the border counted once.

An animal may have a code in each country's catalogue: two Individual records, each
owned by its node, joined by a confirmed IndividualMatch (observations.camera.matches).
The database gives one row per (individual, PA) with how many counted records it has in
each period of the trend and before the period (one GROUP BY, a row per animal and PA,
never a row per record); the confirmed matches then join the catalogue entries into
animals here.

- **minimum number alive** (MNA): the animals with a counted record in the period;
- **new**: those among them with no counted record (in scope) before the period;
- **not seen again**: animals seen in the previous period and not in this one;
- **seen on both sides**: animals seen in the period in PAs of two countries.
"""

from __future__ import annotations

from django.db.models import Count

from observations.models import IndividualMatch

from . import periods as P
from .context import Context


def _roots(species, ids) -> dict:
    """Individual id -> the id that stands for its animal (union-find over the confirmed
    matches of the species)."""
    parent = {i: i for i in ids}

    def root(i):
        parent.setdefault(i, i)
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    pairs = IndividualMatch.objects.filter(
        status=IndividualMatch.Status.CONFIRMED, individual_a__species=species
    ).values_list("individual_a_id", "individual_b_id")
    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb, key=str)] = min(ra, rb, key=str)
    return {i: root(i) for i in ids}


def sightings(ctx: Context) -> list[dict]:
    """Per known individual and PA: in which periods of the trend it has counted records
    (``p<i>``), and whether it has any before the period (``earlier``)."""
    n = len(ctx.trend)
    found: dict[tuple, dict] = {}
    for row in (
        ctx.records()
        .filter(P.before(ctx.period, ctx.zones, edge=1), individual__isnull=False)
        .annotate(period=ctx.period_index(earlier=True))
        .values("individual_id", "protected_area_id", "period")
        .annotate(records=Count("pk"))
    ):
        key = (row["individual_id"], row["protected_area_id"])
        out = found.setdefault(
            key,
            {"individual_id": key[0], "protected_area_id": key[1], "earlier": 0}
            | {f"p{i}": 0 for i in range(n)},
        )
        period = row["period"]
        if period is not None and period >= 0:
            out[f"p{period}"] += row["records"]
        if period is None or period < n - 1:  # anything before the period itself
            out["earlier"] += row["records"]
    return list(found.values())


def compute(ctx: Context) -> dict:
    """Animals per period of the trend (in total and per country), and for the period: per
    PA, MNA, new, not seen again, seen on both sides."""
    rows = sightings(ctx)
    roots = _roots(ctx.species, {r["individual_id"] for r in rows})
    n = len(ctx.trend)
    seen = [{} for _ in range(n)]  # period -> animal -> set of (country, pa)
    earlier, records_in_period = set(), set()
    for row in rows:
        animal = roots[row["individual_id"]]
        place = (ctx.pas[row["protected_area_id"]]["country"], row["protected_area_id"])
        for i in range(n):
            if row[f"p{i}"]:
                seen[i].setdefault(animal, set()).add(place)
        if row["earlier"]:
            earlier.add(animal)
        if row[f"p{n - 1}"]:
            records_in_period.add(row["individual_id"])
    series = []
    for period_seen in seen:
        countries: dict[str, int] = {}
        for places in period_seen.values():
            for country in {c for c, _pa in places}:
                countries[country] = countries.get(country, 0) + 1
        series.append({"total": len(period_seen), "countries": countries})
    now = seen[-1]
    per_pa: dict[int, int] = {}
    for places in now.values():
        for pa_id in {pa for _c, pa in places}:
            per_pa[pa_id] = per_pa.get(pa_id, 0) + 1
    before = seen[-2] if n > 1 else None
    return {
        "series": series,
        "per_pa": per_pa,
        "mna": len(now),
        "catalogue_entries": len(records_in_period),
        "new": sum(1 for animal in now if animal not in earlier),
        "not_seen_again": None if before is None else sum(1 for a in before if a not in now),
        "seen_on_both_sides": sum(1 for places in now.values() if len({c for c, _ in places}) > 1),
        "previous_period": ctx.trend[-2].as_json() if n > 1 else None,
    }
