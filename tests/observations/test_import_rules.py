"""Every rule of the validation service, met through a file import, and the cells an import
reads: Anna (ranger of Khankaisky) uploads one good row and one row breaking a rule.

The bad row comes back as {row: 3, column, code, message}; the good row is kept; nothing of
the bad row is stored.
"""

import datetime as dt
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from observations.models import Individual, IndividualCode, Observation, Species, SurveyEvent

pytestmark = pytest.mark.django_db

COLUMNS = [
    "protected_area",
    "species",
    "observed_at",
    "latitude",
    "longitude",
    "datum",
    "coordinate_uncertainty_m",
    "count",
    "count_min",
    "count_max",
    "unit",
    "evidence",
    "sex",
    "age_class",
    "individual",
    "event",
    "notes",
]
GOOD = {
    "protected_area": "RU-KHANKAISKY",
    "species": "Panthera tigris altaica",
    "observed_at": "2024-05-31 14:30",
    "latitude": "44.95",
    "longitude": "132.45",
    "datum": "WGS84",
    "coordinate_uncertainty_m": "10",
    "count": "1",
    "count_min": "",
    "count_max": "",
    "unit": "",
    "evidence": "track",
    "sex": "",
    "age_class": "",
    "individual": "",
    "event": "",
    "notes": "good row",
}


def quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\n') else value


def csv_of(*rows: dict) -> SimpleUploadedFile:
    lines = [",".join(COLUMNS)] + [",".join(quoted(row[c]) for c in COLUMNS) for row in rows]
    return SimpleUploadedFile("rules.csv", ("\n".join(lines) + "\n").encode(), "text/csv")


@pytest.fixture
def anna(api, people, khankaisky):
    api.force_authenticate(people.ranger_ru)
    return people.ranger_ru


@pytest.fixture
def references(khankaisky, bastak):
    """A species nobody monitors, a known leopard, and survey events in two PAs."""
    Species.objects.create(
        scientific_name="Felis catus", name_en="Domestic cat", group="mammal", monitored=False
    )
    leopard = Individual.objects.create(
        species=Species.objects.get(scientific_name="Panthera pardus orientalis")
    )
    IndividualCode.objects.create(individual=leopard, catalogue="RU", code="L-7")
    tiger = Individual.objects.create(
        species=Species.objects.get(scientific_name="Panthera tigris altaica")
    )
    IndividualCode.objects.create(individual=tiger, catalogue="RU", code="T-12")
    started = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    here = SurveyEvent.objects.create(
        protected_area=khankaisky, kind="transect", started_at=started
    )
    there = SurveyEvent.objects.create(protected_area=bastak, kind="transect", started_at=started)
    return {"tiger": tiger, "event_here": here, "event_there": there}


def import_rows(api, *rows):
    answer = api.post("/api/v1/imports/", {"file": csv_of(*rows)}, format="multipart")
    assert answer.status_code == 201, answer.content
    return answer.json()


