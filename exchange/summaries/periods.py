"""The period of a summary: a calendar year, a season, or a census campaign's count window.

A period is read in each protected area's own time zone (DESIGN.md: times are stored in
UTC, a PA lives in its zone): the year 2025 of Khankaisky starts at midnight in
Vladivostok, that of Xingkaihu two hours later in UTC. ``during`` turns a period into one
query condition with a branch per time zone (four at most in the Amur basin).

Seasons are those of the camera-trap pages (observations.camera.abundance.Season):
meteorological, winter named after the year of its January. A campaign's period is its
count window, whole local days from ``starts_on`` to ``ends_on``.

The trend compares a period with the ones before it: the four years (or the same season of
the four years) before, or the species' four campaigns before.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from observations.camera.abundance import SEASONS, Season
from observations.errors import DomainError
from observations.models import CensusCampaign

YEAR, SEASON, CAMPAIGN = "year", "season", "campaign"
TREND_LENGTH = 5  # the period and the four before it
FIRST_YEAR = 1990


@dataclass(frozen=True)
class Period:
    kind: str
    year: int | None = None
    season: str | None = None
    campaign: CensusCampaign | None = None

    @property
    def key(self) -> str:
        if self.kind == YEAR:
            return str(self.year)
        if self.kind == SEASON:
            return f"{self.year}-{self.season}"
        return str(self.campaign.pk)

    def bounds(self, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) of the period in one time zone."""
        if self.kind == YEAR:
            return (
                dt.datetime(self.year, 1, 1, tzinfo=zone),
                dt.datetime(self.year + 1, 1, 1, tzinfo=zone),
            )
        if self.kind == SEASON:
            return Season(self.year, self.season).bounds(zone)
        start = dt.datetime.combine(self.campaign.starts_on, dt.time(0), tzinfo=zone)
        end = dt.datetime.combine(
            self.campaign.ends_on + dt.timedelta(days=1), dt.time(0), tzinfo=zone
        )
        return start, end

    @property
    def first_day(self) -> dt.date:
        return self.bounds(dt.UTC)[0].date()

    @property
    def last_day(self) -> dt.date:
        return self.bounds(dt.UTC)[1].date() - dt.timedelta(days=1)

    def previous(self, n: int = TREND_LENGTH - 1) -> list[Period]:
        """The ``n`` comparable periods before this one, oldest first."""
        if self.kind in (YEAR, SEASON):
            return [
                Period(self.kind, year=self.year - i, season=self.season) for i in range(n, 0, -1)
            ]
        earlier = CensusCampaign.objects.filter(
            species_id=self.campaign.species_id, ends_on__lt=self.campaign.starts_on
        ).order_by("-starts_on", "-pk")[:n]
        return [Period(CAMPAIGN, campaign=c) for c in reversed(list(earlier))]

    def as_json(self) -> dict:
        data = {"kind": self.kind, "key": self.key, "year": self.year, "season": self.season}
        data["first_day"] = self.first_day.isoformat()
        data["last_day"] = self.last_day.isoformat()
        if self.campaign is not None:
            c = self.campaign
            data["campaign"] = {
                "id": str(c.pk),
                "name_en": c.name_en,
                "name_ru": c.name_ru,
                "name_zh": c.name_zh,
                "method": c.method,
                "starts_on": c.starts_on.isoformat(),
                "ends_on": c.ends_on.isoformat(),
            }
        return data


def during(
    period: Period,
    zones: dict[str, list[int]],
    *,
    field: str = "observed_at",
    pa_field: str = "protected_area_id",
) -> Q:
    """Rows of the PAs in ``zones`` (time zone -> PA ids) whose ``field`` lies in the period."""
    condition = Q(pk__in=[])
    for zone, ids in zones.items():
        start, end = period.bounds(ZoneInfo(zone))
        condition |= Q(**{f"{pa_field}__in": ids, f"{field}__gte": start, f"{field}__lt": end})
    return condition


def before(
    period: Period,
    zones: dict[str, list[int]],
    *,
    field: str = "observed_at",
    pa_field: str = "protected_area_id",
    edge: int = 0,
) -> Q:
    """Rows whose ``field`` lies before the period's start (``edge=0``) or end (``edge=1``)."""
    condition = Q(pk__in=[])
    for zone, ids in zones.items():
        moment = period.bounds(ZoneInfo(zone))[edge]
        condition |= Q(**{f"{pa_field}__in": ids, f"{field}__lt": moment})
    return condition


def _bad(message, code: str = "bad_period", field: str = "period") -> DomainError:
    return DomainError(message, code, field=field)


def parse_period(
    *,
    species,
    year: int | str | None = None,
    season: str | None = None,
    campaign: str | uuid.UUID | None = None,
    today: dt.date | None = None,
) -> Period:
    """The period asked for: exactly one of a year, a season (``2025-winter``) or a campaign
    of the species. A period that has not begun yet is refused."""
    given = [v for v in (year, season, campaign) if v not in (None, "")]
    if len(given) != 1:
        raise _bad(_("Choose one period: a year, a season or a census campaign."))
    today = today or timezone.now().date()
    if year not in (None, ""):
        try:
            number = int(str(year).strip())
        except ValueError:
            raise _bad(_("Give the year as a number, e.g. 2025.")) from None
        if not FIRST_YEAR <= number <= today.year:
            raise _bad(
                _("Give a year from %(first)s to %(last)s.")
                % {"first": FIRST_YEAR, "last": today.year}
            )
        return Period(YEAR, year=number)
    if season not in (None, ""):
        found = Season.parse(str(season).strip().lower())
        if found is None:
            raise _bad(
                _("Give the season as %(example)s (or %(names)s).")
                % {"example": "2025-winter", "names": ", ".join(SEASONS)}
            )
        if found.year < FIRST_YEAR or found.bounds(dt.UTC)[0].date() > today:
            raise _bad(_("This season has not begun yet."))
        return Period(SEASON, year=found.year, season=found.name)
    try:
        campaign_id = uuid.UUID(str(campaign).strip())
    except ValueError:
        campaign_id = None
    found = (
        CensusCampaign.objects.filter(pk=campaign_id).first() if campaign_id is not None else None
    )
    if found is None:
        raise DomainError(
            _("Unknown census campaign: %(value)s.") % {"value": campaign},
            "unknown_campaign",
            field="campaign",
        )
    if found.species_id != species.pk:
        raise DomainError(
            _("This census campaign counts another species."), "species_mismatch", field="campaign"
        )
    if found.starts_on > today:
        raise _bad(_("This census campaign has not begun yet."), field="campaign")
    return Period(CAMPAIGN, campaign=found)


def period_of(kind: str, key: str, campaign: CensusCampaign | None = None) -> Period:
    """The period of a stored summary (its ``period_kind``, ``period_key``, ``campaign``)."""
    if kind == YEAR:
        return Period(YEAR, year=int(key))
    if kind == SEASON:
        found = Season.parse(key)
        return Period(SEASON, year=found.year, season=found.name)
    return Period(CAMPAIGN, campaign=campaign)
