"""Every path a record takes carries every field of its description
(observations.records.kinds), or the description says why not.

A field added to the description and forgotten by one path fails here, by name; a
path that leaves a field out on purpose declares it in the field's ``left_out``.
"""

import csv
import datetime as dt
import io
import uuid
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone, translation
from dwca.read import DwCAReader

from exchange import feed
from exchange.datasets import checksum
from exchange.datasets.api.serializers import RowOutput
from exchange.datasets.query import row_expressions
from exchange.exports import dataset as dataset_export
from exchange.exports import query as export_query
from exchange.exports.dwca.columns import COREID, uri
from exchange.exports.dwca.terms import version_occurrence_columns
from exchange.models import Node, SyncState
from exchange.partners.agreements import agreement_save
from exchange.sync import apply as sync
from observations.access import access_for
from observations.disclosure import PUBLIC
from observations.imports import headers as columns
from observations.models import Observation, RecordStatus, Species, SurveyEvent
from observations.records import kinds, services
from observations.records.api.serializers import (
    EventInput,
    EventOutput,
    ObservationInput,
    ObservationOutput,
)
from observations.records.forms import ObservationForm
from observations.records.kinds import EVENT, OBSERVATION
from tests.exchange.export_stories import export_file, make_khanka

RECORD_KINDS = [OBSERVATION, EVENT]


def names_on(kind, path, *, by="wire"):
    return {getattr(f, by) for f in kind.on(path)}


def missing(kind, path, have, *, by="wire"):
    """Fields of ``kind`` meant for ``path`` that it does not carry."""
    return sorted(names_on(kind, path, by=by) - set(have))


# --- the descriptions themselves -----------------------------------------------------------


@pytest.mark.parametrize("kind", list(kinds.KINDS.values()), ids=lambda k: k.feed_kind)
def test_each_field_is_a_model_field_and_each_exclusion_says_why(kind):
    model_fields = {f.name for f in kind.model._meta.get_fields()}
    for f in kind.fields:
        if kind is not kinds.MEDIA or f.name != "station":  # the deployment's station
            assert f.name in model_fields, f"{kind.feed_kind}.{f.name} is not a model field"
        for path, why in f.left_out.items():
            assert path in kind.paths and why.strip(), f"{kind.feed_kind}.{f.name}: {path}"
        assert not (f.disclosure and f.received)


def test_the_feed_names_its_kinds_as_the_descriptions_do():
    assert {feed.OBSERVATION, feed.EVENT, feed.INDIVIDUAL, feed.REMARK, feed.MEDIA} == set(
        kinds.KINDS
    )
    assert set(sync.MODELS.items()) == {(k.feed_kind, k.model) for k in kinds.KINDS.values()}


def test_the_content_is_what_the_service_compares(people, khankaisky):
    ranger = access_for(people.ranger_ru)
    obs, _ = services.observation_create(
        access=ranger, user=people.ranger_ru, values=_observation_values(khankaisky)
    )
    stored = {name: getattr(obs, name) for name in OBSERVATION.content}
    assert services.same_content(OBSERVATION, obs, stored)
    assert kinds.same_content("observation", obs, {**stored, "latitude": 44.95123400001})
    for name in OBSERVATION.content:
        changed = {**stored, name: _another(obs, name)}
        assert not services.same_content(OBSERVATION, obs, changed), name


def test_status_sets_are_named_once():
    assert RecordStatus.EDITABLE == (RecordStatus.DRAFT, RecordStatus.REJECTED)
    assert RecordStatus.SHARED_BY_DEFAULT == (RecordStatus.VERIFIED,)
    assert "EDITABLE" not in RecordStatus.__members__  # a set, not a status


# --- writing paths ---------------------------------------------------------------------


def test_the_form_takes_the_whole_content(people, khankaisky):
    form = ObservationForm(
        _form_data(khankaisky), access=access_for(people.ranger_ru), user=people.ranger_ru
    )
    assert missing(OBSERVATION, kinds.FORM, form.fields, by="name") == []
    assert form.is_valid(), form.errors
    assert missing(OBSERVATION, kinds.FORM, form.values(), by="name") == []
    assert "datum" in form.values()