RULES = [
    # (what the row says, field, code)
    ({"species": "Panthera leo"}, "species", "unknown_species"),
    ({"species": "²"}, "species", "unknown_species"),
    ({"species": "999"}, "species", "unknown_species"),
    ({"species": "Felis catus"}, "species", "species_not_monitored"),
    ({"species": ""}, "species", "required"),
    ({"protected_area": "RU-ATLANTIS"}, "protected_area", "unknown_protected_area"),
    ({"protected_area": "RU-BASTAK"}, "protected_area", "not_your_protected_area"),
    ({"protected_area": "CN-XINGKAIHU"}, "protected_area", "not_your_protected_area"),
    ({"protected_area": ""}, "protected_area", "required"),
    ({"observed_at": ""}, "observed_at", "required"),
    ({"observed_at": "2100-01-01 10:00"}, "observed_at", "in_future"),
    ({"observed_at": "12.03.1985 10:00"}, "observed_at", "too_early"),
    ({"observed_at": "0001-01-01"}, "observed_at", "too_early"),
    ({"observed_at": "9999-12-31T23:59:59+14:00"}, "observed_at", "in_future"),
    ({"datum": "NAD27"}, "datum", "unknown_datum"),
    ({"longitude": ""}, "longitude", "coordinates_incomplete"),
    ({"latitude": "95"}, "latitude", "latitude_range"),
    ({"longitude": "200"}, "longitude", "longitude_range"),
    ({"latitude": "30.1", "longitude": "100.2"}, "latitude", "outside_amur_basin"),
    ({"count": "-1"}, "count", "count_negative"),
    ({"count_min": "-2", "count": "0"}, "count_min", "count_negative"),
    ({"count": "1", "count_min": "2", "count_max": "5"}, "count", "count_below_min"),
    ({"count": "6", "count_min": "2", "count_max": "5"}, "count", "count_above_max"),
    ({"count": "3", "count_min": "5", "count_max": "2"}, "count_min", "min_above_max"),
    ({"unit": "nests"}, "unit", "unit_not_allowed"),
    ({"evidence": ""}, "evidence", "required"),
    ({"evidence": "nest"}, "evidence", "evidence_not_allowed"),
    ({"individual": "RU T-999"}, "individual", "unknown_individual"),
    ({"individual": "RU L-7"}, "individual", "individual_other_species"),
    ({"event": str(uuid.uuid4())}, "event", "unknown_event"),
    ({"event": "not-a-uuid"}, "event", "unknown_event"),
    ({"event": "<there>"}, "event", "event_other_pa"),
]


@pytest.mark.parametrize(("change", "field", "code"), RULES, ids=[r[2] for r in RULES])
def test_a_row_breaking_a_rule_is_refused_and_the_good_row_kept(
    api, anna, references, change, field, code
):
    """The bad row's problem is named with its row, column and stable code."""
    bad = {**GOOD, **change, "notes": "bad row"}
    if bad["event"] == "<there>":
        bad["event"] = str(references["event_there"].pk)
    body = import_rows(api, GOOD, bad)
    assert body["created"] == 1
    assert body["invalid_rows"] == 1
    assert (body["errors"][0]["row"], body["errors"][0]["column"]) == (3, field)
    assert code in [e["code"] for e in body["errors"]]
    assert all(e["message"] for e in body["errors"])
    assert not Observation.objects.filter(notes="bad row").exists()


def test_a_point_far_outside_a_pas_known_boundary_is_refused(api, anna, khankaisky):
    """Where the PA's boundary is known, a point 50 km outside it is refused."""
    lat, lon = khankaisky.centroid_lat, khankaisky.centroid_lon
    square = [[lon - 0.1, lat - 0.1], [lon + 0.1, lat - 0.1], [lon + 0.1, lat + 0.1]]
    khankaisky.boundary = {"type": "Polygon", "coordinates": [[*square, [lon - 0.1, lat + 0.1]]]}
    khankaisky.boundary["coordinates"][0].append(square[0])
    khankaisky.save()
    inside = {**GOOD, "latitude": str(lat), "longitude": str(lon)}
    outside = {**inside, "latitude": str(lat + 0.5), "notes": "bad row"}
    body = import_rows(api, inside, outside)
    assert body["created"] == 1
    assert body["errors"][0]["code"] == "outside_protected_area"


