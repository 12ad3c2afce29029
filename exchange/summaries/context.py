"""What every figure of a summary starts from: the species, the period, the scope, the
PAs in scope (one query) and the periods of the trend.

**Counted records** are the verified observations of the species in the PAs in scope,
this node's own and those received from the partner alike (scope.py says why none is
counted twice). Drafts, submitted and rejected records never count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Case, IntegerField, Q, Value, When

from observations.models import Observation, RecordStatus, Species, SurveyEvent

from . import periods as P
from .scope import Scope

# The species the issue names for known individuals and camera-trap rates: tigers and
# leopards are told apart by their stripes and spots, so that a camera photo is an animal.
IDENTIFIED_SPECIES = frozenset({"Panthera tigris altaica", "Panthera pardus orientalis"})
CAMERA_TRAP = SurveyEvent.Kind.CAMERA_TRAP
PA_FIELDS = ("id", "code", "country", "status", "time_zone", "name_en", "name_ru", "name_zh")


@dataclass
class Context:
    species: Species
    period: P.Period
    scope: Scope
    pas: dict[int, dict] = field(default_factory=dict)
    zones: dict[str, list[int]] = field(default_factory=dict)
    trend: list[P.Period] = field(default_factory=list)

    @classmethod
    def make(cls, *, species: Species, period: P.Period, scope: Scope) -> Context:
        rows = list(scope.protected_areas().order_by("country", "code").values(*PA_FIELDS))
        return cls(
            species=species,
            period=period,
            scope=scope,
            pas={row["id"]: row for row in rows},
            zones=scope.zones(rows),
            trend=[*period.previous(), period],
        )

    @property
    def identified(self) -> bool:
        return self.species.scientific_name in IDENTIFIED_SPECIES

    @property
    def unit(self) -> str:
        return self.species.counting_unit

    def during(self, period: P.Period | None = None, **kwargs) -> Q:
        return P.during(period or self.period, self.zones, **kwargs)

    def span(self) -> Q:
        """From the start of the trend's first period to the end of the last in any zone:
        one index range; ``period_index`` then tells which period (if any) a row is in."""
        zones = [ZoneInfo(z) for z in self.zones] or [dt.UTC]
        first = min(self.trend[0].bounds(z)[0] for z in zones)
        last = max(self.trend[-1].bounds(z)[1] for z in zones)
        return Q(observed_at__gte=first, observed_at__lt=last)

    def period_index(self, *, earlier: bool = False):
        """An expression: the index in ``trend`` of the period a record falls in (with
        ``earlier``, -1 for a record before the trend's first period), else NULL. One CASE
        per row, where a FILTER per period would test every condition on every row."""
        whens = [When(self.during(p), then=Value(i)) for i, p in enumerate(self.trend)]
        if earlier:
            whens.append(When(P.before(self.trend[0], self.zones), then=Value(-1)))
        return Case(*whens, default=None, output_field=IntegerField())

    def records(self):
        """Every counted record of the species in scope, of any time."""
        return Observation.objects.filter(
            species=self.species,
            status=RecordStatus.VERIFIED,
            protected_area_id__in=list(self.pas),
        ).order_by()

    def counted(self):
        """The counted records of the period."""
        return self.records().filter(self.during())

    def surveys(self, kinds):
        """Verified survey events of the PAs in scope, of these kinds, begun in the period."""
        return SurveyEvent.objects.filter(
            self.during(field="started_at"), status=RecordStatus.VERIFIED, kind__in=list(kinds)
        ).order_by()
