"""The disclosure policy: what each audience may see of a record, a station, a photo or text.

Exact places of tigers, leopards and nesting birds are poaching intelligence. Every path
that lets data out of a node (API lists, details and filters, pages, maps, history,
remarks, exports, shared datasets, Camtrap DP, summaries, the change feed, photo
fetches) asks an ``Audience`` and shows what it answers. No other module decides a
precision; observations.disclosure.grid only snaps a point to the precision decided here.

The three audiences:

- ``UserAudience``: a person logged in on this node. Places are exact in the PAs they
  oversee (their own PAs; their country's as its coordinator; every PA as admin) and
  generalised elsewhere as the species' sensitivity says (``Species.sensitivity``).
- ``PartnerAudience``: another node, under the version of the agreement that this node
  keeps with it: the precision agreed per species, the free-text rule, whether observer
  names travel, the media level.
- ``PublicAudience``: anyone, through a file made for publication (GBIF, a workshop):
  every species at its sensitivity, whoever asked for the file.

A camera station or a route (a survey event) has no species of its own but is where a
tiger may walk: it is shown at the coarsest precision the audience has for any species,
never finer than 10 km outside the PAs the audience oversees.

Free text follows the place: shown as typed beside an exact place (people's names taken
out when it leaves the node and names do not travel), redacted beside a generalised
place (coordinates and names, observations.disclosure.text), or withheld (a partner's
agreement may say so; a publication always does). The database writes the files of
exports and datasets: there the SQL twins (``*_sql``) give the same precision bit for bit
and, for text, withhold where Python would redact (a regular expression pass is Python's).

Times are shown exactly to every audience (embargoes delay what a partner receives;
nothing coarsens a time), so no time filter can be an oracle.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from django.db.models import Case, CharField, F, Q, Value, When
from django.db.models.lookups import Exact

from . import text as free_text
from .grid import (
    EXACT,
    KM10,
    ORDER,
    Place,
    coarser,
    coarsest,
    generalise,
    generalised_expressions,
)

# What happens to a piece of free text.
SHOW = "show"  # as typed
NAMES = "names"  # people's names taken out
REDACT = "redact"  # coordinates and names taken out
WITHHOLD = "withhold"  # not shown at all

STATION_FLOOR = KM10


@dataclass(frozen=True)
class Text:
    """A piece of free text as the audience sees it."""

    value: str
    redacted: bool = False  # something was taken out (shown with free_text.MARK)
    withheld: bool = False  # there was text, none is shown

    @property
    def kept_back(self) -> bool:
        """Something of the text as typed is not shown (``notes_redacted`` on the wire)."""
        return self.redacted or self.withheld


RULES_KEEP_S = 60
_rules: dict = {"at": -RULES_KEEP_S, "sensitivities": frozenset()}


def forget_rules(**_kwargs) -> None:
    """Read the species' sensitivities again on next use (one was saved here)."""
    _rules["at"] = -RULES_KEEP_S


def _sensitivities() -> frozenset:
    """The sensitivities the species have: one query, kept for a minute per process (and
    read again at once when a species changes here), so that a list of stations or
    census counts does not cost a query per row."""
    now = time.monotonic()
    if now - _rules["at"] >= RULES_KEEP_S:
        from observations.models import Species

        values = Species.objects.values_list("sensitivity", flat=True).distinct()
        _rules["sensitivities"], _rules["at"] = frozenset(values), now
    return _rules["sensitivities"]


