"""The fingerprint of the data a summary was made from, and the "outdated" check.

A digest (SHA-256) of a few aggregates, each over a table the figures read, restricted as
the figures restrict it:

- the counted records of the species in scope up to the period's end (and those made
  later at a camera station set up by then): how many, the sum of their counts, the
  latest ``updated_at``, how many name a known individual and how many a survey. Every
  change through the services saves the record (``updated_at`` moves), a record that
  stops being verified or moves to another PA or species leaves the set (the count
  moves), and the sync's bulk unlinking of a withdrawn survey or individual moves the
  last two;
- the verified surveys of the counted kinds begun in the period (effort, stations);
- the census campaigns of the species ended by the period's end, their counts in scope
  and their double-count flags (a flag resolved is saved);
- the confirmed individual matches of the species.

The summary keeps the digest it was made with, read in the same transaction as the
figures (one REPEATABLE READ snapshot on PostgreSQL: the digest describes exactly the
data counted). A list page checks all its summaries at once: one query per table, the
summaries' aggregates joined by UNION ALL, whatever the number of summaries.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Count, IntegerField, Max, Sum, Value

from observations.models import (
    CensusCampaign,
    CensusCount,
    DoubleCountFlag,
    IndividualMatch,
    Observation,
    ProtectedArea,
    RecordStatus,
    SurveyEvent,
)

from . import periods as P

CHUNK = 100  # summaries per UNION (SQLite allows 500 terms in one compound SELECT)


@dataclass
class Inputs:
    """What a summary's fingerprint depends on."""

    species_id: int
    period: P.Period
    zones: dict[str, list[int]]
    kinds: list[str]

    @property
    def pa_ids(self) -> list[int]:
        return sorted(i for ids in self.zones.values() for i in ids)


def _queries(inputs: Inputs) -> list:
    """One aggregate queryset per table: each returns exactly one row."""
    end = inputs.period.last_day
    counted = Observation.objects.filter(species_id=inputs.species_id, status=RecordStatus.VERIFIED)
    records = counted.filter(P.before(inputs.period, inputs.zones, edge=1))
    # Records made after the period's end at a station set up before it (the station's
    # detections count for the period): read apart, so that the big part above needs no
    # join. The earliest end of the zones' makes the two parts overlap by a few hours,
    # which a digest does not mind.
    ends = [inputs.period.bounds(ZoneInfo(zone))[1] for zone in inputs.zones] or [
        dt.datetime.max.replace(tzinfo=dt.UTC)
    ]
    late = counted.filter(
        P.before(inputs.period, inputs.zones, field="event__started_at", edge=1),
        observed_at__gte=min(ends),
        evidence="camera",
        event__kind=SurveyEvent.Kind.CAMERA_TRAP,
    )
    surveys = SurveyEvent.objects.filter(
        P.during(inputs.period, inputs.zones, field="started_at"),
        status=RecordStatus.VERIFIED,
        kind__in=inputs.kinds or [""],
    )
    campaigns = CensusCampaign.objects.filter(species_id=inputs.species_id, ends_on__lte=end)
    counts = CensusCount.objects.filter(
        campaign__species_id=inputs.species_id,
        campaign__ends_on__lte=end,
        protected_area_id__in=inputs.pa_ids,
    )
    flags = DoubleCountFlag.objects.filter(
        campaign__species_id=inputs.species_id, campaign__ends_on__lte=end
    )
    matches = IndividualMatch.objects.filter(
        individual_a__species_id=inputs.species_id, status=IndividualMatch.Status.CONFIRMED
    )
    return [
        (
            records,
            {
                "n": Count("pk"),
                "total": Sum("count"),
                "changed": Max("updated_at"),
                "individuals": Count("individual_id"),
                "surveys": Count("event_id"),
            },
        ),
        (late, {"n": Count("pk"), "total": Sum("count"), "changed": Max("updated_at")}),
        (surveys, {"n": Count("pk"), "changed": Max("updated_at")}),
        (campaigns, {"n": Count("pk"), "changed": Max("updated_at")}),
        (counts, {"n": Count("pk"), "total": Sum("total"), "changed": Max("updated_at")}),
        (
            flags,
            {"n": Count("pk"), "changed": Max("updated_at"), "twice": Sum("duplicate_count")},
        ),
        (matches, {"n": Count("pk"), "changed": Max("updated_at")}),
    ]


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return None if value is None else str(value)


def fingerprints(many: list[Inputs]) -> list[str]:
    """The current fingerprint of each inputs: one query per table for all of them."""
    parts: list[list] = [[] for _ in many]
    tables = [_queries(inputs) for inputs in many]
    for table in range(len(tables[0]) if tables else 0):
        for start in range(0, len(many), CHUNK):
            chunk = range(start, min(start + CHUNK, len(many)))
            querysets = []
            for i in chunk:
                qs, aggregates = tables[i][table]
                querysets.append(
                    qs.order_by()
                    .annotate(summary_index=Value(i, output_field=IntegerField()))
                    .values("summary_index")
                    .annotate(**aggregates)
                )
            union = (
                querysets[0].union(*querysets[1:], all=True) if len(querysets) > 1 else querysets[0]
            )
            for row in union:
                index = row.pop("summary_index")
                parts[index].append({k: _plain(v) for k, v in sorted(row.items())})
    return [hashlib.sha256(json.dumps(p, sort_keys=True).encode()).hexdigest() for p in parts]


def fingerprint(inputs: Inputs) -> str:
    return fingerprints([inputs])[0]


def inputs_of(summaries) -> list[Inputs]:
    """The inputs of stored summaries (their campaigns selected), with one query for the
    PAs' time zones."""
    pas = list(ProtectedArea.objects.values("id", "country", "time_zone"))
    out = []
    for s in summaries:
        zones: dict[str, list[int]] = {}
        for pa in pas:
            if (
                s.scope == "joint"
                or (s.scope == "country" and pa["country"] == s.country)
                or (s.scope == "pa" and pa["id"] == s.protected_area_id)
            ):
                zones.setdefault(pa["time_zone"], []).append(pa["id"])
        period = P.period_of(s.period_kind, s.period_key, s.campaign)
        out.append(Inputs(s.species_id, period, zones, list(s.survey_kinds or [])))
    return out


def mark_outdated(summaries) -> None:
    """Set ``outdated`` on each summary: True when its data changed since it was made, None
    while it is not made yet. A fixed number of queries, however many summaries."""
    summaries = list(summaries)
    done = [s for s in summaries if s.status == "done" and s.fingerprint]
    for s in summaries:
        s.outdated = None
    if not done:
        return
    for s, current in zip(done, fingerprints(inputs_of(done)), strict=True):
        s.outdated = current != s.fingerprint