@pytest.mark.parametrize(
    ("kind", "serializer"), [(OBSERVATION, ObservationInput), (EVENT, EventInput)]
)
def test_the_api_takes_the_whole_content(kind, serializer):
    assert missing(kind, kinds.API_INPUT, serializer().fields) == []
    assert set(serializer().fields) - {"id"} == set(kind.input_names())


def test_a_file_import_knows_a_column_for_the_whole_content():
    known = set(columns.header_map().values()) | set(columns.FIELDS)
    assert missing(OBSERVATION, kinds.IMPORT, known) == []


# --- reading paths ---------------------------------------------------------------------


def test_the_api_answers_every_field(people, khankaisky):
    obs, event = _filed(people, khankaisky)
    context = {"access": access_for(people.ranger_ru)}
    observation = ObservationOutput(obs, context=context).data
    assert missing(OBSERVATION, kinds.API, observation) == []
    assert list(observation) == list(ObservationOutput.Meta.fields)
    shown = EventOutput(event, context=context).data
    assert missing(EVENT, kinds.API, shown) == []
    assert list(shown) == list(EventOutput.Meta.fields)


@pytest.fixture
def partner(seeds):
    return Node.objects.create(code="CN", base_url="http://127.0.0.1:9", public_key="x")


@pytest.fixture
def terms(partner, people):
    agreement = agreement_save(
        partner=partner,
        user=people.coordinator_ru,
        species=list(Species.objects.filter(jointly_monitored=True)),
        protected_areas=[],
        statuses=["verified"],
        embargo_days=0,
        precision={},
        media_level="none",
        licence="CC-BY-4.0",
    )
    return feed.Terms(agreement)


def test_the_feed_sends_every_field(people, khankaisky, terms):
    obs, event = _filed(people, khankaisky)
    assert missing(OBSERVATION, kinds.FEED, feed.observation_payload(obs, terms)) == []
    assert missing(EVENT, kinds.FEED, feed.event_payload(event, terms)) == []


def test_no_place_or_free_text_leaves_unless_the_policy_was_asked(people, khankaisky):
    obs, _event = _filed(people, khankaisky)
    with pytest.raises(KeyError, match="disclosure policy"):
        OBSERVATION.to_wire(obs, kinds.FEED, shown={"latitude": 1, "longitude": 2})


def test_a_dataset_row_holds_every_field(seeds):
    expressions = row_expressions(uuid.uuid4(), "exact")
    have = set(checksum.FIELDS) & set(expressions) & set(RowOutput.Meta.fields)
    assert missing(OBSERVATION, kinds.DATASET, have, by="dataset") == []


# --- the exports ------------------------------------------------------------------------
#
# A field is exported (a column of CSV, XLSX and GeoJSON; a term of the Darwin Core
# Archive) unless it says why not (``left_out``); the tests build the files and look.

EXPORTED = [(OBSERVATION, kinds.EXPORT), (OBSERVATION, kinds.DWCA), (EVENT, kinds.DWCA)]


@pytest.mark.parametrize(("kind", "path"), EXPORTED, ids=lambda v: getattr(v, "feed_kind", v))
def test_each_exported_field_names_its_column_and_each_other_says_why(kind, path):
    assert path in kind.paths
    for f in kind.fields:
        if path in f.left_out:
            assert f.left_out[path].strip(), f"{kind.feed_kind}.{f.name}: say why"
        elif path == kinds.EXPORT:
            assert f.column and str(f.label).strip(), f"{kind.feed_kind}.{f.name}: no header"
        else:
            assert f.dwc, f"{kind.feed_kind}.{f.name}: no Darwin Core term, nor why not"
    # A content field that no export writes is declared, not forgotten.
    on_the_path = {f.name for f in kind.on(path)}
    for name in kind.content:
        assert name in on_the_path or path in kind[name].left_out, name


@pytest.fixture
def khanka(people, khankaisky, xingkaihu):
    return make_khanka(people, khankaisky, xingkaihu)