class Audience:
    """What one audience may see. Subclasses answer ``record_precision``; the rest follows."""

    leaves_node = True  # text and photos go to people who are not this node's users

    # --- places -------------------------------------------------------------------
    def record_precision(self, protected_area, species) -> str:
        raise NotImplementedError

    def record_precision_sql(self):
        """``record_precision`` per row of an Observation query (an expression)."""
        raise NotImplementedError

    def station_precision(self, protected_area) -> str:
        raise NotImplementedError

    def station_precision_sql(self, pa_field: str = "protected_area"):
        """``station_precision`` per row of a query whose ``pa_field`` is the PA."""
        raise NotImplementedError

    def coarsest_record_precision(self, protected_area, species_list) -> str:
        """The coarsest precision of a record that was, in its versions, each of
        ``species_list`` (its history must not show an old version finer)."""
        return coarsest(self.record_precision(protected_area, sp) for sp in species_list)

    def record_place(self, record) -> Place:
        """An observation's place (its species and PA loaded)."""
        pa = record.protected_area
        return generalise(
            record.latitude,
            record.longitude,
            precision=self.record_precision(pa, record.species),
            uncertainty_m=record.coordinate_uncertainty_m,
            pa_centroid=(pa.centroid_lat, pa.centroid_lon),
        )

    def station_place(self, event) -> Place:
        """A survey event's or camera station's place (its PA loaded)."""
        pa = event.protected_area
        return generalise(
            event.latitude,
            event.longitude,
            precision=self.station_precision(pa),
            pa_centroid=(pa.centroid_lat, pa.centroid_lon),
        )

    def record_place_sql(self, **fields):
        """(latitude, longitude, uncertainty, precision) expressions of Observation rows."""
        precision = self.record_precision_sql()
        return (*generalised_expressions(precision, **fields), precision)

    def station_place_sql(self, pa_field: str = "protected_area", **fields):
        precision = self.station_precision_sql(pa_field)
        fields.setdefault("uncertainty", None)
        fields.setdefault("pa_latitude", f"{pa_field}__centroid_lat")
        fields.setdefault("pa_longitude", f"{pa_field}__centroid_lon")
        return (*generalised_expressions(precision, **fields), precision)

    def sees_exactly(self, protected_area) -> bool:
        """Everything of the PA as it is: places, station details, camera serials, EXIF."""
        return False

    def sees_exactly_sql(self, pa_field: str) -> Q | None:
        """``sees_exactly`` on a query's ``pa_field``: None for no PA, Q() for every PA."""
        return None

    # --- free text --------------------------------------------------------------------
    def text_rule(self, precision: str) -> str:
        raise NotImplementedError

    def text(self, value: str | None, precision: str) -> Text:
        """A note, a remark, a station's name, shown beside a place at ``precision``."""
        value = value or ""
        rule = self.text_rule(precision)
        if not value or rule == SHOW:
            return Text(value)
        if rule == WITHHOLD:
            return Text("", withheld=True)
        done = _redaction(rule)(value)
        return Text(done.text, redacted=done.redacted)

    def text_sql(self, text_field: str, precision):
        """``text`` as a database expression, over rows whose place has ``precision`` (an
        expression or a string). Stricter than Python in one case: where Python redacts,
        the database withholds."""
        if isinstance(precision, str):
            precision = Value(precision)
        shown = {
            SHOW: F(text_field),
            NAMES: free_text.names_expression(text_field),
            REDACT: Value(""),
            WITHHOLD: Value(""),
        }
        cases = [
            When(Exact(precision, value), then=shown[self.text_rule(value)]) for value in ORDER
        ]
        return Case(*cases, default=Value(""), output_field=CharField())

    def label(self, value: str | None, precision: str) -> str:
        """A short name that identifies a thing (a camera station, a route): never withheld,
        since the rows that point at it need it, but redacted where text would be."""
        rule = self.text_rule(precision)
        if not value or rule == SHOW:
            return value or ""
        return _redaction(rule)(value).text

    # --- people ---------------------------------------------------------------------
    @property
    def shows_observer_names(self) -> bool:
        """Observer names and team lists (else the pseudonymous observer code only)."""
        return not self.leaves_node


def _redaction(rule: str):
    """The pass that a NAMES or a REDACT (or, for a label, WITHHOLD) rule makes over text."""
    return free_text.replace_names if rule == NAMES else free_text.redact


@dataclass(frozen=True)
class UserAudience(Audience):
    """A person logged in on this node, through their ``Access`` (observations.access)."""

    access: object = None
    leaves_node = False

    def sees_exactly(self, protected_area) -> bool:
        return self.access.oversees(protected_area)

    def sees_exactly_sql(self, pa_field: str) -> Q | None:
        return self.access.overseen_filter(pa_field) or Q()

    def record_precision(self, protected_area, species) -> str:
        return EXACT if self.sees_exactly(protected_area) else species.sensitivity

    def record_precision_sql(self):
        overseen = self.access.overseen_filter()
        if overseen is None:
            return Value(EXACT, output_field=CharField())
        return Case(
            When(overseen, then=Value(EXACT)),
            default=F("species__sensitivity"),
            output_field=CharField(),
        )

    def station_precision(self, protected_area) -> str:
        return EXACT if self.sees_exactly(protected_area) else _coarsest_station_rule()

    def station_precision_sql(self, pa_field: str = "protected_area"):
        overseen = self.access.overseen_filter(pa_field)
        if overseen is None:
            return Value(EXACT, output_field=CharField())
        return Case(
            When(overseen, then=Value(EXACT)),
            default=Value(_coarsest_station_rule()),
            output_field=CharField(),
        )

    def text_rule(self, precision: str) -> str:
        return SHOW if precision == EXACT else REDACT


