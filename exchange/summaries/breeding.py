"""Nests and breeding pairs of storks and cranes, where they were recorded.

A nest survey is repeated in a season, and each visit finds the same nests again: a PA's
figure is therefore the largest number found in one survey (the sum of the survey's
records in that unit), not the sum over the season. A record filed without a survey
stands as a survey of its own. Two GROUP BY queries: one row per survey, never per record.
"""

from __future__ import annotations

from django.db.models import Count, Max, Sum

from observations.models import Species

from .context import Context

NESTS, PAIRS = Species.Unit.NESTS, Species.Unit.BREEDING_PAIRS
KEYS = {NESTS: "nests", PAIRS: "pairs"}


def compute(ctx: Context) -> dict | None:
    """None when the period has no record counted in nests or breeding pairs."""
    records = ctx.counted().filter(unit__in=[NESTS, PAIRS])
    best: dict[int, dict] = {}

    def keep(pa_id, unit, value, n):
        row = best.setdefault(pa_id, {"nests": None, "pairs": None, "records": 0})
        key = KEYS[unit]
        row[key] = max(row[key] or 0, value or 0)
        row["records"] += n

    for row in (
        records.filter(event__isnull=False)
        .values("protected_area_id", "unit", "event_id")
        .annotate(total=Sum("count"), n=Count("pk"))
    ):
        keep(row["protected_area_id"], row["unit"], row["total"], row["n"])
    for row in (
        records.filter(event__isnull=True)
        .values("protected_area_id", "unit")
        .annotate(top=Max("count"), n=Count("pk"))
    ):
        keep(row["protected_area_id"], row["unit"], row["top"], row["n"])
    if not best:
        return None
    rows = sorted(
        ({"pa": ctx.pas[pa_id]["code"], **row} for pa_id, row in best.items()),
        key=lambda r: r["pa"],
    )

    def total(key):
        values = [r[key] for r in rows if r[key] is not None]
        return sum(values) if values else None

    return {"nests": total("nests"), "pairs": total("pairs"), "pas": rows}