CELLS = [
    # (what the cell says, field, code): cells that cannot be read
    ({"latitude": "north"}, "latitude", "not_a_number"),
    ({"latitude": "44°57'N"}, "latitude", "not_a_number"),
    ({"longitude": "nan"}, "longitude", "not_a_number"),
    ({"longitude": "inf"}, "longitude", "not_a_number"),
    ({"coordinate_uncertainty_m": "-5"}, "coordinate_uncertainty_m", "negative"),
    ({"count": "two"}, "count", "not_a_number"),
    ({"count": "2.5"}, "count", "not_whole"),
    ({"count": "99999999999"}, "count", "too_large"),
    ({"observed_at": "yesterday"}, "observed_at", "bad_datetime"),
    ({"observed_at": "31.02.2024 10:00"}, "observed_at", "bad_datetime"),
    ({"evidence": "rumour"}, "evidence", "unknown_evidence"),
    ({"sex": "both"}, "sex", "unknown_sex"),
    ({"age_class": "ancient"}, "age_class", "unknown_age_class"),
    ({"unit": "dozens"}, "unit", "unknown_unit"),
    ({"notes": "x" * 5001}, "notes", "too_long"),
    ({"notes": '=HYPERLINK("http://evil.example","click")'}, "notes", "formula"),
    ({"notes": "@SUM(A1:A2)"}, "notes", "formula"),
    ({"notes": "+cmd|' /C calc'!A0"}, "notes", "formula"),
    ({"notes": "-2+3+cmd|' /C calc'!A0"}, "notes", "formula"),
    ({"species": "=1+1"}, "species", "formula"),
    ({"count": "=1+1"}, "count", "formula"),
]


@pytest.mark.parametrize(("change", "field", "code"), CELLS, ids=[c[2] for c in CELLS])
def test_a_cell_that_cannot_be_read_is_a_clear_error_of_its_row(api, anna, change, field, code):
    """Non-numbers, unknown words, dates nobody writes, formulas: named, the row refused."""
    body = import_rows(api, GOOD, {**GOOD, **change})
    assert body["created"] == 1
    assert [(e["row"], e["column"], e["code"]) for e in body["errors"]] == [(3, field, code)]
    assert Observation.objects.count() == 1


def test_negative_numbers_are_numbers_not_formulas(api, anna):
    """ "-1" in a count is a negative count (a rule), not a formula."""
    body = import_rows(api, {**GOOD, "count": "-1"})
    assert [e["code"] for e in body["errors"]] == ["count_negative"]


def test_a_known_individual_is_linked_by_its_catalogue_code(api, anna, references):
    """ "RU T-12" names Anna's tiger; the record links to it."""
    import_rows(api, {**GOOD, "individual": "RU T-12"})
    assert Observation.objects.get().individual == references["tiger"]


def test_a_known_individual_is_linked_by_its_uuid(api, anna, references):
    """The individual's UUID works as well as its code, in any case."""
    import_rows(api, {**GOOD, "individual": str(references["tiger"].pk).upper()})
    assert Observation.objects.get().individual == references["tiger"]


def test_a_survey_event_of_the_pa_is_linked(api, anna, references):
    """A row may belong to a survey event of its PA (by the event's UUID)."""
    import_rows(api, {**GOOD, "event": str(references["event_here"].pk)})
    assert Observation.objects.get().event == references["event_here"]


@pytest.mark.parametrize(
    ("written", "utc"),
    [
        ("2024-05-31 14:30", dt.datetime(2024, 5, 31, 4, 30, tzinfo=dt.UTC)),
        ("2024-05-31T14:30:15", dt.datetime(2024, 5, 31, 4, 30, 15, tzinfo=dt.UTC)),
        ("2024-05-31T14:30+08:00", dt.datetime(2024, 5, 31, 6, 30, tzinfo=dt.UTC)),
        ("2024-05-31T04:30:00Z", dt.datetime(2024, 5, 31, 4, 30, tzinfo=dt.UTC)),
        ("31.05.2024 14:30", dt.datetime(2024, 5, 31, 4, 30, tzinfo=dt.UTC)),
        ("31.05.2024", dt.datetime(2024, 5, 30, 14, 0, tzinfo=dt.UTC)),
        ("2024/05/31 14:30", dt.datetime(2024, 5, 31, 4, 30, tzinfo=dt.UTC)),
        ("2024/5/31 9:05", dt.datetime(2024, 5, 30, 23, 5, tzinfo=dt.UTC)),
        ("2024年5月31日 14:30", dt.datetime(2024, 5, 31, 4, 30, tzinfo=dt.UTC)),
    ],
)
def test_dates_are_read_in_the_usual_forms_as_the_pas_local_time(api, anna, written, utc):
    """ISO 8601, Russian and Chinese forms; without a zone it is Khankaisky's time (UTC+10)."""
    body = import_rows(api, {**GOOD, "observed_at": written})
    assert body["created"] == 1, body["errors"]
    assert Observation.objects.get().observed_at == utc


