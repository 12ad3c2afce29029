"""Which terms the archive's rows have, and in which order.

Two kinds of terms:

- the terms of a record's fields: each field on the archive's path (observations.records.
  kinds: DWCA) names its terms (``dwc``); its value comes from the export's source
  (exchange.exports.sources: the live records as the disclosure policy shows them, or a
  dataset version's frozen rows) and is written as ``OCCURRENCE_FIELDS`` or
  ``EVENT_FIELDS`` say;
- the archive's own terms, which are no field of a record: row keys, constants (the
  licence, the event type), and terms computed from several fields, from the record's
  species or from its place's precision (``_own_occurrence_terms``, ``event_columns``).

``OCCURRENCE_ORDER`` and ``EVENT_ORDER`` are the order the archives have always had. A
field's term the order does not place comes last (readers find a column by meta.xml's
index); a field on the path without a term, or with a term not written here, is an error.
"""

from __future__ import annotations

from django.db.models import Case, CharField, DecimalField, F, Q, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.db.models.lookups import Exact
from django.utils import translation

from observations.disclosure import Audience
from observations.models import Species, SurveyEvent
from observations.records.kinds import DWCA, EVENT, OBSERVATION, RecordKind

from ..sources import Source, frozen_rows, live_events, live_records
from .columns import (
    CLEAN,
    COREID,
    DCTERMS,
    DWC,
    ECO,
    ID,
    Column,
    code,
    col,
    incidental_id,
    place_terms,
    uri,
    uuid_text,
)
from .licences import LICENCES

# --- the terms of the fields ---------------------------------------------------------
#
# term -> (how it is written: rows.py, its expression(s) from the values of the fields
# that have the term, in the description's order).


def _as_is(value):
    return value


def _known(value):
    return NullIf(value, Value("unknown"))


def _said(text):
    """A text, or no value when it is empty."""
    return NullIf(text, Value(""), output_field=CharField())


def _pa_name(_code):
    """Darwin Core readers want the place's name, not the PA's code."""
    return F("protected_area__name_en")


def _either(value, when: str, then: str, otherwise: str):
    return Case(
        When(Exact(value, when), then=Value(then)),
        default=Value(otherwise),
        output_field=CharField(),
    )


def _both(start, end):
    return (start, end)


def _kind_labels():
    with translation.override("en"):
        return [
            When(kind=value, then=Value(str(label))) for value, label in SurveyEvent.Kind.choices
        ]


OCCURRENCE_FIELDS = {
    "occurrenceID": ("code", uuid_text),
    "basisOfRecord": (
        "code",
        lambda evidence: _either(evidence, "camera", "MachineObservation", "HumanObservation"),
    ),
    "eventID": ("code", uuid_text),
    "eventDate": ("time", _as_is),
    "scientificName": ("text", _as_is),
    # A count is of individuals only when its unit says so (else: tracks, nests...).
    "individualCount": (
        "value",
        lambda count: Case(When(unit="individuals", then=count), default=Value(None)),
    ),
    "organismQuantity": ("value", _as_is),
    "organismQuantityType": ("text", _as_is),
    "sex": ("code", _known),
    "lifeStage": ("code", _known),
    "organismID": ("code", uuid_text),
    "decimalLatitude": ("value", _as_is),
    "decimalLongitude": ("value", _as_is),
    "coordinateUncertaintyInMeters": ("value", _as_is),
    "locality": ("text", _pa_name),
    "identificationVerificationStatus": (
        "code",
        lambda status: _either(status, "verified", "verified", "unverified"),
    ),
    "recordedBy": ("text", _said),
    "occurrenceRemarks": ("text", _said),
}

EVENT_FIELDS = {
    "eventID": ("code", uuid_text),
    # A survey without a protocol of its own says its kind (in English).
    "samplingProtocol": (
        "text",
        lambda protocol: Coalesce(
            NullIf(protocol, Value("")),
            Case(*_kind_labels(), default=F("kind"), output_field=CharField()),
        ),
    ),
    "eventDate": ("period", _both),
    "locality": ("text", _pa_name),
    "decimalLatitude": ("value", _as_is),
    "decimalLongitude": ("value", _as_is),
    "eco:protocolNames": ("code", _as_is),
    "eco:samplingEffortValue": (
        "value",
        lambda *efforts: Coalesce(*efforts, output_field=DecimalField()),
    ),
    "eco:eventDurationValue": ("hours", _both),
    "eventRemarks": ("text", _said),
}


