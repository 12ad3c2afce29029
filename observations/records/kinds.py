"""One description of each kind of record: its model, its feed kind and its fields.

Why: an observation's fields used to be listed a dozen times (the service's content,
the form, the API, the feed, the sync, the datasets...), and a field added to eleven of
them was silently missing from the twelfth. Each path now reads its fields from here,
and tests/observations/test_record_kinds.py checks every path against this file; a path
that leaves a field out says so here (``left_out``), with the reason.

A field says:

- ``name``: the model field; ``wire``: its name on the API and in the feed (the same
  unless said otherwise);
- ``convert``: how its stored value is written on the wire and read back (a time as UTC
  ISO 8601, a decimal as text, a reference as a code, a scientific name or a UUID);
- ``content``: it is what the filer said. The content is what a client writes (form,
  API, import) and what is compared to judge whether a re-sent record is the same one;
  the rest (status, provenance, times) is the node's own bookkeeping;
- ``disclosure``: a place or a free text whose shown value the disclosure policy
  decides for each reader (observations.disclosure): a path never writes it as stored
  but asks the policy, and ``RecordKind.to_wire`` refuses to run without the answer;
- ``received``: a non-content field that a record received from the partner keeps as
  the partner sent it (its status, its observer code).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.dateparse import parse_date, parse_datetime

from ..models import Individual, Media, Observation, Remark, SurveyEvent
from ..timefmt import utc_iso

# The paths a record takes. Writing paths carry the content only; reading paths carry
# every field of the kind, less those a field declares ``left_out`` of them.
FORM, API, FEED, SYNC, IMPORT, DATASET = "form", "api", "feed", "sync", "import", "dataset"
API_INPUT = "api input"  # what a client sends; API is what it is answered
WRITING = (FORM, API_INPUT, SYNC, IMPORT)

# What the disclosure policy decides (observations.disclosure.policy.Audience):
PLACE = "place"  # coordinates and their uncertainty: record_place / station_place
TEXT = "text"  # free text that may name a place or a person: Audience.text
LABEL = "label"  # a short label that may name a place: Audience.label
NAMES = "names"  # people's names: shown only where names may travel


@dataclass(frozen=True)
class Convert:
    """A value as it is on the wire (numbers, booleans, text, the codes of choices)."""

    def out(self, record, f: Field):
        return getattr(record, f.name)

    def into(self, value):
        return value


@dataclass(frozen=True)
class Time(Convert):
    """UTC ISO 8601 with a "Z" (observations.timefmt); read back as an aware time."""

    def out(self, record, f):
        return utc_iso(getattr(record, f.name))

    def into(self, value):
        if not value:
            return None
        parsed = parse_datetime(str(value))
        if parsed is None:
            raise ValueError(f"bad time {value!r}")
        return parsed


@dataclass(frozen=True)
class Day(Convert):
    def out(self, record, f):
        value = getattr(record, f.name)
        return value.isoformat() if isinstance(value, dt.date) else None

    def into(self, value):
        return parse_date(str(value)) if value else None


@dataclass(frozen=True)
class Number(Convert):
    """A decimal as its text, so that no float rounds an effort of 12.50 km."""

    def out(self, record, f):
        value = getattr(record, f.name)
        return None if value is None else str(value)

    def into(self, value):
        return None if value is None else Decimal(str(value))


@dataclass(frozen=True)
class ById(Convert):
    """A reference by the UUID of the record it points at (read without a query)."""

    def out(self, record, f):
        value = record.serializable_value(f.name)
        return None if value is None else str(value)


@dataclass(frozen=True)
class ByKey(Convert):
    """A reference by the referenced row's public key (a PA's code, a scientific name);
    the validation service resolves it back."""

    key: str = "code"

    def out(self, record, f):
        related = getattr(record, f.name)
        return None if related is None else getattr(related, self.key)


AS_IS, TIME, DAY, NUMBER, BY_ID = Convert(), Time(), Day(), Number(), ById()
BY_CODE, BY_NAME = ByKey("code"), ByKey("scientific_name")


@dataclass(frozen=True)
class Field:
    name: str
    convert: Convert = AS_IS
    content: bool = False
    wire: str = ""
    disclosure: str = ""
    received: bool = False
    dataset: str = ""  # its column in a dataset version's rows (exchange.datasets)
    left_out: dict[str, str] = field(default_factory=dict)  # path -> why it is not there

    def __post_init__(self):
        if not self.wire:
            object.__setattr__(self, "wire", self.name)
        if not self.dataset:
            object.__setattr__(self, "dataset", self.name)

    def on(self, path: str) -> bool:
        if path in self.left_out:
            return False
        return self.content or path not in WRITING

    def to_wire(self, record):
        return self.convert.out(record, self)


def content(name, convert=AS_IS, **kw) -> Field:
    return Field(name, convert, content=True, **kw)


@dataclass(frozen=True)
class RecordKind:
    """One kind of record. ``inputs``: what a client may say along with the content
    without it being stored (the datum of the coordinates, which the validation converts
    to WGS 84). ``derived``: wire keys a path computes that are no model field."""

    model: type
    feed_kind: str
    fields: tuple[Field, ...]
    paths: tuple[str, ...]
    inputs: tuple[str, ...] = ()
    derived: tuple[str, ...] = ()

    def __getitem__(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def on(self, path: str) -> list[Field]:
        return [f for f in self.fields if f.on(path)]

    @property
    def content(self) -> list[str]:
        """The content's model names: what is written, and compared (same_content)."""
        return [f.name for f in self.fields if f.content]

    @property
    def received(self) -> list[str]:
        """What the update of a received record rewrites: its content, status, provenance."""
        return [f.name for f in self.fields if f.content or f.received]

    def input_names(self) -> list[str]:
        return [*self.content, *self.inputs]

    def wire_names(self, path: str, after: dict[str, str] | None = None) -> list[str]:
        """The wire keys of ``path`` in order; ``after``: a derived key -> the key it follows."""
        after = after or {}
        names = []
        for f in self.on(path):
            names.append(f.wire)
            names += [key for key, anchor in after.items() if anchor == f.wire]
        return names

    def to_wire(self, record, path: str, *, shown: dict, after: dict | None = None) -> dict:
        """The record's values on ``path``, by wire name, in the description's order.

        ``shown``: what the disclosure policy shows this reader of each place and free
        text (and any other value the path writes its own way). A field the policy must
        decide and ``shown`` lacks is an error: a new place or free text is never sent
        as stored by oversight. ``after``: derived values, each after the key it follows.
        """
        after = after or {}
        out = {}
        for f in self.on(path):
            if f.wire in shown:
                out[f.wire] = shown[f.wire]
            elif f.disclosure:
                raise KeyError(f"{self.feed_kind}.{f.name}: ask the disclosure policy")
            else:
                out[f.wire] = f.to_wire(record)
            for key, (anchor, value) in after.items():
                if anchor == f.wire:
                    out[key] = value
        return out

    def from_wire(self, data: dict, names) -> dict:
        """Wire values of the fields ``names``, read back by their converters."""
        return {name: self[name].convert.into(data.get(self[name].wire)) for name in names}


