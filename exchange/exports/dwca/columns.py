"""The columns of the archive's rows (``Column``): a DwC term, a Django expression
evaluated by the database, and how its value is written (exchange.exports.dwca.rows). Which
terms a row has, and in which order, is exchange.exports.dwca.terms.

The places are the disclosure policy's SQL twin (observations.disclosure): what a row says
about a generalised place (dataGeneralizations, informationWithheld) comes with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, CharField, F, Q, Value, When
from django.db.models.functions import Cast, Concat, Substr, TruncDate
from django.db.models.lookups import Exact, IsNull

from observations.disclosure import CELL_DEGREES, EXACT, KM1, KM10, PA_ONLY

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


def uuid_text(field):
    """A UUID column (a field's name or an expression) as its canonical text (PostgreSQL has
    the type; SQLite keeps 32 hex digits)."""
    value = F(field) if isinstance(field, str) else field
    if connection.vendor == "postgresql":
        return Cast(value, CharField())
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
    return Case(When(IsNull(value, True), then=Value(None)), default=text)


def incidental_id(code_field: str, time_field: str):
    day = Cast(TruncDate(time_field), CharField())
    return Concat(Value("incidental:"), F(code_field), Value(":"), day, output_field=CharField())


def _by_precision(precision, texts: dict):
    cases = [When(Exact(precision, key), then=Value(text)) for key, text in texts.items()]
    return Case(*cases, default=Value(None), output_field=CharField())


def place_terms(precision, *, latitude: str = "latitude") -> list[Column]:
    """What a row says about its place beside its coordinates (which are fields' terms):
    the datum, and what its ``precision`` says about them; ``latitude`` is the field that
    is empty when the row has no place."""
    no_place = Q(**{f"{latitude}__isnull": True})
    return [
        code(
            DWC + "geodeticDatum",
            Case(
                When(no_place, then=Value(None)), default=Value("WGS84"), output_field=CharField()
            ),
        ),
        code(DWC + "dataGeneralizations", _by_precision(precision, GENERALISATIONS)),
        code(
            DWC + "informationWithheld",
            Case(
                When(no_place, then=Value(None)),
                When(Exact(precision, EXACT), then=Value(None)),
                default=Value(WITHHELD),
                output_field=CharField(),
            ),
        ),
    ]


def uri(term: str) -> str:
    """A term as the description names it (``eventDate``, ``eco:samplingEffortValue``,
    ``dcterms:license``) as its URI; the row keys ``id`` and ``coreid`` stay as they are."""
    if term in (ID, COREID):
        return term
    prefix, _colon, name = term.rpartition(":")
    return {"": DWC, "eco": ECO, "dcterms": DCTERMS}[prefix] + name
