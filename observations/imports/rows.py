"""From a row of cells to a checked record with its deterministic id.

The cells are converted (observations.imports.columns) and handed to the one validation
service, ``clean_observation``, with references preloaded once per import so that no row
costs a query. Every problem of a row comes back as ``{row, column, field, code, message}``
with the column named as in the file.

Ids make a re-upload harmless: a row's id is its ``id``/``occurrenceID`` when that is a
UUID, else uuid5 of (PA code, occurrenceID), else uuid5 of the row's checked content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from ..access import Access
from ..models import Observation, SurveyEvent
from ..records import kinds
from ..validation import Problem, RecordInvalid, Reference, clean_observation, problem
from . import columns as cols
from .columns import CellError
from .headers import TIME, column_label, header_map, normalise
from .parsing import FormulaCell, ImportRefused

# Ids of imported rows are uuid5 in this namespace (never change it: re-uploads rely on it).
ID_NAMESPACE = uuid.UUID("6f1d3c52-6c1e-5a53-9d0e-6a4b5d0e2a11")
_NAMESPACE_BYTES = ID_NAMESPACE.bytes


def uuid5(name: str) -> uuid.UUID:
    """uuid.uuid5(ID_NAMESPACE, name), without recomputing the namespace's bytes each time."""
    digest = hashlib.sha1(_NAMESPACE_BYTES + name.encode(), usedforsecurity=False).digest()
    return uuid.UUID(bytes=digest[:16], version=5)


REQUIRED_COLUMNS = ("species", "observed_at")
_REFERENCES = ("species", "protected_area", "individual")

_FORMULA = _("Formulas are not accepted: enter the value itself.")


class ImportReference(Reference):
    """References preloaded in full: a name or code not found is unknown, never a query.

    (Survey events are the exception: those a file names are fetched before its rows are
    read, see ``prefetch_events``.)
    """

    def species(self, key):
        if not isinstance(key, str):
            return super().species(key)
        norm = key.strip().lower()
        if norm.isdigit():
            if not norm.isascii():
                return None  # "²" is a digit to Python, but no species' id
            norm = int(norm)
        return self.species_by_key.get(norm)

    def protected_area(self, key):
        if isinstance(key, str):
            self.pas_by_key.setdefault(key.strip().upper(), None)
        return super().protected_area(key)

    def individual(self, key):
        if isinstance(key, str):
            norm = key.strip().upper()
            if norm not in self.individuals_by_key:
                # preloaded() keeps UUIDs as str(uuid), in lower case
                try:
                    found = self.individuals_by_key.get(str(uuid.UUID(norm)))
                except ValueError:
                    found = None
                self.individuals_by_key[norm] = found
        return super().individual(key)

    def prefetch_events(self, keys: set[str]) -> None:
        """The survey events the file names: one query per 1,000."""
        wanted = {}
        for key in keys:
            norm = key.strip()
            if norm in self.events_by_key:
                continue
            try:
                wanted[uuid.UUID(norm)] = norm
            except ValueError:
                self.events_by_key[norm] = None
        ids = list(wanted)
        found = {}
        for start in range(0, len(ids), 1000):
            for event in SurveyEvent.objects.filter(pk__in=ids[start : start + 1000]):
                found[event.pk] = event
        for pk, norm in wanted.items():
            self.events_by_key[norm] = found.get(pk)


@dataclass
class Plan:
    """Which column of the file feeds which field."""

    columns: list[tuple[int, str]]  # (index in the row, field)
    header_of: dict[str, str]  # field -> the header as written in the file
    ignored: list[str] = field(default_factory=list)

    def column(self, name: str) -> str:
        if name == "observed_at" and name not in self.header_of and TIME in self.header_of:
            return self.header_of[TIME]
        return self.header_of.get(name) or column_label(name)


