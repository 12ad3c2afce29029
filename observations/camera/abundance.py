"""Relative abundance: detections per 100 trap-nights, per species, per deployment and per
PA and season. The two sides count differently, so both are computed:

- **independent events per 100 trap-nights** (shown first, the usual practice on the
  Russian side and in most camera-trap software): detections of a species at one station
  count once per CAMERA_INDEPENDENCE_MIN minutes (30 by default): a detection is a
  classified sequence, and it counts when the previous detection of the same species at
  the same station is at least that long before it;
- **photos per 100 trap-days** (common in Chinese studies): every photo of a sequence in
  which the species was seen.

The effort is the deployments' trap-nights (observations.camera.deployments.trap_nights);
deployments still out (no end yet) add neither effort nor detections. Counting is done by
the database: a correlated subquery finds each detection's predecessor (as LAG would;
filtering on a window function inside an aggregate is not portable), and the independent
ones are counted with GROUP BY.

Seasons are meteorological, by the day a deployment was set up, in the PA's own zone:
winter (December to February, named after the year of its January), spring (March-May),
summer (June-August), autumn (September-November).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from ..models import Classification, Deployment, Species

EVENTS, PHOTOS = "events", "photos"
SEASONS = {
    "winter": _("winter"),
    "spring": _("spring"),
    "summer": _("summer"),
    "autumn": _("autumn"),
}
_SEASON_OF_MONTH = {
    12: "winter",
    1: "winter",
    2: "winter",
    3: "spring",
    4: "spring",
    5: "spring",
    6: "summer",
    7: "summer",
    8: "summer",
    9: "autumn",
    10: "autumn",
    11: "autumn",
}
_FIRST_MONTH = {"winter": 12, "spring": 3, "summer": 6, "autumn": 9}


@dataclass(frozen=True)
class Season:
    year: int
    name: str

    @classmethod
    def of(cls, when: dt.date) -> Season:
        name = _SEASON_OF_MONTH[when.month]
        return cls(when.year + 1 if when.month == 12 else when.year, name)

    @classmethod
    def parse(cls, key: str) -> Season | None:
        """``2024-winter`` (as the API takes it)."""
        year, _sep, name = (key or "").partition("-")
        if name not in SEASONS or not year.isdigit():
            return None
        return cls(int(year), name)

    @property
    def key(self) -> str:
        return f"{self.year}-{self.name}"

    @property
    def label(self) -> str:
        return f"{SEASONS[self.name]} {self.year}"

    def bounds(self, zone) -> tuple[dt.datetime, dt.datetime]:
        month = _FIRST_MONTH[self.name]
        year = self.year - 1 if self.name == "winter" else self.year
        start = dt.datetime(year, month, 1, tzinfo=zone)
        end_month, end_year = month + 3, year
        if end_month > 12:
            end_month, end_year = end_month - 12, year + 1
        return start, dt.datetime(end_year, end_month, 1, tzinfo=zone)


@dataclass
class Row:
    species: Species
    detections: int = 0
    photos: int = 0
    deployments: int = 0
    trap_nights: Decimal = Decimal(0)

    @property
    def events_per_100(self) -> float | None:
        if not self.trap_nights:
            return None
        return round(100 * self.detections / float(self.trap_nights), 2)

    @property
    def photos_per_100(self) -> float | None:
        if not self.trap_nights:
            return None
        return round(100 * self.photos / float(self.trap_nights), 2)


@dataclass
class Abundance:
    threshold_min: int
    deployments: int
    trap_nights: Decimal
    rows: list[Row] = field(default_factory=list)
    shown: str = EVENTS

    def as_json(self) -> dict:
        return {
            "shown": self.shown,
            "methods": {
                EVENTS: str(
                    _("independent events per 100 trap-nights (%(minutes)s min apart)")
                    % {"minutes": self.threshold_min}
                ),
                PHOTOS: str(_("photos per 100 trap-days")),
            },
            "independence_threshold_min": self.threshold_min,
            "deployments": self.deployments,
            "trap_nights": float(self.trap_nights),
            "species": [
                {
                    "species": row.species.scientific_name,
                    "name": row.species.name,
                    "independent_events": row.detections,
                    "photos": row.photos,
                    "deployments_with_detections": row.deployments,
                    "events_per_100_trap_nights": row.events_per_100,
                    "photos_per_100_trap_days": row.photos_per_100,
                }
                for row in self.rows
            ],
        }


def threshold() -> dt.timedelta:
    return dt.timedelta(minutes=settings.CAMERA_INDEPENDENCE_MIN)


def _detections(deployment_ids):
    """Animal classifications of the deployments, each with the time since the previous
    detection of its species at its station (``gap``; far in the past for the first)."""
    previous = (
        Classification.objects.filter(
            kind=Classification.Kind.ANIMAL,
            species_id=OuterRef("species_id"),
            sequence__deployment_id=OuterRef("sequence__deployment_id"),
            sequence__started_at__lt=OuterRef("sequence__started_at"),
        )
        .order_by("-sequence__started_at")
        .values("sequence__started_at")[:1]
    )
    return (
        Classification.objects.filter(
            kind=Classification.Kind.ANIMAL,
            species__isnull=False,
            sequence__deployment_id__in=deployment_ids,
            sequence__started_at__isnull=False,
        )
        .annotate(previous=Subquery(previous, output_field=DateTimeField()))
        .annotate(
            gap=Coalesce(
                ExpressionWrapper(
                    F("sequence__started_at") - F("previous"), output_field=DurationField()
                ),
                Value(dt.timedelta(days=36500), output_field=DurationField()),
            )
        )
    )


def compute(deployments) -> Abundance:
    """Both indices for a set of deployments (a queryset), per species."""
    counted = deployments.filter(event__effort_trap_nights__isnull=False)
    effort = counted.aggregate(
        n=Count("pk"), nights=Coalesce(Sum("event__effort_trap_nights"), Decimal(0))
    )
    ids = list(counted.values_list("pk", flat=True))
    result = Abundance(
        threshold_min=settings.CAMERA_INDEPENDENCE_MIN,
        deployments=effort["n"],
        trap_nights=Decimal(effort["nights"] or 0),
    )
    if not ids:
        return result
    independent = dict(
        _detections(ids)
        .filter(gap__gte=threshold())
        .values("species_id")
        .annotate(n=Count("pk"))
        .values_list("species_id", "n")
    )
    photos = {
        row["species_id"]: row
        for row in Classification.objects.filter(
            kind=Classification.Kind.ANIMAL,
            species__isnull=False,
            sequence__deployment_id__in=ids,
        )
        .values("species_id")
        .annotate(
            photos=Coalesce(Sum("sequence__media_count"), 0),
            stations=Count("sequence__deployment_id", distinct=True),
        )
    }
    species = Species.objects.in_bulk(list(photos))
    for species_id, row in photos.items():
        result.rows.append(
            Row(
                species=species[species_id],
                detections=independent.get(species_id, 0),
                photos=row["photos"],
                deployments=row["stations"],
                trap_nights=result.trap_nights,
            )
        )
    result.rows.sort(key=lambda r: (-(r.events_per_100 or 0), r.species.scientific_name))
    return result


def deployment_abundance(deployment: Deployment) -> Abundance:
    return compute(Deployment.objects.filter(pk=deployment.pk))


def pa_abundance(*, access, pa, season: Season | None = None) -> Abundance:
    """Over the PA's deployments that the user may see, of one season or of all time."""
    deployments = access.visible_deployments().filter(event__protected_area=pa)
    if season is not None:
        start, end = season.bounds(pa.tz)
        deployments = deployments.filter(event__started_at__gte=start, event__started_at__lt=end)
    return compute(deployments)


def seasons_of(*, access, pa) -> list[Season]:
    """The seasons in which the PA has deployments the user may see, newest first."""
    starts = (
        access.visible_deployments()
        .filter(event__protected_area=pa)
        .values_list("event__started_at", flat=True)
    )
    found = {Season.of(when.astimezone(pa.tz).date()) for when in starts}
    order = list(_FIRST_MONTH)
    return sorted(found, key=lambda s: (s.year, order.index(s.name)), reverse=True)