def field_columns(kind: RecordKind, source: Source, written: dict) -> dict[str, Column]:
    """The columns of the kind's fields on the archive's path that ``source`` has, by URI."""
    values: dict[str, list] = {}
    for f in kind.on(DWCA):
        if f.name not in source.values:
            continue
        if not f.dwc:
            raise KeyError(f"{kind.feed_kind}.{f.name}: a field of the archive without a term")
        for term in f.dwc:
            values.setdefault(term, []).append(source[f.name])
    columns = {}
    for term, exprs in values.items():
        if term not in written:
            raise KeyError(f"{kind.feed_kind}: the archive does not write the term {term}")
        how, expression = written[term]
        out = expression(*exprs)
        columns[uri(term)] = Column(uri(term), how, out if isinstance(out, tuple) else (out,))
    return columns


def _arranged(order: tuple[str, ...], columns: dict[str, Column]) -> list[Column]:
    placed = [uri(term) for term in order]
    return [
        *(columns[term] for term in placed if term in columns),
        *(column for term, column in columns.items() if term not in placed),
    ]


# --- the occurrences -----------------------------------------------------------------

OCCURRENCE_ORDER = (
    COREID,  # the export's: the record's survey event (or its incidental one)
    ID,  # a dataset version's: the record
    "occurrenceID",
    "datasetID",
    "datasetName",
    "dcterms:license",
    "basisOfRecord",
    "eventID",
    "eventDate",
    "scientificName",
    "vernacularName",
    "kingdom",
    "taxonRank",
    "occurrenceStatus",
    "individualCount",
    "organismQuantity",
    "organismQuantityType",
    "sex",
    "lifeStage",
    "organismID",
    "decimalLatitude",
    "decimalLongitude",
    "geodeticDatum",
    "coordinateUncertaintyInMeters",
    "dataGeneralizations",
    "informationWithheld",
    "countryCode",
    "locality",
    "identificationVerificationStatus",
    "recordedBy",
    "occurrenceRemarks",
)


def _own_occurrence_terms(source: Source, subspecies: list) -> list[Column]:
    """The occurrence's terms that are no field of it; ``subspecies``: the species ids
    whose rank is a subspecies."""
    return [
        col(DWC + "vernacularName", F("species__name_en")),
        code(
            DWC + "kingdom",
            Case(
                When(species__group="plant", then=Value("Plantae")),
                default=Value("Animalia"),
                output_field=CharField(),
            ),
        ),
        code(
            DWC + "taxonRank",
            Case(
                When(species_id__in=subspecies, then=Value("subspecies")),
                default=Value("species"),
                output_field=CharField(),
            ),
        ),
        code(
            DWC + "occurrenceStatus",
            Case(
                When(count=0, then=Value("absent")),
                default=Value("present"),
                output_field=CharField(),
            ),
        ),
        *place_terms(source.precision),
        code(DWC + "countryCode", source.country),
    ]


def subspecies_of(species: list[tuple]) -> list:
    """The ids of (id, scientific name) pairs whose name is a trinomial."""
    return [pk for pk, name in species if len(name.split()) >= 3]


def occurrence_columns(audience: Audience) -> list[Column]:
    """The occurrence extension of a live export, as the disclosure policy shows the
    records to ``audience``."""
    source = live_records(audience)
    columns = field_columns(OBSERVATION, source, OCCURRENCE_FIELDS)
    # An extension row points at its core row: the record's survey event is its coreid
    # (an incidental event when it has none), not a term of its own.
    del columns[DWC + "eventID"]
    event_key = Case(
        When(event_id__isnull=False, then=uuid_text(source["event"])),
        default=incidental_id("protected_area__code", "observed_at"),
        output_field=CharField(),
    )
    subspecies = subspecies_of(Species.objects.values_list("pk", "scientific_name"))
    # The licence is the dataset's (eml.xml) and each event's; not repeated per row.
    own = [code(COREID, event_key), *_own_occurrence_terms(source, subspecies)]
    return _arranged(OCCURRENCE_ORDER, columns | {c.term: c for c in own})


