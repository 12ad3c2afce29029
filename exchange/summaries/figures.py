"""The figures of a summary, from database aggregates (about twenty GROUP BY queries, each
returning a row per PA, per survey or per known animal: never a row per record).

The count of a PA, and the total of the scope, rest on one of three bases, chosen from
the data and named in the summary:

- ``census``: a census campaign is the period, or ended in it (census.py). A PA's count
  is its census count; the joint total is the reconciled one (resolved double counts
  counted once);
- ``individuals`` (tigers and leopards with known individuals recorded in the period): a
  PA's count is the number of known animals recorded there; the total counts an animal
  with codes in both countries' catalogues once (individuals.py);
- ``records``: a PA's count is its peak count, the largest number in one counted record
  (a lower bound: the same birds are seen again and again); the total is the sum of the
  PAs' peaks.

Every PA row also has the counted records and the effort behind them: the verified
surveys of the kinds the counted records came from (``_per_pa``), or, for a
census, the effort the PA reported with its count. Completeness: the PAs expected to
report (a campaign's participants; otherwise the PAs in scope whose targets name the
species, seeds/protected_areas.json) and those that did (a count, a counted record, or a
survey of those kinds, which reports zero when it found none).

No figure carries a place finer than a protected area.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from observations.models import ProtectedArea

from . import breeding, camera, census, individuals
from .context import CAMERA_TRAP, Context
from .targets import target_of

VERSION = 1
CENSUS, INDIVIDUALS, RECORDS = "census", "individuals", "records"


def _per_pa(ctx: Context) -> tuple[list[dict], list[str]]:
    """Per PA: the counted records (``n<i>``) and the peak count in the species' unit
    (``peak<i>``) of each period of the trend; and the kinds of survey the period's
    counted records came from (the effort behind the counts), with camera trapping for
    tigers and leopards (a station that photographed none is effort too). One GROUP BY
    (PA, period, kind of survey) over the trend's records."""
    last, kinds = len(ctx.trend) - 1, set()
    rows: dict[int, dict] = {}
    for row in (
        ctx.records()
        .filter(ctx.span())
        .annotate(period=ctx.period_index())
        .values("protected_area_id", "period", "event__kind")
        .annotate(n=Count("pk"), peak=Max("count", filter=Q(unit=ctx.unit)))
    ):
        period = row["period"]
        if period is None:
            continue
        out = rows.setdefault(
            row["protected_area_id"],
            {"protected_area_id": row["protected_area_id"]}
            | {f"n{i}": 0 for i in range(len(ctx.trend))}
            | {f"peak{i}": None for i in range(len(ctx.trend))},
        )
        out[f"n{period}"] += row["n"]
        if row["peak"] is not None:
            out[f"peak{period}"] = max(out[f"peak{period}"] or 0, row["peak"])
        if period == last and row["event__kind"]:
            kinds.add(row["event__kind"])
    if ctx.identified:
        kinds.add(CAMERA_TRAP)
    return list(rows.values()), sorted(kinds)


def _record_rows(ctx: Context, rows: list[dict]) -> dict[int, dict]:
    """The period's records and peak count per PA (the PAs with records)."""
    last = len(ctx.trend) - 1
    return {
        row["protected_area_id"]: {"records": row[f"n{last}"], "peak": row[f"peak{last}"]}
        for row in rows
        if row[f"n{last}"]
    }


def _effort_rows(ctx: Context, kinds: list[str]) -> dict[int, dict]:
    if not kinds:
        return {}
    return {
        row["protected_area_id"]: {
            "surveys": row["surveys"],
            "km": _float(row["km"]),
            "hours": _float(row["hours"]),
            "trap_nights": _float(row["trap_nights"]),
        }
        for row in ctx.surveys(kinds)
        .values("protected_area_id")
        .annotate(
            surveys=Count("pk"),
            km=Sum("effort_km"),
            hours=Sum("effort_hours"),
            trap_nights=Sum("effort_trap_nights"),
        )
    }


def _peaks_series(ctx: Context, rows: list[dict]) -> list[dict]:
    """Per period of the trend: the sum of the PAs' peak counts (and per country)."""
    out = []
    for i in range(len(ctx.trend)):
        countries: dict[str, int] = {}
        for row in rows:
            if row[f"peak{i}"] is not None:
                country = ctx.pas[row["protected_area_id"]]["country"]
                countries[country] = countries.get(country, 0) + row[f"peak{i}"]
        out.append(
            {"total": sum(countries.values()) if countries else None, "countries": countries}
        )
    return out


def _targeted_pas(ctx: Context) -> set[int]:
    through = ProtectedArea.target_species.through
    return set(
        through.objects.filter(
            species_id=ctx.species.pk,
            protectedarea_id__in=list(ctx.pas),
            protectedarea__status=ProtectedArea.Status.EXISTING,
        ).values_list("protectedarea_id", flat=True)
    )