def _comparable(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, float):
        return round(value, 7)
    return value


def _numbers_equal(a, b) -> bool:
    try:
        return a is not None and b is not None and float(a) == float(b)
    except (TypeError, ValueError):
        return False


def same_content(kind: RecordKind | str, record, values: dict) -> bool:
    """Does a re-sent record say what the stored one says? Compared on the kind's content,
    only the fields ``values`` holds (cleaned values by model name: a reference as its
    row or its key, coordinates to 7 decimals, 12.5 equal to Decimal("12.50"))."""
    kind = KINDS[kind] if isinstance(kind, str) else kind
    for name in kind.content:
        if name not in values:
            continue
        stored = getattr(record, record._meta.get_field(name).attname)
        wanted = _comparable(values[name])
        if _comparable(stored) != wanted and not _numbers_equal(stored, wanted):
            return False
    return True


_HOME = "stays on its node"
_ROW_KEY = "the feed item carries it (its id) or the receiver sets it (the origin node)"

OBSERVATION = RecordKind(
    model=Observation,
    feed_kind="observation",
    paths=(FORM, API_INPUT, API, FEED, SYNC, IMPORT, DATASET),
    inputs=("datum",),
    derived=("location_precision", "notes_redacted", "can_edit", "observer_name", "licence"),
    fields=(
        Field("id", BY_ID, dataset="record_id", left_out={FEED: _ROW_KEY}),
        Field("origin_node", left_out={FEED: _ROW_KEY}),
        content("protected_area", BY_CODE, dataset="protected_area_code"),
        content("species", BY_NAME, dataset="scientific_name"),
        content("event", BY_ID, dataset="event_id"),
        content("observed_at", TIME),
        content("latitude", disclosure=PLACE),
        content("longitude", disclosure=PLACE),
        content("coordinate_uncertainty_m", disclosure=PLACE),
        content("count"),
        content("count_min"),
        content("count_max"),
        content("unit"),
        content("sex"),
        content("age_class"),
        content("evidence"),
        content("individual", BY_ID, dataset="individual_id"),
        content("notes", disclosure=TEXT),
        Field("status", received=True),
        Field(
            "rejection_reason",
            left_out={FEED: "a note from the reviewer to the filer " + _HOME, DATASET: _HOME},
        ),
        Field(
            "reviewed_at",
            TIME,
            left_out={FEED: "who reviewed when " + _HOME, DATASET: "who reviewed when " + _HOME},
        ),
        Field("observer_code", received=True),
        Field(
            "source",
            left_out={FEED: "the receiver records 'sync'", DATASET: "how it was filed " + _HOME},
        ),
        Field(
            "created_at",
            TIME,
            left_out={FEED: "the receiver keeps its own", DATASET: "a row's time is its version's"},
        ),
        Field("updated_at", TIME, left_out={DATASET: "a row's time is its version's"}),
    ),
)