def test_words_of_the_three_languages_are_understood(api, anna):
    """Species, evidence, sex, age and unit in Russian or Chinese; a decimal comma."""
    rows = [
        {**GOOD, "species": "амурский тигр", "evidence": "след", "sex": "самец", "notes": "1"},
        {**GOOD, "species": "东北虎", "evidence": "足迹", "sex": "雌", "notes": "2"},
        {
            **GOOD,
            "species": "Red-crowned crane",
            "evidence": "Sighting",
            "age_class": "взрослый",
            "unit": "гнёзда",
            "latitude": "44,95",
            "notes": "3",
        },
    ]
    body = import_rows(api, *rows)
    assert body["created"] == 3, body["errors"]
    one, two, three = (Observation.objects.get(notes=n) for n in "123")
    assert (one.evidence, one.sex) == ("track", "male")
    assert (two.species.scientific_name, two.sex) == ("Panthera tigris altaica", "female")
    assert (three.age_class, three.unit, three.latitude) == ("adult", "nests", 44.95)


def test_gcj02_coordinates_are_converted_to_wgs84(api, anna):
    """A row declaring GCJ-02 (Chinese map apps) is stored in WGS-84, a few hundred m away."""
    import_rows(api, {**GOOD, "datum": "GCJ-02"})
    stored = Observation.objects.get()
    assert stored.latitude != 44.95
    assert abs(stored.latitude - 44.95) < 0.01
    assert abs(stored.longitude - 132.45) < 0.01


def test_empty_cells_take_the_defaults(api, anna):
    """Count 1, sex and age unknown, the species' own counting unit."""
    import_rows(api, {**GOOD, "count": "", "coordinate_uncertainty_m": ""})
    stored = Observation.objects.get()
    assert (stored.count, stored.sex, stored.age_class, stored.unit) == (
        1,
        "unknown",
        "unknown",
        "individuals",
    )
    assert stored.coordinate_uncertainty_m is None


ODD_CELLS = [
    "",
    "-",
    "+",
    "=",
    "@",
    "²",
    "٣",
    "-1",
    "1e309",
    "NaN",
    "1,5",
    ".",
    "∞",
    "2024-02-30",
    "31.12.1999 25:61",
    "0001-01-01",
    "9999-12-31T23:59:59+14:00",
    "RU T-12",
    "\x00",
    "\u202e",
    "😀",
    "Ё",
    "gcj02",
    "null",
    "x" * 300,
    "1" * 40,
    "00000000-0000-0000-0000-000000000000",
    "ru-bastak",
    "东北虎",
]


def test_whatever_the_cells_say_each_row_is_checked_or_refused(people, khankaisky):
    """3,000 good rows with up to three odd cells each: every row ends checked or with its
    errors named; nothing escapes as an exception."""
    import random

    from django.utils import timezone

    from observations.access import access_for
    from observations.imports.rows import ImportReference, RowReader, plan_columns

    reader = RowReader(
        plan_columns(COLUMNS),
        access=access_for(people.ranger_ru),
        ref=ImportReference.preloaded(),
        now=timezone.now(),
    )
    rnd = random.Random(20240531)
    checked = refused = 0
    for number in range(2, 3002):
        cells = [GOOD[c] for c in COLUMNS]
        for _ in range(rnd.randint(1, 3)):
            cells[rnd.randrange(len(cells))] = rnd.choice(ODD_CELLS)
        row = reader.read(number, cells)
        assert bool(row.cleaned) != bool(row.errors)
        assert all(e["message"] and e["column"] for e in row.errors)
        checked += bool(row.cleaned)
        refused += bool(row.errors)
    assert checked > 50 and refused > 1000