@dataclass(frozen=True)
class PartnerAudience(Audience):
    """Another node under one version of this node's agreement with it.

    ``precision``: species id -> the agreed precision (the species' sensitivity where the
    agreement names none); species outside it are not sent at all. ``free_text``:
    ``withhold`` (the default: text beside a generalised place stays home) or ``redact``
    (sent after the redaction pass). Text beside an exact place travels, without names
    unless ``share_names``.
    """

    precision: dict = field(default_factory=dict)
    free_text: str = WITHHOLD
    share_names: bool = False

    @classmethod
    def under(cls, *, species, agreed: dict, free_text: str, share_names: bool):
        """The audience of an agreement: ``species`` it covers, ``agreed`` precision by
        scientific name (each species' own sensitivity where the agreement names none)."""
        return cls(
            precision={sp.pk: agreed.get(sp.scientific_name, sp.sensitivity) for sp in species},
            free_text=free_text,
            share_names=share_names,
        )

    def record_precision(self, protected_area, species) -> str:
        return self.precision_of(getattr(species, "pk", species))

    def precision_of(self, species_id) -> str:
        # A species the agreement does not cover is never sent; should one slip through,
        # it is shown as coarsely as anything agreed.
        return self.precision.get(species_id, self._coarsest)

    @property
    def _coarsest(self) -> str:
        return coarsest(self.precision.values(), floor=KM10)

    def record_precision_sql(self):
        cases = [When(species_id=pk, then=Value(v)) for pk, v in sorted(self.precision.items())]
        return Case(*cases, default=Value(self._coarsest), output_field=CharField())

    def station_precision(self, protected_area) -> str:
        """The coarsest precision agreed for any species (a station has no species)."""
        return coarsest(self.precision.values())

    def station_precision_sql(self, pa_field: str = "protected_area"):
        return Value(self.station_precision(None), output_field=CharField())

    def text_rule(self, precision: str) -> str:
        if precision == EXACT:
            return SHOW if self.share_names else NAMES
        return REDACT if self.free_text == REDACT else WITHHOLD

    def text(self, value: str | None, precision: str) -> Text:
        """As for any audience, but a withheld note leaves its mark: the partner's people
        see that the record had notes that stayed home, and can ask for them."""
        shown = super().text(value, precision)
        return Text(free_text.MARK, withheld=True) if shown.withheld else shown

    @property
    def shows_observer_names(self) -> bool:
        return self.share_names


@dataclass(frozen=True)
class PublicAudience(Audience):
    """Anyone, through a file made for publication: each species at its sensitivity, or at
    ``floor`` where that is coarser (a shared dataset's own precision)."""

    floor: str = EXACT

    def record_precision(self, protected_area, species) -> str:
        return coarser(self.floor, species.sensitivity)

    def record_precision_sql(self):
        if self.floor == EXACT:
            return F("species__sensitivity")
        finer = list(ORDER[: ORDER.index(self.floor)])
        return Case(
            When(species__sensitivity__in=finer, then=Value(self.floor)),
            default=F("species__sensitivity"),
            output_field=CharField(),
        )

    def station_precision(self, protected_area) -> str:
        return coarser(self.floor, _coarsest_station_rule())

    def station_precision_sql(self, pa_field: str = "protected_area"):
        return Value(self.station_precision(None), output_field=CharField())

    def text_rule(self, precision: str) -> str:
        return NAMES if precision == EXACT else WITHHOLD


PUBLIC = PublicAudience()


def for_user(access) -> UserAudience:
    return UserAudience(access=access)


def _coarsest_station_rule() -> str:
    """The station rule outside the PAs one oversees: the coarsest species sensitivity,
    at least 10 km."""
    return coarsest(_sensitivities(), floor=STATION_FLOOR)


# --- photos --------------------------------------------------------------------------


def photo_shown(audience: Audience, media) -> bool:
    """A photo showing people (a person said so, or it was classified human or vehicle:
    observations.camera.people) stays inside its PA until a coordinator releases it
    (``Media.withheld``); every other photo may be shown to those who may read its
    station. The stripped copy (observations.camera.outgoing) is what leaves."""
    return audience.sees_exactly(media.deployment.event.protected_area) or not media.withheld


def photo_shown_sql(audience: Audience, prefix: str = "") -> Q:
    """``photo_shown`` as a condition on photos (``prefix``: the path to a Media): its twin."""
    from observations.models import Media

    shown = ~Media.withheld_q(prefix)
    exact = audience.sees_exactly_sql(f"{prefix}deployment__event__protected_area")
    return shown if exact is None else (shown | exact if exact else Q())  # Q(): every PA


def photo_original(audience: Audience, media) -> bool:
    """The photo as received (EXIF GPS, camera serial and all): only those who oversee its
    PA."""
    return audience.sees_exactly(media.deployment.event.protected_area)


def remark_text(audience: Audience, text: str, record) -> Text:
    """A comment, flag or answer about ``record``: shown as the record's notes are (a remark
    may name the place it is about, or the person who made it)."""
    if record is None:
        return audience.text(text, EXACT)
    return audience.text(text, audience.record_precision(record.protected_area, record.species))