EVENT = RecordKind(
    model=SurveyEvent,
    feed_kind="event",
    paths=(API_INPUT, API, FEED, SYNC),
    inputs=("datum",),
    derived=("location_precision", "notes_redacted", "licence"),
    fields=(
        Field("id", BY_ID, left_out={FEED: _ROW_KEY}),
        Field("origin_node", left_out={FEED: _ROW_KEY}),
        content("protected_area", BY_CODE),
        content("kind"),
        content("started_at", TIME),
        content("ended_at", TIME),
        content("latitude", disclosure=PLACE),
        content("longitude", disclosure=PLACE),
        content("effort_km", NUMBER),
        content("effort_trap_nights", NUMBER),
        content("effort_hours", NUMBER),
        content("team", disclosure=NAMES),
        content("joint_team"),
        content("protocol", disclosure=LABEL),
        content("notes", disclosure=TEXT),
        Field("status", received=True),
        Field("created_at", TIME, left_out={FEED: "the receiver keeps its own"}),
        Field("updated_at", TIME),
    ),
)

# The kinds only the feed carries (their own services and pages write them): described so
# that the feed and the sync read one list each.
INDIVIDUAL = RecordKind(
    model=Individual,
    feed_kind="individual",
    paths=(FEED, SYNC),
    derived=("codes",),
    fields=(
        content("species", BY_NAME),
        content("sex"),
        content("label"),
        content("first_seen", DAY),
        content("notes", disclosure=TEXT),
        Field("updated_at", TIME),
    ),
)

REMARK = RecordKind(
    model=Remark,
    feed_kind="remark",
    paths=(FEED, SYNC),
    derived=("dataset",),  # dataset_uuid, _title and _version as one object
    fields=(
        content("subject_id", wire="subject"),
        content("parent", BY_ID),
        content("kind"),
        content("reason"),
        content("text", disclosure=TEXT),
        content("closes"),
        Field("author_code", received=True),
        Field("author_role", received=True),
        Field("created_at", TIME),
    ),
)

MEDIA = RecordKind(
    model=Media,
    feed_kind="media",
    paths=(FEED, SYNC),
    # The agreement's media level, its variants, the records it shows, the licence.
    derived=("level", "variants", "observations", "licence"),
    fields=(
        content("sha256"),
        content("deployment", BY_ID, wire="event"),
        content("station", disclosure=LABEL),  # the deployment's; a label of a place
        content("content_type"),
        content("taken_at", TIME),
        content("width"),
        content("height"),
        content("capture_method"),
        Field("updated_at", TIME),
    ),
)

KINDS = {k.feed_kind: k for k in (OBSERVATION, EVENT, INDIVIDUAL, REMARK, MEDIA)}