@pytest.mark.celery
def test_a_csv_export_has_a_column_for_every_exported_field(celery_worker, people, khanka):
    _job, data = export_file(people.coordinator_ru, "csv", language="en", purpose="internal")
    header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    with translation.override("en"):
        labels = {str(f.label) for f in OBSERVATION.on(kinds.EXPORT)}
    assert sorted(labels - set(header)) == []


def test_geojson_and_a_dataset_version_have_a_key_for_every_exported_field(seeds):
    live = [key for key, _l, _e in export_query.tabular_columns(PUBLIC, "en")]
    assert missing(OBSERVATION, kinds.EXPORT, live, by="column") == []
    assert live[: len(export_query.LAYOUT)] == list(export_query.LAYOUT)  # as always
    frozen = [key for key, _l, _e in dataset_export.tabular_columns("en")]
    in_a_dataset = {f.column for f in OBSERVATION.on(kinds.EXPORT) if f.on(kinds.DATASET)}
    assert sorted(in_a_dataset - set(frozen)) == []
    assert "source" in live and "source" not in frozen  # kinds: a dataset leaves it out


def _terms(kind) -> set[str]:
    return {uri(term) for f in kind.on(kinds.DWCA) for term in f.dwc}


@pytest.mark.celery
def test_a_darwin_core_archive_has_a_term_for_every_exported_field(
    celery_worker, people, khanka, tmp_path
):
    _job, data = export_file(people.coordinator_ru, "dwca", purpose="internal")
    path = tmp_path / "archive.zip"
    path.write_bytes(data)
    with DwCAReader(str(path)) as reader:
        core = set(reader.descriptor.core.terms)
        extension = reader.descriptor.extensions[0]
        occurrence = set(extension.terms)
        assert extension.coreid_index is not None
    assert sorted(_terms(EVENT) - core) == []
    # The record's survey event is the extension row's coreid, not a term of its own.
    assert sorted(_terms(OBSERVATION) - occurrence) == [uri("eventID")]
    assert COREID not in occurrence


def test_a_dataset_version_archive_has_a_term_for_every_exported_field(seeds):
    columns = version_occurrence_columns(
        dataset_id="d", dataset_name="n", licence="CC-BY-4.0", subspecies=[]
    )
    assert sorted(_terms(OBSERVATION) - {c.term for c in columns}) == []


# --- the sync's receiving side ---------------------------------------------------------


def test_the_sync_stores_every_content_field_it_receives(partner, xingkaihu, seeds):
    SyncState.objects.create(partner=partner)
    event_id, obs_id, ind_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    when = timezone.now() - dt.timedelta(days=2)
    sent_event = {
        "protected_area": xingkaihu.code,
        "kind": "transect",
        "started_at": _iso(when),
        "ended_at": _iso(when + dt.timedelta(hours=3)),
        "latitude": 45.2,
        "longitude": 132.5,
        "effort_km": "12.50",
        "effort_trap_nights": "3.0",
        "effort_hours": "2.25",
        "team": "CN-RANGERS",
        "joint_team": True,
        "protocol": "line transect",
        "notes": "windy",
        "status": "verified",
    }
    sent_obs = {
        "protected_area": xingkaihu.code,
        "species": "Grus japonensis",
        "event": str(event_id),
        "observed_at": _iso(when + dt.timedelta(hours=1)),
        "latitude": 45.21,
        "longitude": 132.51,
        "coordinate_uncertainty_m": 30,
        "count": 4,
        "count_min": 3,
        "count_max": 6,
        "unit": "individuals",
        "sex": "female",
        "age_class": "adult",
        "evidence": "sighting",
        "individual": str(ind_id),
        "notes": "near the reeds",
        "status": "verified",
        "observer_code": "CN-0123456789",
    }
    individual = {"species": "Grus japonensis", "sex": "female", "label": "A", "codes": []}
    page = {
        "protocol": "amur-exchange-feed/1",
        "node": "CN",
        "partner": settings.NODE_CODE,
        "until": 3,
        "head": 3,
        "items": [
            {"seq": 1, "kind": "individual", "id": str(ind_id), "action": "upsert"}
            | {"data": individual},
            {"seq": 2, "kind": "event", "id": str(event_id), "action": "upsert"}
            | {"data": sent_event},
            {"seq": 3, "kind": "observation", "id": str(obs_id), "action": "upsert"}
            | {"data": sent_obs},
        ],
    }
    result = sync.apply_page(partner, page)
    assert result.rejected == [] and result.upserts == 3

    for kind, record_id, data in [
        (EVENT, event_id, sent_event),
        (OBSERVATION, obs_id, sent_obs),
    ]:
        stored = kind.model.objects.select_related("protected_area").get(pk=record_id)
        assert stored.origin_node == "CN"
        for f in kind.on(kinds.SYNC):
            if f.name == "species":
                assert stored.species.scientific_name == data["species"]
                continue
            got = f.to_wire(stored)
            assert got == data[f.wire], f"{kind.feed_kind}.{f.name}: {got!r} != {data[f.wire]!r}"
    assert set(sync.OBS_FIELDS) >= set(OBSERVATION.content)
    assert set(sync.EVENT_FIELDS) >= set(EVENT.content)


