"""The Darwin Core Archive: event core (with effort, in Humboldt extension terms where they
fit), occurrence extension, ``meta.xml`` and ``eml.xml``, deflated into one zip.

Every column is defined once (``Column``): a DwC term, a Django expression evaluated by the
database, and how its value is written. On PostgreSQL each data file is
``COPY (SELECT ...) TO STDOUT`` on a second connection, in one REPEATABLE READ read-only
transaction (events and occurrences of one snapshot), written straight into the zip entry:
the database builds and generalises the rows (the disclosure policy's SQL twin) while Python
deflates the previous ones, and memory stays flat. Elsewhere (SQLite, the laptop) the same
query is read with a chunked cursor and the same values written by Python.

Files are tab-separated UTF-8 without quoting (``fieldsEnclosedBy=""``): tabs, line breaks
and the unit separator in free text become spaces, so no value can break a row (codes,
numbers and identifiers cannot hold them and are written as they are).

The occurrences go first, and their ``coreid``s are collected on the way: the survey events
they point at are then written (by id), and the records without a survey event are grouped
into one "incidental" event per PA and UTC day (``incidental:<PA code>:<date>``), so that
every occurrence points at a core row and no second pass over the records is needed.
"""

from __future__ import annotations

import datetime as dt
import threading
import zipfile
from dataclasses import dataclass
from queue import Queue
from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.db import connection
from django.db.models import Case, CharField, DecimalField, F, Q, Value, When
from django.db.models.functions import Cast, Coalesce, Concat, NullIf, Substr, TruncDate
from django.db.models.lookups import Exact
from django.utils import timezone, translation

from observations.disclosure import CELL_DEGREES, EXACT, KM1, KM10, PA_ONLY, Audience
from observations.models import ProtectedArea, Species, SurveyEvent

DWC = "http://rs.tdwg.org/dwc/terms/"
ECO = "http://rs.tdwg.org/eco/terms/"
DCTERMS = "http://purl.org/dc/terms/"
EVENT_ROW = DWC + "Event"
OCCURRENCE_ROW = DWC + "Occurrence"
ID, COREID = "id", "coreid"  # the first column of the core and of the extension

LICENCES = {
    "CC0-1.0": (
        "Public Domain (CC0 1.0)",
        "http://creativecommons.org/publicdomain/zero/1.0/legalcode",
    ),
    "CC-BY-4.0": (
        "Creative Commons Attribution (CC-BY) 4.0",
        "http://creativecommons.org/licenses/by/4.0/legalcode",
    ),
    "CC-BY-NC-4.0": (
        "Creative Commons Attribution Non Commercial (CC-BY-NC) 4.0",
        "http://creativecommons.org/licenses/by-nc/4.0/legalcode",
    ),
}
DEFAULT_LICENCE = "CC-BY-4.0"

# What a generalised place says about itself (dataGeneralizations), in English as DwC
# consumers expect.
GENERALISATIONS = {
    KM1: f"Generalised to the centre of a {CELL_DEGREES[KM1]} degree grid cell",
    KM10: f"Generalised to the centre of a {CELL_DEGREES[KM10]} degree grid cell",
    PA_ONLY: "Replaced by the protected area's centroid",
}
WITHHELD = "Exact coordinates and free-text remarks withheld"
SANITISE = "\t\n\r\x1f"
COPY_OPTIONS = "FORMAT csv, DELIMITER E'\\t', QUOTE E'\\x1f', NULL ''"
BUFFER = 1 << 20
QUEUED = 8  # buffers between the reading and the deflating thread
KEY_BYTES = 96  # enough for any coreid: a UUID, or "incidental:" + PA code + ":" + date
EVENT_CHUNK = 5000  # survey events written per statement


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


