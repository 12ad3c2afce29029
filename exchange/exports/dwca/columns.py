"""The terms of the archive's rows, each defined once (``Column``): a DwC term, a Django
expression evaluated by the database, and how its value is written (exchange.exports.dwca.rows).

The places are the disclosure policy's SQL twin (observations.disclosure): what a row says
about a generalised place (dataGeneralizations, informationWithheld) comes with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, CharField, DecimalField, F, Q, Value, When
from django.db.models.functions import Cast, Coalesce, Concat, NullIf, Substr, TruncDate
from django.db.models.lookups import Exact
from django.utils import translation

from observations.disclosure import CELL_DEGREES, EXACT, KM1, KM10, PA_ONLY, Audience
from observations.models import Species, SurveyEvent

from .licences import LICENCES

DWC = "http://rs.tdwg.org/dwc/terms/"
ECO = "http://rs.tdwg.org/eco/terms/"
DCTERMS = "http://purl.org/dc/terms/"
EVENT_ROW = DWC + "Event"
OCCURRENCE_ROW = DWC + "Occurrence"
ID, COREID = "id", "coreid"  # the first column of the core and of the extension

# What a generalised place says about itself (dataGeneralizations), in English as DwC
# consumers expect.
GENERALISATIONS = {
    KM1: f"Generalised to the centre of a {CELL_DEGREES[KM1]} degree grid cell",
    KM10: f"Generalised to the centre of a {CELL_DEGREES[KM10]} degree grid cell",
    PA_ONLY: "Replaced by the protected area's centroid",
}
WITHHELD = "Exact coordinates and free-text remarks withheld"
SANITISE = "\t\n\r\x1f"
CLEAN = str.maketrans(dict.fromkeys(SANITISE, " "))  # free text: those become spaces


@dataclass(frozen=True)
class Column:
    """One DwC term: its URI, how its value is written, and the expression(s) giving it.

    kinds: ``text`` (free text, sanitised), ``code`` (identifiers, codes and constants:
    no tab or line break possible), ``value`` (numbers as the database prints them),
    ``time`` (ISO 8601 UTC), ``date``, ``period`` (two times: start/end), ``hours`` (two
    times: the hours between them, two decimals)."""

    term: str
    kind: str
    exprs: tuple

    @property
    def name(self) -> str:
        return self.term.rsplit("/", 1)[-1]


def col(term: str, expr, kind: str = "text") -> Column:
    return Column(term, kind, (expr,))


def code(term: str, expr) -> Column:
    return Column(term, "code", (expr,))


def uuid_text(field: str):
    """A UUID column as its canonical text (PostgreSQL has the type; SQLite keeps 32 hex)."""
    if connection.vendor == "postgresql":
        return Cast(F(field), CharField())
    value = F(field)
    parts = [Substr(value, 1, 8), Substr(value, 9, 4), Substr(value, 13, 4)]
    parts += [Substr(value, 17, 4), Substr(value, 21, 12)]
    text = Concat(
        parts[0],
        Value("-"),
        parts[1],
        Value("-"),
        parts[2],
        Value("-"),
        parts[3],
        Value("-"),
        parts[4],
        output_field=CharField(),
    )
    return Case(When(Q(**{f"{field}__isnull": True}), then=Value(None)), default=text)


def _incidental_id(code_field: str, time_field: str):
    day = Cast(TruncDate(time_field), CharField())
    return Concat(Value("incidental:"), F(code_field), Value(":"), day, output_field=CharField())


def _by_precision(precision, texts: dict):
    cases = [When(Exact(precision, key), then=Value(text)) for key, text in texts.items()]
    return Case(*cases, default=Value(None), output_field=CharField())


def place_columns(precision, lat, lon, unc, *, latitude: str = "latitude") -> list[Column]:
    """The place terms of a row: its coordinates as given (``lat``, ``lon``, ``unc``), and
    what its ``precision`` says about them; ``latitude`` is the field that is empty when the
    row has no place."""
    return [
        col(DWC + "decimalLatitude", lat, "value"),
        col(DWC + "decimalLongitude", lon, "value"),
        code(
            DWC + "geodeticDatum",
            Case(
                When(Q(**{f"{latitude}__isnull": True}), then=Value(None)),
                default=Value("WGS84"),
                output_field=CharField(),
            ),
        ),
        col(DWC + "coordinateUncertaintyInMeters", unc, "value"),
        code(DWC + "dataGeneralizations", _by_precision(precision, GENERALISATIONS)),
        code(
            DWC + "informationWithheld",
            Case(
                When(Q(**{f"{latitude}__isnull": True}), then=Value(None)),
                When(Exact(precision, EXACT), then=Value(None)),
                default=Value(WITHHELD),
                output_field=CharField(),
            ),
        ),
    ]


def occurrence_terms(
    *,
    ids: list[Column],
    event: list[Column],
    scientific_name,
    subspecies: list,
    place: list[Column],
    country,
    notes,
) -> list[Column]:
    """The occurrence terms of one record, in the order the archives write them: the
    export's occurrence extension (``occurrence_columns``) and a dataset version's
    occurrence core (exchange.exports.dataset). What differs between the two comes in:
    ``ids`` (the row's key and identifiers, first), ``event`` (after basisOfRecord), the
    expressions of the scientific name and the country, the species ids that are
    subspecies, the ``place`` terms and the ``notes`` as they may be shown."""
    return [
        *ids,
        code(
            DWC + "basisOfRecord",
            Case(
                When(evidence="camera", then=Value("MachineObservation")),
                default=Value("HumanObservation"),
                output_field=CharField(),
            ),
        ),
        *event,
        col(DWC + "eventDate", F("observed_at"), "time"),
        col(DWC + "scientificName", scientific_name),
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
        col(
            DWC + "individualCount",
            Case(When(unit="individuals", then=F("count")), default=Value(None)),
            "value",
        ),
        col(DWC + "organismQuantity", F("count"), "value"),
        col(DWC + "organismQuantityType", F("unit")),
        code(DWC + "sex", NullIf(F("sex"), Value("unknown"))),
        code(DWC + "lifeStage", NullIf(F("age_class"), Value("unknown"))),
        code(DWC + "organismID", uuid_text("individual_id")),
        *place,
        code(DWC + "countryCode", country),
        col(DWC + "locality", F("protected_area__name_en")),
        code(
            DWC + "identificationVerificationStatus",
            Case(
                When(status="verified", then=Value("verified")),
                default=Value("unverified"),
                output_field=CharField(),
            ),
        ),
        col(DWC + "recordedBy", NullIf(F("observer_code"), Value(""))),
        col(DWC + "occurrenceRemarks", NullIf(notes, Value(""), output_field=CharField())),
    ]


def occurrence_columns(audience: Audience) -> list[Column]:
    """The occurrence extension of a live export, as the disclosure policy shows the
    records to ``audience``."""
    lat, lon, unc, precision = audience.record_place_sql()
    subspecies = [
        pk
        for pk, name in Species.objects.values_list("pk", "scientific_name")
        if len(name.split()) >= 3
    ]
    event_key = Case(
        When(event_id__isnull=False, then=uuid_text("event_id")),
        default=_incidental_id("protected_area__code", "observed_at"),
        output_field=CharField(),
    )
    # The licence is the dataset's (eml.xml) and each event's; not repeated per row.
    return occurrence_terms(
        ids=[code(COREID, event_key), code(DWC + "occurrenceID", uuid_text("id"))],
        event=[],
        scientific_name=F("species__scientific_name"),
        subspecies=subspecies,
        place=place_columns(precision, lat, lon, unc),
        country=F("protected_area__country"),
        notes=audience.text_sql("notes", precision),
    )


def _kind_labels():
    with translation.override("en"):
        return [
            When(kind=value, then=Value(str(label))) for value, label in SurveyEvent.Kind.choices
        ]


def event_columns(audience: Audience, *, licence: str) -> list[Column]:
    """The core row of a survey event: its place (the policy's station rule for
    ``audience``), its time and its effort (Humboldt extension: samplingEffortValue/Unit,
    eventDuration...)."""
    lat, lon, unc, precision = audience.station_place_sql()
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
    protocol = Coalesce(
        NullIf(F("protocol"), Value("")),
        Case(*_kind_labels(), default=F("kind"), output_field=CharField()),
    )
    return [
        code(ID, uuid_text("id")),
        code(DWC + "eventID", uuid_text("id")),
        code(DWC + "eventType", Value("Survey")),
        col(DWC + "samplingProtocol", protocol),
        Column(DWC + "eventDate", "period", (F("started_at"), F("ended_at"))),
        code(DWC + "countryCode", F("protected_area__country")),
        col(DWC + "locality", F("protected_area__name_en")),
        *place_columns(precision, lat, lon, unc),
        code(ECO + "protocolNames", F("kind")),
        col(
            ECO + "samplingEffortValue",
            Coalesce(
                "effort_km", "effort_trap_nights", "effort_hours", output_field=DecimalField()
            ),
            "value",
        ),
        code(ECO + "samplingEffortUnit", effort_unit),
        code(ECO + "isSamplingEffortReported", reported),
        Column(ECO + "eventDurationValue", "hours", (F("started_at"), F("ended_at"))),
        code(
            ECO + "eventDurationUnit",
            Case(
                When(ended_at__isnull=False, then=Value("hours")),
                default=Value(None),
                output_field=CharField(),
            ),
        ),
        col(
            DWC + "eventRemarks",
            NullIf(audience.text_sql("notes", precision), Value(""), output_field=CharField()),
        ),
        code(DCTERMS + "license", Value(LICENCES[licence][1])),
    ]


def incidental_line(event_cols, *, code, country, locality, day, licence: str) -> bytes:
    """The core row standing for a PA's records of one UTC day that belong to no survey
    event; its id is the ``coreid`` those occurrences carry (``_incidental_id``)."""
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
