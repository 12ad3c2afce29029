"""The Darwin Core Archive, read back by an independent reader (python-dwca-reader).

coordinator_ru exports the Khanka Lake records as a DwC-A: an event core (the winter
track route with its effort, and one "incidental" event per PA and day for records
without a survey), an occurrence extension, meta.xml and eml.xml. Every required term is
there, every occurrence points at an event, places are generalised as the rule says and
say so, and the EML carries the title, the licence and the contacts.
"""

import pytest
from dwca.read import DwCAReader

from exchange.exports.dwca.columns import DWC, ECO, EVENT_ROW, OCCURRENCE_ROW

from .export_stories import expected_place, export_file, make_khanka

pytestmark = [pytest.mark.django_db, pytest.mark.celery]


@pytest.fixture
def khanka(people, khankaisky, xingkaihu):
    return make_khanka(people, khankaisky, xingkaihu)


REQUIRED_EVENT_TERMS = [
    DWC + "eventID",
    DWC + "eventType",
    DWC + "eventDate",
    DWC + "samplingProtocol",
    DWC + "countryCode",
    DWC + "locality",
    DWC + "decimalLatitude",
    DWC + "decimalLongitude",
    DWC + "geodeticDatum",
    DWC + "coordinateUncertaintyInMeters",
    DWC + "dataGeneralizations",
    ECO + "samplingEffortValue",
    ECO + "samplingEffortUnit",
    ECO + "isSamplingEffortReported",
    ECO + "eventDurationValue",
    ECO + "eventDurationUnit",
    ECO + "protocolNames",
]
REQUIRED_OCCURRENCE_TERMS = [
    DWC + "occurrenceID",
    DWC + "basisOfRecord",
    DWC + "eventDate",
    DWC + "scientificName",
    DWC + "kingdom",
    DWC + "taxonRank",
    DWC + "occurrenceStatus",
    DWC + "individualCount",
    DWC + "organismQuantity",
    DWC + "organismQuantityType",
    DWC + "decimalLatitude",
    DWC + "decimalLongitude",
    DWC + "geodeticDatum",
    DWC + "coordinateUncertaintyInMeters",
    DWC + "dataGeneralizations",
    DWC + "informationWithheld",
    DWC + "countryCode",
]


@pytest.fixture
def archive(celery_worker, people, khanka, tmp_path):
    job, data = export_file(
        people.coordinator_ru,
        "dwca",
        title="Khanka Lake tigers and cranes 2024",
        licence="CC-BY-4.0",
        purpose="internal",
    )
    assert job["filename"].endswith(".zip") and job["total_rows"] == 4
    path = tmp_path / "khanka.zip"
    path.write_bytes(data)
    with DwCAReader(str(path)) as reader:
        yield reader


@pytest.fixture
def published(celery_worker, people, khanka, tmp_path):
    """The same archive asked for publication (the default purpose)."""
    job, data = export_file(people.coordinator_ru, "dwca", title="Khanka Lake, for GBIF")
    assert job["purpose"] == "publication"
    path = tmp_path / "published.zip"
    path.write_bytes(data)
    with DwCAReader(str(path)) as reader:
        yield reader


def test_an_archive_for_publication_generalises_every_sensitive_record_by_grid_snapping(
    published, people, khanka
):
    """Each record at its species' sensitivity whoever asked (GBIF's guidance on sensitive
    species: a grid cell, never a random offset), with the DwC terms that say so; the
    notes of a generalised record are withheld; eml.xml says how."""
    rows = {row.data[DWC + "occurrenceID"]: row for event in published for row in event.extensions}
    for name in ("ru_tiger", "ru_cranes", "cn_tiger", "cn_cranes"):
        record, row = khanka[name], rows[str(khanka[name].pk)].data
        place = expected_place(people.coordinator_ru, record, internal=False)
        assert place.generalised
        assert _float(row[DWC + "decimalLatitude"]) == place.latitude
        assert _float(row[DWC + "decimalLongitude"]) == place.longitude
        assert int(row[DWC + "coordinateUncertaintyInMeters"]) == place.uncertainty_m
        assert "grid cell" in row[DWC + "dataGeneralizations"]
        assert "withheld" in row[DWC + "informationWithheld"]
        assert row[DWC + "occurrenceRemarks"] == ""
    route = {e.id: e for e in published}[str(khanka["route"].pk)]
    assert route.data[DWC + "decimalLatitude"] == "44.95"  # the station rule: 10 km
    eml = published.metadata.decode() if isinstance(published.metadata, bytes) else ""
    eml = eml or published.open_included_file("eml.xml").read()
    assert "never by random offsets" in str(eml) and "GBIF" in str(eml)
    assert "INTERNAL" not in str(eml)


def _float(text):
    return float(text) if text else None