def _uuid_text(field: str):
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
        code(DWC + "organismID", _uuid_text("individual_id")),
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
        When(event_id__isnull=False, then=_uuid_text("event_id")),
        default=_incidental_id("protected_area__code", "observed_at"),
        output_field=CharField(),
    )
    # The licence is the dataset's (eml.xml) and each event's; not repeated per row.
    return occurrence_terms(
        ids=[code(COREID, event_key), code(DWC + "occurrenceID", _uuid_text("id"))],
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
        code(ID, _uuid_text("id")),
        code(DWC + "eventID", _uuid_text("id")),
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
    cells = [str(values.get(c.term) or "").translate(_CLEAN) for c in event_cols]
    return ("\t".join(cells) + "\n").encode()


# --- writing the rows ---------------------------------------------------------------------


def _aliases(columns):
    out, i = [], 0
    for column in columns:
        names = []
        for _expr in column.exprs:
            names.append(f"c{i}")
            i += 1
        out.append(names)
    return out


def _values(qs, columns):
    aliases = _aliases(columns)
    exprs = {}
    for column, names in zip(columns, aliases, strict=True):
        exprs.update(dict(zip(names, column.exprs, strict=True)))
    return qs.annotate(**exprs).values_list(*exprs), aliases


_ISO = 'YYYY-MM-DD"T"HH24:MI:SS"Z"'


def _outer_sql(column: Column, names: list[str]) -> str:
    a = names[0]
    if column.kind == "text":
        # Nested replace() costs a sixth of translate() per value (measured: bench_dwca).
        cleaned = f"{a}::text"
        for char in SANITISE:
            cleaned = f"replace({cleaned}, E'\\x{ord(char):02x}', ' ')"
        return f"NULLIF({cleaned}, '')"
    if column.kind == "code":
        return f"NULLIF({a}::text, '')"
    if column.kind == "value":
        return a
    if column.kind == "time":
        return f"to_char({a} AT TIME ZONE 'UTC', '{_ISO}')"
    if column.kind == "date":
        return f"to_char({a}, 'YYYY-MM-DD')"
    b = names[1]
    if column.kind == "period":
        return (
            f"to_char({a} AT TIME ZONE 'UTC', '{_ISO}')"
            f" || COALESCE('/' || to_char({b} AT TIME ZONE 'UTC', '{_ISO}'), '')"
        )
    if column.kind == "hours":
        return f"round((extract(epoch FROM ({b} - {a})) / 3600)::numeric, 2)"
    raise ValueError(column.kind)


def copy_statement(qs, columns) -> str:
    """``COPY (SELECT <columns written as text> FROM (<the query>)) TO STDOUT``."""
    values, aliases = _values(qs, columns)
    sql, params = values.query.sql_with_params()
    inner = connection.ops.compose_sql(sql, params)
    outer = ", ".join(_outer_sql(c, n) for c, n in zip(columns, aliases, strict=True))
    return f"COPY (SELECT {outer} FROM ({inner}) AS t) TO STDOUT WITH ({COPY_OPTIONS})"


_CLEAN = str.maketrans(dict.fromkeys(SANITISE, " "))


def _iso(value) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _py_value(column: Column, values) -> str:
    a = values[0]
    if column.kind == "text":
        return "" if a is None else str(a).translate(_CLEAN)
    if column.kind in ("code", "value"):
        return "" if a is None else str(a)
    if column.kind == "time":
        return "" if a is None else _iso(a)
    if column.kind == "date":
        return "" if a is None else a.isoformat()
    b = values[1]
    if column.kind == "period":
        return "" if a is None else _iso(a) + ("" if b is None else "/" + _iso(b))
    if column.kind == "hours":
        if a is None or b is None:
            return ""
        return f"{(b - a).total_seconds() / 3600:.2f}"
    raise ValueError(column.kind)


def python_lines(qs, columns):
    """The same rows written by Python (SQLite): (first cell, line) per row."""
    values, aliases = _values(qs, columns)
    spans, start = [], 0
    for names in aliases:
        spans.append((start, start + len(names)))
        start += len(names)
    for row in values.iterator(chunk_size=5000):
        cells = [_py_value(c, row[s:e]) for c, (s, e) in zip(columns, spans, strict=True)]
        yield cells[0], ("\t".join(cells) + "\n").encode()


def header(columns) -> bytes:
    return ("\t".join(c.name for c in columns) + "\n").encode()


class _Copier:
    """COPY statements on a second connection, in one read-only REPEATABLE READ snapshot."""

    def __enter__(self):
        import psycopg

        params = connection.get_connection_params()
        for key in ("cursor_factory", "context", "prepare_threshold"):
            params.pop(key, None)
        self.conn = psycopg.connect(**params)
        self.conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        self.conn.read_only = True
        return self

    def __exit__(self, *exc):
        self.conn.rollback()
        self.conn.close()
        return False

    def _read(self, statement: str, keys: set | None):
        """The COPY's rows in buffers of about BUFFER bytes: (buffer, rows so far)."""
        rows, buffer = 0, bytearray()
        with self.conn.cursor() as cur, cur.copy(statement) as copy:
            for data in copy:
                buffer += data
                rows += 1
                if keys is not None:
                    head = bytes(data[:KEY_BYTES])
                    keys.add(head[: head.index(b"\t")])
                if len(buffer) >= BUFFER:
                    yield bytes(buffer), rows
                    buffer.clear()
        yield bytes(buffer), rows

    def stream(self, statement: str, out, progress=None, keys: set | None = None) -> int:
        """The rows of the COPY into ``out``; with ``keys``, each row's first cell is added.

        A reader thread takes the rows from the database while this thread deflates the
        previous buffers (zlib lets go of the GIL): the database, the reader and the
        compression work at the same time, with at most QUEUED buffers in memory."""
        queue: Queue = Queue(maxsize=QUEUED)
        failure: list[BaseException] = []

        def reader():
            try:
                for item in self._read(statement, keys):
                    queue.put(item)
            except BaseException as exc:  # handed to the writing thread
                failure.append(exc)
            finally:
                queue.put(None)

        thread = threading.Thread(target=reader, name="dwca-copy", daemon=True)
        thread.start()
        rows = 0
        try:
            while (item := queue.get()) is not None:
                buffer, rows = item
                out.write(buffer)
                if progress is not None:
                    progress.set(rows)
        finally:
            while thread.is_alive():  # the writer failed: let the reader finish and go
                if queue.get() is None:
                    break
            thread.join()
        if failure:
            raise failure[0]
        if progress is not None:
            progress.set(rows)
        return rows


# --- the archive ------------------------------------------------------------------------


@dataclass
class Sources:
    """What goes into the archive: the occurrences and the events they point at."""

    occurrences: object  # QuerySet[Observation], already filtered for the user
    audience: Audience  # who the archive is for (observations.disclosure)
    licence: str


def _split_keys(keys) -> tuple[list[str], list[tuple[str, dt.date]]]:
    """The collected coreids: survey event ids, and (PA code, day) of incidental events."""
    events, days = [], []
    for key in keys:
        key = key.decode() if isinstance(key, bytes) else key
        if key.startswith("incidental:"):
            _prefix, code, day = key.split(":", 2)  # PA codes hold no colon
            days.append((code, dt.date.fromisoformat(day)))
        else:
            events.append(key)
    return sorted(events), sorted(days)


def _incidental_lines(event_cols, days, licence: str):
    pas = {pa.code: pa for pa in ProtectedArea.objects.filter(code__in={c for c, _d in days})}
    for code, day in days:
        pa = pas.get(code)
        yield incidental_line(
            event_cols,
            code=code,
            country=pa.country if pa else "",
            locality=pa.name_en if pa else code,
            day=day,
            licence=licence,
        )


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def write_archive(path, sources: Sources, progress, *, eml: str) -> int:
    """The whole archive into ``path``; returns the number of occurrences."""
    occurrence_cols = occurrence_columns(sources.audience)
    event_cols = event_columns(sources.audience, licence=sources.licence)
    keys: set = set()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        if connection.vendor == "postgresql":
            with _Copier() as copier:
                with archive.open("occurrence.txt", "w", force_zip64=True) as out:
                    out.write(header(occurrence_cols))
                    statement = copy_statement(sources.occurrences, occurrence_cols)
                    written = copier.stream(statement, out, progress, keys=keys)
                event_ids, days = _split_keys(keys)
                with archive.open("event.txt", "w", force_zip64=True) as out:
                    out.write(header(event_cols))
                    for chunk in _chunks(event_ids, EVENT_CHUNK):
                        events = SurveyEvent.objects.filter(pk__in=chunk).order_by()
                        copier.stream(copy_statement(events, event_cols), out)
                    for line in _incidental_lines(event_cols, days, sources.licence):
                        out.write(line)
        else:
            written = 0
            with archive.open("occurrence.txt", "w", force_zip64=True) as out:
                out.write(header(occurrence_cols))
                for key, line in python_lines(sources.occurrences, occurrence_cols):
                    out.write(line)
                    keys.add(key)
                    written += 1
                    progress.advance()
            event_ids, days = _split_keys(keys)
            with archive.open("event.txt", "w", force_zip64=True) as out:
                out.write(header(event_cols))
                for chunk in _chunks(event_ids, EVENT_CHUNK):
                    events = SurveyEvent.objects.filter(pk__in=chunk).order_by()
                    for _key, line in python_lines(events, event_cols):
                        out.write(line)
                for line in _incidental_lines(event_cols, days, sources.licence):
                    out.write(line)
        archive.writestr("meta.xml", meta_xml(event_cols, occurrence_cols))
        archive.writestr("eml.xml", eml)
    return written


def _fields_xml(columns) -> str:
    lines = []
    for index, column in enumerate(columns):
        if column.term == ID:
            lines.append(f'    <id index="{index}"/>')
        elif column.term == COREID:
            lines.append(f'    <coreid index="{index}"/>')
        else:
            lines.append(f'    <field index="{index}" term={quoteattr(column.term)}/>')
    return "\n".join(lines)


_COMMON = (
    'encoding="UTF-8" fieldsTerminatedBy="\\t" linesTerminatedBy="\\n" '
    'fieldsEnclosedBy="" ignoreHeaderLines="1"'
)


def meta_xml(event_cols, occurrence_cols) -> str:
    """The archive descriptor: which file holds which terms (DwC text guidelines)."""
    fields, common = _fields_xml, _COMMON
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<archive xmlns="http://rs.tdwg.org/dwc/text/" metadata="eml.xml">
  <core {common} rowType="{EVENT_ROW}">
    <files><location>event.txt</location></files>
{fields(event_cols)}
  </core>
  <extension {common} rowType="{OCCURRENCE_ROW}">
    <files><location>occurrence.txt</location></files>
{fields(occurrence_cols)}
  </extension>
</archive>
"""


# --- an occurrence-core archive (a shared dataset's version) --------------------------------


def occurrence_meta_xml(columns) -> str:
    """The descriptor of an archive whose core is the occurrences (no event file)."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<archive xmlns="http://rs.tdwg.org/dwc/text/" metadata="eml.xml">
  <core {_COMMON} rowType="{OCCURRENCE_ROW}">
    <files><location>occurrence.txt</location></files>
{_fields_xml(columns)}
  </core>
</archive>
"""


def write_occurrence_archive(path, occurrences, columns, progress, *, eml: str) -> int:
    """An archive of one core file, ``occurrence.txt``, from a queryset whose rows are
    written as they are (already generalised: a dataset version's frozen rows). Same
    writers as ``write_archive``: COPY on PostgreSQL, a chunked cursor elsewhere."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open("occurrence.txt", "w", force_zip64=True) as out:
            out.write(header(columns))
            if connection.vendor == "postgresql":
                with _Copier() as copier:
                    written = copier.stream(copy_statement(occurrences, columns), out, progress)
            else:
                written = 0
                for _key, line in python_lines(occurrences, columns):
                    out.write(line)
                    written += 1
                    progress.advance()
        archive.writestr("meta.xml", occurrence_meta_xml(columns))
        archive.writestr("eml.xml", eml)
    return written


# --- eml.xml ------------------------------------------------------------------------------


def _para(text: str) -> str:
    return f"<para>{escape(text)}</para>"


def eml_xml(
    *,
    package_id: str,
    title: str,
    abstract: str,
    licence: str,
    contact: dict,
    species: list[str],
    first: dt.datetime | None,
    last: dt.datetime | None,
    generalised: bool,
    internal: bool = False,
    citation: str = "",
    additional_info: str = "",
    pub_date: dt.date | None = None,
) -> str:
    """The dataset's metadata (EML 2.2, as GBIF's IPT writes it): title, licence,
    creator and contact, taxonomic and temporal coverage, and how places were generalised."""
    name, url = LICENCES[licence]
    organisation = escape(settings.NODE_NAME)
    person = ""
    if contact.get("surname"):
        given = escape(contact.get("given") or "")
        given = f"<givenName>{given}</givenName>" if given else ""
        surname = f"<surName>{escape(contact['surname'])}</surName>"
        person = f"<individualName>{given}{surname}</individualName>"
    email = (
        f"<electronicMailAddress>{escape(contact['email'])}</electronicMailAddress>"
        if contact.get("email")
        else ""
    )
    party = f"{person}<organizationName>{organisation}</organizationName>{email}"
    taxa = "".join(
        "<taxonomicClassification><taxonRankName>species</taxonRankName>"
        f"<taxonRankValue>{escape(n)}</taxonRankValue></taxonomicClassification>"
        for n in species
    )
    temporal = ""
    if first and last:
        temporal = (
            "<temporalCoverage><rangeOfDates>"
            f"<beginDate><calendarDate>{first.date().isoformat()}</calendarDate></beginDate>"
            f"<endDate><calendarDate>{last.date().isoformat()}</calendarDate></endDate>"
            "</rangeOfDates></temporalCoverage>"
        )
    method = (
        "Records were filed by rangers of the protected areas and verified by the protected "
        "areas' managers. "
        + (
            "Locations of sensitive species are generalised by snapping them to the centre "
            "of a grid cell, never by random offsets, following GBIF's guidance on "
            "sensitive species data (see dataGeneralizations and "
            "coordinateUncertaintyInMeters of each record); free-text remarks of generalised "
            "records are withheld (informationWithheld)."
            if generalised
            else "Locations are exact."
        )
        + (
            " INTERNAL EXPORT: exact locations of sensitive species, not for publication or "
            "sharing."
            if internal
            else ""
        )
    )
    info = (
        f"  <additionalInfo>{_para(additional_info)}</additionalInfo>\n" if additional_info else ""
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<eml:eml xmlns:eml="https://eml.ecoinformatics.org/eml-2.2.0"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="https://eml.ecoinformatics.org/eml-2.2.0 https://rs.gbif.org/schema/eml-gbif-profile/1.3/eml.xsd"
  packageId={quoteattr(package_id)} system="amur-exchange" scope="system" xml:lang="en">
<dataset>
  <title xml:lang="en">{escape(title)}</title>
  <creator><organizationName>{organisation}</organizationName></creator>
  <metadataProvider>{party}</metadataProvider>
  <pubDate>{(pub_date or timezone.now().date()).isoformat()}</pubDate>
  <language>en</language>
  <abstract>{_para(abstract)}</abstract>
{info}  <intellectualRights><para>This work is licensed under a <ulink url={quoteattr(url)}>\
<citetitle>{escape(name)}</citetitle></ulink>.</para></intellectualRights>
  <licensed><licenseName>{escape(name)}</licenseName><url>{escape(url)}</url><identifier>{escape(licence)}</identifier></licensed>
  <coverage>{temporal}<taxonomicCoverage>{taxa}</taxonomicCoverage></coverage>
  <contact>{party}</contact>
  <methods><methodStep><description>{_para(method)}</description></methodStep></methods>
</dataset>
{_citation_xml(citation)}</eml:eml>
"""


def _citation_xml(citation: str) -> str:
    """How to cite the data, where GBIF's EML profile puts it."""
    if not citation:
        return ""
    return (
        "<additionalMetadata><metadata><gbif>"
        f"<citation>{escape(citation)}</citation>"
        "</gbif></metadata></additionalMetadata>\n"
    )