def compute(ctx: Context) -> dict:
    per_pa, kinds = _per_pa(ctx)
    records = _record_rows(ctx, per_pa)
    campaign = census.campaigns_for(ctx, [ctx.period])[0]
    known = individuals.compute(ctx) if ctx.identified else None
    if campaign is not None:
        basis = CENSUS
    elif known is not None and known["mna"]:
        basis = INDIVIDUALS
    else:
        basis = RECORDS

    counted = census.compute(ctx, campaign) if basis == CENSUS else None
    effort = (
        {
            pa_id: {k: row[k] for k in ("surveys", "km", "hours", "trap_nights")}
            for pa_id, row in counted["per_pa"].items()
        }
        if counted
        else _effort_rows(ctx, kinds)
    )
    if basis == CENSUS:
        expected = set(counted["expected"])
        reported = set(counted["per_pa"])
    else:
        expected = _targeted_pas(ctx)
        reported = set(records) | set(effort)
    expected |= reported

    pa_rows = []
    for pa_id in sorted(expected, key=lambda i: (ctx.pas[i]["country"], ctx.pas[i]["code"])):
        pa = ctx.pas[pa_id]
        row = records.get(pa_id, {})
        if basis == CENSUS:
            count = counted["per_pa"].get(pa_id, {}).get("count")
        elif basis == INDIVIDUALS:
            count = known["per_pa"].get(pa_id, 0) if pa_id in reported else None
        else:
            count = row.get("peak") if pa_id in reported else None
            count = 0 if count is None and pa_id in reported else count
        pa_rows.append(
            {
                "code": pa["code"],
                "country": pa["country"],
                "name_en": pa["name_en"],
                "name_ru": pa["name_ru"],
                "name_zh": pa["name_zh"],
                "reported": pa_id in reported,
                "records": row.get("records", 0),
                "peak": row.get("peak"),
                "individuals": known["per_pa"].get(pa_id, 0) if known else None,
                "count": count,
                "effort": effort.get(pa_id),
            }
        )

    if basis == CENSUS:
        series = census.series(ctx, census.campaigns_for(ctx, ctx.trend))
        total = counted["total"]
        country_counts = counted["countries"]
    elif basis == INDIVIDUALS:
        series = known["series"]
        total = known["mna"]
        country_counts = series[-1]["countries"]
    else:
        series = _peaks_series(ctx, per_pa)
        total = series[-1]["total"]
        country_counts = series[-1]["countries"]

    countries = _countries(pa_rows, country_counts)

    trend = _trend(ctx, series, per_pa, counted=basis == CENSUS)
    change = _change(total, trend[-2]["total"] if len(trend) > 1 else None)

    return {
        "version": VERSION,
        "made_at": timezone.now().isoformat(),
        "species": {
            "scientific_name": ctx.species.scientific_name,
            "name_en": ctx.species.name_en,
            "name_ru": ctx.species.name_ru,
            "name_zh": ctx.species.name_zh,
            "group": ctx.species.group,
            "unit": ctx.unit,
        },
        "scope": ctx.scope.as_json(),
        "period": ctx.period.as_json(),
        "basis": basis,
        "total": total,
        "census": _census_json(counted),
        "pas": pa_rows,
        "countries": countries,
        "records": sum(r["records"] for r in pa_rows),
        "survey_kinds": kinds,
        "individuals": _individuals_json(known),
        "camera": camera.compute(ctx) if ctx.identified else None,
        "breeding": breeding.compute(ctx) if ctx.species.group == "bird" else None,
        "trend": trend,
        "change": change,
        "completeness": {
            "expected": [r["code"] for r in pa_rows],
            "reported": [r["code"] for r in pa_rows if r["reported"]],
            "missing": [r["code"] for r in pa_rows if not r["reported"]],
        },
        "target": target_of(ctx.species),
    }


def _countries(pa_rows: list[dict], country_counts: dict) -> list[dict]:
    out = []
    for country in sorted({r["country"] for r in pa_rows} | set(country_counts)):
        rows = [r for r in pa_rows if r["country"] == country]
        reported = any(r["reported"] for r in rows)
        out.append(
            {
                "country": country,
                "count": country_counts.get(country, 0 if reported else None),
                "records": sum(r["records"] for r in rows),
                "pas_expected": len(rows),
                "pas_reported": sum(1 for r in rows if r["reported"]),
                "effort": _sum_effort([r["effort"] for r in rows]),
            }
        )
    return out


def _trend(ctx: Context, series: list[dict], per_pa: list[dict], *, counted: bool) -> list:
    """The periods of the trend with their records and figures; a period with no counted
    record has no figure (rather than a zero), unless a census counted it."""
    trend = []
    records = [sum(row[f"n{i}"] for row in per_pa) for i in range(len(ctx.trend))]
    for period, point, n in zip(ctx.trend, series, records, strict=True):
        if not n and not counted:
            point = {"total": None, "countries": {}}
        trend.append({"period": period.as_json(), "records": n, **point})
    return trend


def _change(total, previous) -> dict | None:
    if total is None or previous is None:
        return None
    return {
        "previous": previous,
        "current": total,
        "difference": total - previous,
        "ratio": round((total - previous) / previous, 4) if previous else None,
    }


def _census_json(counted: dict | None) -> dict | None:
    if counted is None:
        return None
    keep = ("campaign", "raw_sum", "duplicates_removed", "open_flags", "is_final", "total")
    return {k: counted[k] for k in keep}


def _individuals_json(known: dict | None) -> dict | None:
    if known is None:
        return None
    keep = ("mna", "catalogue_entries", "new", "not_seen_again", "seen_on_both_sides")
    return {**{k: known[k] for k in keep}, "previous_period": known["previous_period"]}


def _sum_effort(items: list[dict | None]) -> dict | None:
    items = [e for e in items if e]
    if not items:
        return None
    total = {}
    for key in ("surveys", "km", "hours", "trap_nights"):
        values = [Decimal(str(e[key])) for e in items if e.get(key) is not None]
        total[key] = (
            (int(sum(values)) if key == "surveys" else float(sum(values))) if values else None
        )
    return total


def _float(value):
    return None if value is None else float(value)