def plan_columns(headers: list[str]) -> Plan:
    known = header_map()
    columns, header_of, ignored = [], {}, []
    for index, header in enumerate(headers):
        name = known.get(normalise(header)) if header else None
        if name is None:
            if header:
                ignored.append(header)
            continue
        if name in header_of:
            raise ImportRefused(
                _("The columns “%(first)s” and “%(second)s” mean the same thing; keep one.")
                % {"first": header_of[name], "second": header},
                "duplicate_column",
            )
        header_of[name] = header
        columns.append((index, name))
    if not columns:
        raise ImportRefused(
            _(
                "No column of the file is recognised. Use the headers of the template "
                "(species, observed_at, latitude, ...) or Darwin Core terms "
                "(scientificName, eventDate, ...)."
            ),
            "no_known_columns",
        )
    for name in REQUIRED_COLUMNS:
        if name not in header_of:
            raise ImportRefused(
                _("The file has no column “%(column)s”.") % {"column": column_label(name)},
                "missing_column",
            )
    return Plan(columns=columns, header_of=header_of, ignored=ignored)


def _text(value, name):
    text = value if value.__class__ is str else cols.to_text(value)
    if len(text) > cols.TEXT_MAX[name]:
        raise CellError("too_long", _("The text is too long."))
    return text


def _notes(value, name):
    text = value if value.__class__ is str else cols.to_text(value)
    if len(text) > cols.NOTES_MAX:
        raise CellError(
            "too_long", _("Notes may have at most %(max)s characters.") % {"max": cols.NOTES_MAX}
        )
    return text


def _uncertainty(value, name):
    number = cols.to_int(value, name)
    if number < 0:
        raise CellError("negative", _("The uncertainty cannot be negative."))
    return number


def _when(value, name):
    """A date and time; years far out of range are refused here with the validation service's
    own problems (converting them to UTC would overflow)."""
    stamp = cols.to_datetime(value)
    if stamp.year < 1900:
        found = problem("too_early")
        raise CellError(found.code, found.message)
    if stamp.year > 2200:
        found = problem("in_future")
        raise CellError(found.code, found.message)
    return stamp


CONVERTERS = {
    "id": _text,
    "protected_area": _text,
    "species": _text,
    "observed_at": _when,
    TIME: lambda value, name: cols.to_time(value),
    "latitude": cols.to_float,
    "longitude": cols.to_float,
    "datum": lambda value, name: cols.datum_value(cols.to_text(value)),
    "coordinate_uncertainty_m": _uncertainty,
    "count": cols.to_int,
    "count_min": cols.to_int,
    "count_max": cols.to_int,
    "unit": cols.to_choice,
    "evidence": cols.to_choice,
    "sex": cols.to_choice,
    "age_class": cols.to_choice,
    "individual": _text,
    "event": _text,
    "notes": _notes,
}

DEFAULTS = {
    "coordinate_uncertainty_m": None,
    "count_min": None,
    "count_max": None,
    "sex": Observation._meta.get_field("sex").default,
    "age_class": Observation._meta.get_field("age_class").default,
    "notes": "",
}


@dataclass(slots=True)
class Row:
    number: int
    id: uuid.UUID | None = None
    cleaned: dict | None = None
    key: tuple | None = None  # the content, comparable with a stored record's
    errors: list[dict] = field(default_factory=list)
    outcome: str = ""  # "created" or "unchanged" once settled
    values: tuple | None = None  # the record in the table's form, once made (imports.writing)


def content_key(cleaned: dict) -> tuple:
    """What a row says, as comparable values: two rows of one file with the same id are
    compared by it (a stored record is compared by the records service's ``same_content``)."""
    return kinds.content_key(kinds.OBSERVATION, cleaned)