# --- helpers ---------------------------------------------------------------------------


def _iso(value):
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def _observation_values(pa, **values):
    return {
        "protected_area": pa,
        "species": "Grus japonensis",
        "observed_at": timezone.now() - dt.timedelta(days=1),
        "latitude": 44.951234,
        "longitude": 132.451234,
        "coordinate_uncertainty_m": 25,
        "count": 3,
        "count_min": 2,
        "count_max": 5,
        "evidence": "sighting",
        "sex": "male",
        "age_class": "adult",
        "notes": "at the lake",
        **values,
    }


def _filed(people, pa):
    """A verified event and an observation in it, filed by the Russian ranger."""
    ranger, manager = access_for(people.ranger_ru), access_for(people.manager_ru)
    event, _ = services.event_create(
        access=ranger,
        user=people.ranger_ru,
        values={
            "protected_area": pa,
            "kind": "transect",
            "started_at": timezone.now() - dt.timedelta(days=2),
            "latitude": 44.95,
            "longitude": 132.45,
            "effort_km": Decimal("4.5"),
            "team": "RU-TEAM",
            "protocol": "route 3",
            "notes": "calm",
        },
    )
    obs, _ = services.observation_create(
        access=ranger, user=people.ranger_ru, values=_observation_values(pa, event=str(event.pk))
    )
    for record in (event, obs):
        services.record_submit(access=ranger, user=people.ranger_ru, record=record)
        services.record_verify(access=manager, user=people.manager_ru, record=record)
    obs = Observation.objects.select_related("protected_area", "species").get(pk=obs.pk)
    event = SurveyEvent.objects.select_related("protected_area").get(pk=event.pk)
    return obs, event


def _form_data(pa):
    local = timezone.localtime(timezone.now() - dt.timedelta(days=1), pa.tz)
    return {
        "id": str(uuid.uuid4()),
        "protected_area": pa.code,
        "species": str(Species.objects.get(scientific_name="Grus japonensis").pk),
        "evidence": "sighting",
        "observed_at": local.strftime("%Y-%m-%dT%H:%M"),
        "count": "3",
        "latitude": "44.95",
        "longitude": "132.45",
        "datum": "WGS84",
        "count_min": "2",
        "count_max": "5",
        "unit": "",
        "sex": "male",
        "age_class": "adult",
        "individual": "",
        "event": "",
        "coordinate_uncertainty_m": "20",
        "notes": "seen",
    }


def _another(obs, name):
    """A value of ``name`` other than the stored one, as a re-send might say it."""
    others = {
        "protected_area": obs.protected_area_id + 1,
        "species": obs.species_id + 1,
        "event": uuid.uuid4(),
        "observed_at": obs.observed_at + dt.timedelta(minutes=1),
        "latitude": obs.latitude + 0.001,
        "longitude": obs.longitude + 0.001,
        "coordinate_uncertainty_m": 999,
        "count": obs.count + 1,
        "count_min": 0,
        "count_max": 99,
        "unit": "pairs",
        "sex": "female",
        "age_class": "juvenile",
        "evidence": "track",
        "individual": uuid.uuid4(),
        "notes": "something else",
    }
    return others[name]
