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
  the partner sent it (its status, its observer code);
- ``column`` and ``label``: its key and header in the exports (CSV, XLSX, GeoJSON);
  ``dwc``: the Darwin Core term(s) a Darwin Core Archive writes it as. The exports place
  the columns in the order their files have always had, and add their own (a name in the
  reader's language, a constant, a term computed from several fields).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from ..models import Individual, Media, Observation, Remark, SurveyEvent
from .converters import AS_IS, BY_CODE, BY_ID, BY_NAME, DAY, NUMBER, TIME, Convert

# The paths a record takes. Writing paths carry the content only; reading paths carry
# every field of the kind, less those a field declares ``left_out`` of them.
FORM, API, FEED, SYNC, IMPORT, DATASET = "form", "api", "feed", "sync", "import", "dataset"
API_INPUT = "api input"  # what a client sends; API is what it is answered
EXPORT = "export"  # the columns of CSV, XLSX and GeoJSON (exchange.exports.query)
DWCA = "dwca"  # the terms of a Darwin Core Archive's rows (exchange.exports.dwca.columns)
WRITING = (FORM, API_INPUT, SYNC, IMPORT)

# What the disclosure policy decides (observations.disclosure.policy.Audience):
PLACE = "place"  # coordinates and their uncertainty: record_place / station_place
TEXT = "text"  # free text that may name a place or a person: Audience.text
LABEL = "label"  # a short label that may name a place: Audience.label
NAMES = "names"  # people's names: shown only where names may travel


@dataclass(frozen=True)
class Field:
    name: str
    convert: Convert = AS_IS
    content: bool = False
    wire: str = ""
    disclosure: str = ""
    received: bool = False
    dataset: str = ""  # its column in a dataset version's rows (exchange.datasets)
    column: str = ""  # its key in an export (GeoJSON property; the wire name unless said)
    label: str = ""  # its column's header in CSV and XLSX, in the reader's language
    dwc: tuple[str, ...] = ()  # its Darwin Core terms ("eco:": the Humboldt extension's)
    left_out: dict[str, str] = field(default_factory=dict)  # path -> why it is not there

    def __post_init__(self):
        if not self.wire:
            object.__setattr__(self, "wire", self.name)
        if not self.dataset:
            object.__setattr__(self, "dataset", self.name)
        if not self.column:
            object.__setattr__(self, "column", self.wire)
        if isinstance(self.dwc, str):
            object.__setattr__(self, "dwc", (self.dwc,))

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


def content_key(kind: RecordKind, values: dict) -> tuple:
    """What cleaned values say, comparable: two rows of one file with the same id are
    the same record when their keys are equal (a stored record: ``same_content``)."""
    return tuple(_comparable(values[name]) for name in kind.content)


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

_BOOKS = "the node's bookkeeping"
_RANGE = "Darwin Core counts one organismQuantity: the range is in CSV and XLSX"

OBSERVATION = RecordKind(
    model=Observation,
    feed_kind="observation",
    paths=(FORM, API_INPUT, API, FEED, SYNC, IMPORT, DATASET, EXPORT, DWCA),
    inputs=("datum",),
    derived=("location_precision", "notes_redacted", "can_edit", "observer_name", "licence"),
    fields=(
        Field(
            "id",
            BY_ID,
            dataset="record_id",
            label=_("Record id"),
            dwc="occurrenceID",
            left_out={FEED: _ROW_KEY},
        ),
        Field(
            "origin_node",
            label=_("Origin node"),
            left_out={FEED: _ROW_KEY, DWCA: "the archive's publisher is the node (eml.xml)"},
        ),
        content(
            "protected_area",
            BY_CODE,
            dataset="protected_area_code",
            column="protected_area_code",
            label=_("Protected area code"),
            dwc="locality",
        ),
        content(
            "species",
            BY_NAME,
            dataset="scientific_name",
            column="scientific_name",
            label=_("Scientific name"),
            dwc="scientificName",
        ),
        content("event", BY_ID, dataset="event_id", label=_("Survey event"), dwc="eventID"),
        content("observed_at", TIME, label=_("Observed at (UTC)"), dwc="eventDate"),
        content("latitude", disclosure=PLACE, label=_("Latitude"), dwc="decimalLatitude"),
        content("longitude", disclosure=PLACE, label=_("Longitude"), dwc="decimalLongitude"),
        content(
            "coordinate_uncertainty_m",
            disclosure=PLACE,
            label=_("Coordinate uncertainty (m)"),
            dwc="coordinateUncertaintyInMeters",
        ),
        content("count", label=_("Count"), dwc=("individualCount", "organismQuantity")),
        content("count_min", label=_("Minimum count"), left_out={DWCA: _RANGE}),
        content("count_max", label=_("Maximum count"), left_out={DWCA: _RANGE}),
        content("unit", label=_("Unit"), dwc="organismQuantityType"),
        content("sex", label=_("Sex"), dwc="sex"),
        content("age_class", label=_("Age class"), dwc="lifeStage"),
        content("evidence", label=_("Evidence"), dwc="basisOfRecord"),
        content(
            "individual",
            BY_ID,
            dataset="individual_id",
            label=_("Known individual"),
            dwc="organismID",
        ),
        content("notes", disclosure=TEXT, label=_("Notes"), dwc="occurrenceRemarks"),
        Field(
            "status",
            received=True,
            label=_("Status"),
            dwc="identificationVerificationStatus",
        ),
        Field(
            "rejection_reason",
            left_out={
                FEED: "a note from the reviewer to the filer " + _HOME,
                **dict.fromkeys((DATASET, EXPORT, DWCA), _HOME),
            },
        ),
        Field(
            "reviewed_at",
            TIME,
            left_out=dict.fromkeys((FEED, DATASET, EXPORT, DWCA), "who reviewed when " + _HOME),
        ),
        Field("observer_code", received=True, label=_("Observer code"), dwc="recordedBy"),
        Field(
            "source",
            label=_("Source"),
            left_out={
                FEED: "the receiver records 'sync'",
                DATASET: "how it was filed " + _HOME,
                DWCA: "how it was filed " + _HOME,
            },
        ),
        Field(
            "created_at",
            TIME,
            left_out={
                FEED: "the receiver keeps its own",
                DATASET: "a row's time is its version's",
                **dict.fromkeys((EXPORT, DWCA), _BOOKS),
            },
        ),
        Field(
            "updated_at",
            TIME,
            left_out={DATASET: "a row's time is its version's", EXPORT: _BOOKS, DWCA: _BOOKS},
        ),
    ),
)

_PERIOD = ("eventDate", "eco:eventDurationValue")  # a period, and its hours

EVENT = RecordKind(
    model=SurveyEvent,
    feed_kind="event",
    paths=(API_INPUT, API, FEED, SYNC, DWCA),
    inputs=("datum",),
    derived=("location_precision", "notes_redacted", "licence"),
    fields=(
        Field("id", BY_ID, dwc="eventID", left_out={FEED: _ROW_KEY}),
        Field(
            "origin_node",
            left_out={FEED: _ROW_KEY, DWCA: "the archive's publisher is the node (eml.xml)"},
        ),
        content("protected_area", BY_CODE, dwc="locality"),
        content("kind", dwc="eco:protocolNames"),
        content("started_at", TIME, dwc=_PERIOD),
        content("ended_at", TIME, dwc=_PERIOD),
        content("latitude", disclosure=PLACE, dwc="decimalLatitude"),
        content("longitude", disclosure=PLACE, dwc="decimalLongitude"),
        content("effort_km", NUMBER, dwc="eco:samplingEffortValue"),
        content("effort_trap_nights", NUMBER, dwc="eco:samplingEffortValue"),
        content("effort_hours", NUMBER, dwc="eco:samplingEffortValue"),
        content(
            "team",
            disclosure=NAMES,
            left_out={DWCA: "people's names: an archive travels beyond the node"},
        ),
        content("joint_team", left_out={DWCA: "no Darwin Core term; the team is not written"}),
        content("protocol", disclosure=LABEL, dwc="samplingProtocol"),
        content("notes", disclosure=TEXT, dwc="eventRemarks"),
        Field("status", received=True, left_out={DWCA: "its records say theirs " + _HOME}),
        Field("created_at", TIME, left_out={FEED: "the receiver keeps its own", DWCA: _BOOKS}),
        Field("updated_at", TIME, left_out={DWCA: _BOOKS}),
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