class RowReader:
    """Reads, converts, checks and identifies the rows of one file."""

    def __init__(
        self,
        plan: Plan,
        *,
        access: Access,
        ref: ImportReference,
        now: dt.datetime,
        default_pa: str = "",
    ):
        self.plan = plan
        self.access = access
        self.ref = ref
        self.now = now
        self.steps = [(index, name, CONVERTERS[name]) for index, name in plan.columns]
        self.event_index = next((i for i, name in plan.columns if name == "event"), None)
        self.resolved: dict[tuple[str, str], object] = {}
        self.defaults = dict(DEFAULTS)
        if default_pa:
            self.defaults["protected_area"] = self._resolve("protected_area", default_pa)

    def prefetch(self, rows) -> None:
        """Survey events named in the file, fetched before the rows are read."""
        if self.event_index is None:
            return
        keys = set()
        for _number, cells in rows:
            if self.event_index < len(cells):
                value = cells[self.event_index]
                if isinstance(value, str) and value.strip():
                    keys.add(value)
        self.ref.prefetch_events(keys)

    def _resolve(self, name: str, key: str):
        """A species, PA or individual named in a cell, as the object when it is known (the
        validation service then looks nothing up), else the key as written (it names it)."""
        found = self.resolved.get((name, key))
        if found is None:
            ref = self.ref
            if name == "species":
                found = ref.species(key)
            elif name == "protected_area":
                found = ref.protected_area(key)
            else:
                found = ref.individual(key)
            found = key if found is None else found
            if len(self.resolved) < 10_000:
                self.resolved[(name, key)] = found
        return found

    def read(self, number: int, cells: list) -> Row:
        row = Row(number)
        values = dict(self.defaults)
        problems: dict[str, list[Problem]] = {}
        width = len(cells)
        for index, name, convert in self.steps:
            if index >= width:
                continue
            raw = cells[index]
            if raw is None:
                continue
            if raw.__class__ is str:
                raw = raw.strip()
                if not raw:
                    continue
                if raw[0] in "=@+-" and cols.is_formula(raw):
                    problems[name] = [Problem("formula", _FORMULA)]
                    continue
            elif raw.__class__ is FormulaCell:
                problems[name] = [Problem("formula", _FORMULA)]
                continue
            try:
                values[name] = convert(raw, name)
            except CellError as exc:
                problems[name] = [Problem(exc.code, exc.message)]
                values.pop(name, None)

        for name in _REFERENCES:
            key = values.get(name)
            if key.__class__ is str:
                values[name] = self._resolve(name, key)
        when = values.pop(TIME, None)
        if when is not None and isinstance(values.get("observed_at"), dt.datetime):
            stamp = values["observed_at"]
            if stamp.time() == dt.time():
                values["observed_at"] = dt.datetime.combine(stamp.date(), when, stamp.tzinfo)
        given_id = values.pop("id", None)

        cleaned = None
        try:
            cleaned = clean_observation(values, access=self.access, ref=self.ref, now=self.now)
        except RecordInvalid as exc:
            for name, found in exc.errors.items():
                if name not in problems:
                    problems[name] = found
        if problems:
            row.errors = [
                {
                    "row": number,
                    "column": self.plan.column(name),
                    "field": name,
                    "code": p.code,
                    "message": str(p.message),
                }
                for name, found in problems.items()
                for p in found
            ]
            return row

        row.cleaned = cleaned
        row.key = content_key(cleaned)
        row.id = self.identify(given_id, cleaned)
        return row

    def identify(self, given: str | None, cleaned: dict) -> uuid.UUID:
        if given:
            if len(given) >= 32:
                try:
                    return uuid.UUID(given)
                except ValueError:
                    pass
            return uuid5(f"{cleaned['protected_area'].code}\x1f{given}")
        lat, lon = cleaned["latitude"], cleaned["longitude"]
        event, individual = cleaned["event"], cleaned["individual"]
        parts = (
            cleaned["protected_area"].code,
            cleaned["species"].scientific_name,
            event.pk if event is not None else "",
            cleaned["observed_at"].isoformat(),
            "" if lat is None else repr(round(lat, 7)),
            "" if lon is None else repr(round(lon, 7)),
            cleaned["coordinate_uncertainty_m"],
            cleaned["count"],
            cleaned["count_min"],
            cleaned["count_max"],
            cleaned["unit"],
            cleaned["sex"],
            cleaned["age_class"],
            cleaned["evidence"],
            individual.pk if individual is not None else "",
            cleaned["notes"],
        )
        return uuid5("\x1f".join("" if p is None else str(p) for p in parts))