def test_the_archive_has_an_event_core_and_an_occurrence_extension(archive):
    assert archive.descriptor.core.type == EVENT_ROW
    assert [e.type for e in archive.descriptor.extensions] == [OCCURRENCE_ROW]
    core_terms = archive.descriptor.core.terms
    occurrence_terms = archive.descriptor.extensions[0].terms
    assert [t for t in REQUIRED_EVENT_TERMS if t not in core_terms] == []
    assert [t for t in REQUIRED_OCCURRENCE_TERMS if t not in occurrence_terms] == []
    assert archive.orphaned_extension_rows() == {"occurrence.txt": {}}  # none without event


def test_every_occurrence_is_there_generalised_as_the_rule_says(archive, people, khanka):
    occurrences = {}
    for event in archive:
        for row in event.extensions:
            occurrences[row.data[DWC + "occurrenceID"]] = (event, row)
    names = ("ru_tiger", "ru_cranes", "cn_tiger", "cn_cranes")
    assert set(occurrences) == {str(khanka[n].pk) for n in names}
    for name in names:
        record = khanka[name]
        _event, row = occurrences[str(record.pk)]
        place = expected_place(people.coordinator_ru, record)
        assert _float(row.data[DWC + "decimalLatitude"]) == place.latitude
        assert _float(row.data[DWC + "decimalLongitude"]) == place.longitude
        uncertainty = row.data[DWC + "coordinateUncertaintyInMeters"]
        assert (int(uncertainty) if uncertainty else None) == place.uncertainty_m
        says = row.data[DWC + "dataGeneralizations"]
        assert bool(says) == place.generalised
        assert row.data[DWC + "geodeticDatum"] == "WGS84"
    cn_tiger = occurrences[str(khanka["cn_tiger"].pk)][1].data
    assert "0.1 degree" in cn_tiger[DWC + "dataGeneralizations"]
    assert cn_tiger[DWC + "informationWithheld"]
    assert int(cn_tiger[DWC + "coordinateUncertaintyInMeters"]) > 5000
    assert occurrences[str(khanka["ru_tiger"].pk)][1].data[DWC + "informationWithheld"] == ""


def test_the_tiger_sits_in_its_track_route_and_the_cranes_in_incidental_days(archive, khanka):
    events = {row.id: row for row in archive}
    route = events[str(khanka["route"].pk)]
    assert route.data[DWC + "eventType"] == "Survey"
    assert route.data[DWC + "samplingProtocol"] == "winter track census, route 7"
    assert route.data[DWC + "eventDate"] == "2024-01-20T01:00:00Z/2024-01-20T06:30:00Z"
    assert float(route.data[ECO + "samplingEffortValue"]) == 14.5
    assert route.data[ECO + "samplingEffortUnit"] == "km"
    assert route.data[ECO + "eventDurationValue"] == "5.50"
    assert route.data[ECO + "protocolNames"] == "snow_track"
    assert route.data[DWC + "decimalLatitude"] == "44.9812345"  # she oversees Khankaisky
    [tiger] = route.extensions
    assert tiger.data[DWC + "organismQuantityType"] == "tracks"
    assert tiger.data[DWC + "individualCount"] == ""  # tracks are not individuals
    assert tiger.data[DWC + "occurrenceRemarks"] == 'fresh tracks crossing the "ice" \\ west'

    # 21:15 UTC on 1 May: the incidental event of that UTC day.
    incidental = events["incidental:RU-KHANKAISKY:2024-05-01"]
    assert incidental.data[DWC + "eventType"] == "Incidental"
    assert incidental.data[DWC + "eventDate"] == "2024-05-01"
    assert [r.data[DWC + "occurrenceID"] for r in incidental.extensions] == [
        str(khanka["ru_cranes"].pk)
    ]
    cranes = incidental.extensions[0].data
    assert (cranes[DWC + "individualCount"], cranes[DWC + "basisOfRecord"]) == (
        "2",
        "HumanObservation",
    )
    assert cranes[DWC + "scientificName"] == "Grus japonensis"
    assert cranes[DWC + "taxonRank"] == "species" and cranes[DWC + "kingdom"] == "Animalia"
    assert "incidental:CN-XINGKAIHU:2024-05-02" in events


def test_the_eml_has_title_licence_and_contacts(archive, people):
    eml = archive.metadata
    dataset = eml.find("dataset")
    assert dataset.findtext("title") == "Khanka Lake tigers and cranes 2024"
    assert dataset.find("licensed/identifier").text == "CC-BY-4.0"
    assert "creativecommons.org/licenses/by/4.0" in dataset.find(
        "intellectualRights/para/ulink"
    ).get("url")
    assert dataset.find("creator/organizationName").text
    assert (
        dataset.find("contact/individualName/surName").text == people.coordinator_ru.get_username()
    )
    assert dataset.findtext("pubDate")
    assert [t.text for t in dataset.iter("taxonRankValue")] == [
        "Grus japonensis",
        "Panthera tigris altaica",
    ]
    assert (
        dataset.find("coverage/temporalCoverage/rangeOfDates/beginDate/calendarDate").text
        == "2024-01-20"
    )
    assert "generalised" in dataset.find("methods/methodStep/description/para").text
