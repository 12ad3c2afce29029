"""The scope of a summary: one protected area, one country, or joint (every PA of the
basin, both sides of the border).

A joint summary counts the records received from the partner node as well as this node's
own: every record is one row under the UUID it was given at its source, and a node holds
only its own country's records and the partner's (a partner never sends another country's
records, README "The exchange protocol"), so no record is counted twice. What may be the
same animal twice (an individual catalogued on both sides, a flock counted from both
banks) is resolved by the individual matches and by the census reconciliation.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from observations.errors import DomainError
from observations.models import Country, ProtectedArea

PA, COUNTRY, JOINT = "pa", "country", "joint"


@dataclass(frozen=True)
class Scope:
    kind: str
    country: str = ""
    pa: ProtectedArea | None = None

    def protected_areas(self):
        """The PAs whose records the summary reads (planned ones included: they report
        nothing, and a PA may be added to the seeds later)."""
        qs = ProtectedArea.objects.all()
        if self.kind == PA:
            return qs.filter(pk=self.pa.pk)
        if self.kind == COUNTRY:
            return qs.filter(country=self.country)
        return qs

    def zones(self, pas: list[dict] | None = None) -> dict[str, list[int]]:
        """Time zone -> ids of the PAs in scope (from ``pas`` rows, or one query)."""
        if pas is None:
            pas = list(self.protected_areas().values("id", "time_zone"))
        zones: dict[str, list[int]] = {}
        for row in pas:
            zones.setdefault(row["time_zone"], []).append(row["id"])
        return zones

    def contains(self, pa_row: dict) -> bool:
        """Is this PA (a dict with ``id`` and ``country``) in scope?"""
        if self.kind == PA:
            return pa_row["id"] == self.pa.pk
        if self.kind == COUNTRY:
            return pa_row["country"] == self.country
        return True

    def as_json(self) -> dict:
        data = {"kind": self.kind, "country": self.country, "pa": None}
        if self.pa is not None:
            data["pa"] = {
                "code": self.pa.code,
                "country": self.pa.country,
                "name_en": self.pa.name_en,
                "name_ru": self.pa.name_ru,
                "name_zh": self.pa.name_zh,
            }
        return data


def parse_scope(
    *, scope: str | None, country: str | None = None, protected_area: str | None = None
) -> Scope:
    """``joint`` (nothing else given), ``country`` with a country code, or ``pa`` with a
    PA code. Anything else is refused with ``bad_scope``, ``scope_mismatch``,
    ``unknown_country`` or ``unknown_protected_area``."""
    kind = (scope or "").strip().lower()
    country = (country or "").strip().upper()
    code = (protected_area or "").strip().upper()
    if kind not in (PA, COUNTRY, JOINT):
        raise DomainError(
            _("Choose the scope: %(choices)s.") % {"choices": "pa, country, joint"},
            "bad_scope",
            field="scope",
        )
    if kind == JOINT:
        if country or code:
            raise DomainError(
                _("A joint summary covers both sides: give no country or protected area."),
                "scope_mismatch",
                field="scope",
            )
        return Scope(JOINT)
    if kind == COUNTRY:
        if code:
            raise DomainError(
                _("A country summary takes a country, not a protected area."),
                "scope_mismatch",
                field="protected_area",
            )
        if country not in Country.values:
            raise DomainError(
                _("Unknown country: %(value)s.") % {"value": country or "—"},
                "unknown_country",
                field="country",
            )
        return Scope(COUNTRY, country=country)
    if country:
        raise DomainError(
            _("A protected area summary takes a protected area, not a country."),
            "scope_mismatch",
            field="country",
        )
    pa = ProtectedArea.objects.filter(code=code).first() if code else None
    if pa is None:
        raise DomainError(
            _("Unknown protected area: %(value)s.") % {"value": code or "—"},
            "unknown_protected_area",
            field="protected_area",
        )
    return Scope(PA, pa=pa)
