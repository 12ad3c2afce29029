"""Camera traps for tigers and leopards: detections per 100 trap-nights and the share of
camera stations with detections, per PA and for the scope.

Stations are the verified camera-trap survey events (a deployment is one) set up in the
period, with their effort in trap-nights known (a camera still out adds neither effort
nor detections, as on the camera pages). Detections are the counted camera records of the
species at those stations, counted as *independent* the way the PA camera pages count
them (observations.camera.abundance): a detection counts when the previous one of the
species at the same station is at least CAMERA_INDEPENDENCE_MIN minutes earlier. The
records, not the classifications, are counted, because the partner's camera records
arrive as records: the same rule for both sides.

Two GROUP BY queries; the predecessor comes from a window function (LAG), one pass over
the stations' records (abundance.py's correlated subquery costs a lookup per record).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, Lag

from observations.models import Evidence, Observation, RecordStatus

from .context import CAMERA_TRAP, Context


def _camera_records(ctx: Context):
    return Observation.objects.filter(
        species=ctx.species, status=RecordStatus.VERIFIED, evidence=Evidence.CAMERA
    ).order_by()


def _per_100(detections: int, nights) -> float | None:
    if not nights:
        return None
    return round(100 * detections / float(nights), 2)


def compute(ctx: Context) -> dict:
    stations = ctx.surveys([CAMERA_TRAP]).filter(effort_trap_nights__isnull=False)
    detected = _camera_records(ctx).filter(event_id=OuterRef("pk"))
    per_pa = {
        row["protected_area_id"]: row
        for row in stations.annotate(hit=Exists(detected))
        .values("protected_area_id")
        .annotate(
            stations=Count("pk"),
            with_detections=Count("pk", filter=Q(hit=True)),
            trap_nights=Coalesce(Sum("effort_trap_nights"), Decimal(0)),
        )
    }
    independent = _independent(ctx, stations)
    rows = []
    for pa_id, row in per_pa.items():
        detections = independent.get(pa_id, 0)
        rows.append(
            {
                "pa": ctx.pas[pa_id]["code"],
                "stations": row["stations"],
                "with_detections": row["with_detections"],
                "trap_nights": float(row["trap_nights"]),
                "detections": detections,
                "per_100": _per_100(detections, row["trap_nights"]),
            }
        )
    rows.sort(key=lambda r: r["pa"])
    stations_n = sum(r["stations"] for r in rows)
    with_n = sum(r["with_detections"] for r in rows)
    nights = sum(Decimal(str(r["trap_nights"])) for r in rows)
    detections = sum(r["detections"] for r in rows)
    return {
        "threshold_min": settings.CAMERA_INDEPENDENCE_MIN,
        "stations": stations_n,
        "with_detections": with_n,
        "share": round(with_n / stations_n, 4) if stations_n else None,
        "trap_nights": float(nights),
        "detections": detections,
        "per_100": _per_100(detections, nights),
        "pas": rows,
    }


def _independent(ctx: Context, stations) -> dict[int, int]:
    """Independent detections per PA: each camera record of the species with the time
    since the previous one at its station (LAG over the station's records, in the
    database), counted where that is at least the threshold. Django cannot aggregate over
    a window in one query, so the windowed query is wrapped in a GROUP BY here."""
    gap = Coalesce(
        ExpressionWrapper(F("observed_at") - F("previous"), output_field=DurationField()),
        Value(dt.timedelta(days=36500), output_field=DurationField()),
    )
    detections = (
        _camera_records(ctx)
        .filter(event__in=stations.values("pk"))
        .annotate(
            previous=Window(
                Lag("observed_at"),
                partition_by=[F("event_id")],
                order_by=[F("observed_at").asc(), F("id").asc()],
            )
        )
        .annotate(gap=gap)
        .values("protected_area_id", "gap")
    )
    sql, params = detections.query.sql_with_params()
    threshold = DurationField().get_db_prep_value(
        dt.timedelta(minutes=settings.CAMERA_INDEPENDENCE_MIN), connection
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT protected_area_id, COUNT(*) FROM ({sql}) detections "
            "WHERE gap >= %s GROUP BY protected_area_id",
            [*params, threshold],
        )
        return dict(cursor.fetchall())