def version_occurrence_columns(
    *, dataset_id: str, dataset_name: str, licence: str, subspecies: list
) -> list[Column]:
    """The occurrence core of a dataset version's archive: one row per frozen row (its
    places already generalised), with the version's identifiers and licence."""
    source = frozen_rows()
    own = [
        code(ID, uuid_text(source["id"])),
        code(DWC + "datasetID", Value(dataset_id)),
        col(DWC + "datasetName", Value(dataset_name)),
        code(DCTERMS + "license", Value(LICENCES[licence][1])),
        *_own_occurrence_terms(source, subspecies),
    ]
    columns = field_columns(OBSERVATION, source, OCCURRENCE_FIELDS)
    return _arranged(OCCURRENCE_ORDER, columns | {c.term: c for c in own})


# --- the survey events ---------------------------------------------------------------

EVENT_ORDER = (
    ID,
    "eventID",
    "eventType",
    "samplingProtocol",
    "eventDate",
    "countryCode",
    "locality",
    "decimalLatitude",
    "decimalLongitude",
    "geodeticDatum",
    "coordinateUncertaintyInMeters",
    "dataGeneralizations",
    "informationWithheld",
    "eco:protocolNames",
    "eco:samplingEffortValue",
    "eco:samplingEffortUnit",
    "eco:isSamplingEffortReported",
    "eco:eventDurationValue",
    "eco:eventDurationUnit",
    "eventRemarks",
    "dcterms:license",
)


def event_columns(audience: Audience, *, licence: str) -> list[Column]:
    """The core row of a survey event: its place (the policy's station rule for
    ``audience``), its time and its effort (Humboldt extension: samplingEffortValue/Unit,
    eventDuration...)."""
    source, uncertainty = live_events(audience)
    effort_unit = Case(
        When(effort_km__isnull=False, then=Value("km")),
        When(effort_trap_nights__isnull=False, then=Value("trap-nights")),
        When(effort_hours__isnull=False, then=Value("hours")),
        default=Value(None),
        output_field=CharField(),
    )
    reported = Case(
        When(
            Q(effort_km__isnull=True, effort_trap_nights__isnull=True, effort_hours__isnull=True),
            then=Value("false"),
        ),
        default=Value("true"),
        output_field=CharField(),
    )
    own = [
        code(ID, uuid_text(source["id"])),
        code(DWC + "eventType", Value("Survey")),
        code(DWC + "countryCode", source.country),
        *place_terms(source.precision),
        col(DWC + "coordinateUncertaintyInMeters", uncertainty, "value"),
        code(ECO + "samplingEffortUnit", effort_unit),
        code(ECO + "isSamplingEffortReported", reported),
        code(
            ECO + "eventDurationUnit",
            Case(
                When(ended_at__isnull=False, then=Value("hours")),
                default=Value(None),
                output_field=CharField(),
            ),
        ),
        code(DCTERMS + "license", Value(LICENCES[licence][1])),
    ]
    columns = field_columns(EVENT, source, EVENT_FIELDS)
    return _arranged(EVENT_ORDER, columns | {c.term: c for c in own})


def incidental_line(event_cols, *, code, country, locality, day, licence: str) -> bytes:
    """The core row standing for a PA's records of one UTC day that belong to no survey
    event; its id is the ``coreid`` those occurrences carry (columns.incidental_id)."""
    key = f"incidental:{code}:{day.isoformat()}"
    values = {
        ID: key,
        DWC + "eventID": key,
        DWC + "eventType": "Incidental",
        DWC + "samplingProtocol": "incidental observation",
        DWC + "eventDate": day.isoformat(),
        DWC + "countryCode": country,
        DWC + "locality": locality,
        ECO + "isSamplingEffortReported": "false",
        DCTERMS + "license": LICENCES[licence][1],
    }
    cells = [str(values.get(c.term) or "").translate(CLEAN) for c in event_cols]
    return ("\t".join(cells) + "\n").encode()
