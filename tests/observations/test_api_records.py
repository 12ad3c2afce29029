"""The records API: /api/v1/observations/ and /api/v1/events/.

ranger_ru files crane and tiger records at Khankaisky from a field app;
manager_ru reviews them; outsider (a ranger of Bastak), the reviewer and the
coordinators look on.
"""

import datetime as dt
import uuid

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from observations.models import Observation, RecordStatus

pytestmark = pytest.mark.django_db

YESTERDAY = (timezone.now() - dt.timedelta(days=1)).replace(microsecond=0)


def crane(**overrides):
    body = {
        "protected_area": "RU-KHANKAISKY",
        "species": "Grus japonensis",
        "observed_at": YESTERDAY.isoformat(),
        "latitude": 44.951234,
        "longitude": 132.451234,
        "count": 4,
        "evidence": "sighting",
    }
    body.update(overrides)
    return body


@pytest.fixture
def as_(people):
    """An API client logged in as one of the people (by token, as a field app does)."""
    from rest_framework.authtoken.models import Token

    def client(name):
        api = APIClient()
        if name:
            token, _ = Token.objects.get_or_create(user=getattr(people, name))
            api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return api

    return client


@pytest.fixture
def filed(as_):
    """Files a record as ranger_ru and returns its JSON."""

    def file(**overrides):
        response = as_("ranger_ru").post("/api/v1/observations/", crane(**overrides), format="json")
        assert response.status_code == 201, response.json()
        return response.json()

    return file


# --- creating -------------------------------------------------------------------


def test_a_ranger_files_a_record_as_a_draft(filed, people):
    body = filed()
    assert body["status"] == "draft" and body["source"] == "api"
    assert body["species"] == "Grus japonensis" and body["protected_area"] == "RU-KHANKAISKY"
    assert body["observer_code"].startswith("RU-") and "ranger" not in body["observer_code"]
    assert Observation.objects.get(pk=body["id"]).created_by == people.ranger_ru


def test_sending_the_same_record_twice_creates_it_once(as_):
    api, record_id = as_("ranger_ru"), str(uuid.uuid4())
    first = api.post("/api/v1/observations/", crane(id=record_id), format="json")
    again = api.post("/api/v1/observations/", crane(id=record_id), format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == record_id
    assert Observation.objects.filter(pk=record_id).count() == 1


def test_the_same_id_with_other_content_is_a_conflict(as_):
    api, record_id = as_("ranger_ru"), str(uuid.uuid4())
    api.post("/api/v1/observations/", crane(id=record_id), format="json")
    response = api.post("/api/v1/observations/", crane(id=record_id, count=9), format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "id_conflict"
    assert Observation.objects.get(pk=record_id).count == 4


def test_someone_elses_id_is_a_conflict_that_reveals_nothing(as_, people):
    record_id = str(uuid.uuid4())
    as_("ranger_ru").post("/api/v1/observations/", crane(id=record_id), format="json")
    response = as_("manager_ru").post("/api/v1/observations/", crane(id=record_id), format="json")
    assert response.status_code == 409
    assert "count" not in response.json()


@pytest.mark.parametrize(
    "overrides,field,code",
    [
        ({"species": "Felis catus"}, "species", "unknown_species"),
        ({"observed_at": "2099-01-01T00:00:00Z"}, "observed_at", "in_future"),
        ({"observed_at": "1985-01-01T00:00:00Z"}, "observed_at", "too_early"),
        ({"latitude": 55.75, "longitude": 37.6}, "latitude", "outside_amur_basin"),
        ({"latitude": None}, "latitude", "coordinates_incomplete"),
        ({"count": -2}, "count", "count_negative"),
        ({"count": 2, "count_min": 3}, "count", "count_below_min"),
        ({"count": 5, "count_max": 4}, "count", "count_above_max"),
        (
            {"species": "Panthera tigris altaica", "evidence": "nest"},
            "evidence",
            "evidence_not_allowed",
        ),
        ({"individual": "RU T-404"}, "individual", "unknown_individual"),
        ({"protected_area": "RU-BASTAK"}, "protected_area", "not_your_protected_area"),
    ],
)
def test_every_rule_answers_400_naming_the_field(as_, overrides, field, code):
    response = as_("ranger_ru").post("/api/v1/observations/", crane(**overrides), format="json")
    assert response.status_code == 400
    assert code in [e["code"] for e in response.json()["errors"][field]]
    assert not Observation.objects.exists()


def test_a_declared_gcj02_point_is_stored_in_wgs84(as_):
    body = (
        as_("ranger_ru").post("/api/v1/observations/", crane(datum="GCJ02"), format="json").json()
    )
    stored = Observation.objects.get(pk=body["id"])
    assert stored.latitude != 44.951234 and abs(stored.latitude - 44.951234) < 0.01


def test_malformed_input_is_a_clear_400_never_a_500(as_):
    api = as_("ranger_ru")
    for bad in [
        crane(latitude="north"),
        crane(observed_at="yesterday"),
        crane(count="many"),
        crane(id="not-a-uuid"),
        {"protected_area": ["x"], "species": {"a": 1}},
    ]:
        assert api.post("/api/v1/observations/", bad, format="json").status_code == 400
    response = api.post("/api/v1/observations/", "{not json", content_type="application/json")
    assert response.status_code == 400


def test_errors_speak_the_users_language(as_):
    response = as_("ranger_ru").post(
        "/api/v1/observations/", crane(count=-1), format="json", HTTP_ACCEPT_LANGUAGE="ru"
    )
    assert "отрицательн" in response.json()["errors"]["count"][0]["message"]


# --- changing, deleting -----------------------------------------------------------


def test_the_author_changes_a_draft(as_, filed):
    record = filed()
    response = as_("ranger_ru").patch(
        f"/api/v1/observations/{record['id']}/", {"count": 6}, format="json"
    )
    assert response.status_code == 200 and response.json()["count"] == 6


def test_a_change_is_validated_like_a_new_record(as_, filed):
    record = filed()
    response = as_("ranger_ru").patch(
        f"/api/v1/observations/{record['id']}/", {"count_max": 1}, format="json"
    )
    assert response.status_code == 400
    assert Observation.objects.get(pk=record["id"]).count_max is None


def test_a_submitted_record_cannot_be_changed_or_deleted(as_, filed):
    record = filed()
    api = as_("ranger_ru")
    api.post(f"/api/v1/observations/{record['id']}/submit/")
    assert (
        api.patch(f"/api/v1/observations/{record['id']}/", {"count": 1}, format="json").status_code
        == 403
    )
    assert api.delete(f"/api/v1/observations/{record['id']}/").status_code == 403


def test_a_draft_is_deleted_by_its_author(as_, filed):
    record = filed()
    assert as_("ranger_ru").delete(f"/api/v1/observations/{record['id']}/").status_code == 204
    assert not Observation.objects.filter(pk=record["id"]).exists()


# --- the review workflow -------------------------------------------------------------


def test_submit_verify(as_, filed, people):
    record = filed()
    submitted = as_("ranger_ru").post(f"/api/v1/observations/{record['id']}/submit/")
    assert submitted.json()["status"] == "submitted"
    verified = as_("manager_ru").post(f"/api/v1/observations/{record['id']}/verify/")
    assert verified.status_code == 200 and verified.json()["status"] == "verified"
    stored = Observation.objects.get(pk=record["id"])
    assert stored.reviewed_by == people.manager_ru and stored.reviewed_at


def test_a_rejected_record_goes_back_to_its_ranger_with_the_reason(as_, filed):
    record = filed()
    ranger, manager = as_("ranger_ru"), as_("manager_ru")
    ranger.post(f"/api/v1/observations/{record['id']}/submit/")
    assert (
        manager.post(f"/api/v1/observations/{record['id']}/reject/", {}, format="json").status_code
        == 400
    )
    manager.post(
        f"/api/v1/observations/{record['id']}/reject/",
        {"reason": "Wrong lake shore"},
        format="json",
    )
    mine = ranger.get("/api/v1/observations/?mine=true&status=rejected").json()["results"]
    assert [(r["id"], r["rejection_reason"]) for r in mine] == [(record["id"], "Wrong lake shore")]
    fixed = ranger.patch(f"/api/v1/observations/{record['id']}/", {"count": 5}, format="json")
    assert fixed.status_code == 200
    again = ranger.post(f"/api/v1/observations/{record['id']}/submit/").json()
    assert again["status"] == "submitted" and again["rejection_reason"] == ""


def test_a_ranger_cannot_verify_even_their_own_record(as_, filed):
    record = filed()
    as_("ranger_ru").post(f"/api/v1/observations/{record['id']}/submit/")
    assert as_("ranger_ru").post(f"/api/v1/observations/{record['id']}/verify/").status_code == 403


def test_the_manager_reviews_many_at_once(as_, filed):
    ids = [filed(count=n)["id"] for n in (1, 2, 3)]
    for record_id in ids[:2]:
        as_("ranger_ru").post(f"/api/v1/observations/{record_id}/submit/")
    result = (
        as_("manager_ru")
        .post("/api/v1/observations/review/", {"ids": ids, "action": "verify"}, format="json")
        .json()
    )
    assert sorted(result["done"]) == sorted(ids[:2])
    assert [r["id"] for r in result["refused"]] == [ids[2]]  # still a draft: not in the queue


# --- who sees what (the permission matrix over the endpoints) --------------------------


def test_drafts_of_one_pa_are_invisible_to_everyone_else(as_, filed):
    record = filed()
    for name in ["manager_ru", "outsider", "reviewer", "coordinator_ru", "ranger_cn"]:
        api = as_(name)
        assert api.get(f"/api/v1/observations/{record['id']}/").status_code == 404, name
        listed = [r["id"] for r in api.get("/api/v1/observations/").json()["results"]]
        assert record["id"] not in listed, name


@pytest.mark.parametrize("name", ["outsider", "reviewer", "coordinator_ru", "manager_ru"])
def test_nobody_else_changes_or_deletes_a_rangers_draft(as_, filed, name):
    record = filed()
    api = as_(name)
    patch = api.patch(f"/api/v1/observations/{record['id']}/", {"count": 1}, format="json")
    assert patch.status_code == 404  # a draft is invisible to them
    assert api.delete(f"/api/v1/observations/{record['id']}/").status_code == 404
    assert Observation.objects.get(pk=record["id"]).count == 4


@pytest.mark.parametrize("name", ["outsider", "reviewer", "coordinator_ru", "nobody"])
def test_people_outside_the_pa_cannot_file_records_there(as_, name):
    response = as_(name).post("/api/v1/observations/", crane(), format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["protected_area"][0]["code"] == "not_your_protected_area"


def test_anonymous_callers_are_refused(as_):
    assert as_(None).get("/api/v1/observations/").status_code == 401
    assert as_(None).post("/api/v1/observations/", crane(), format="json").status_code == 401
    assert as_(None).get("/api/v1/events/").status_code == 401


def test_a_verified_tiger_is_generalised_for_those_outside_its_pa(as_, filed):
    record = filed(species="Panthera tigris altaica", evidence="track", count=1)
    as_("ranger_ru").post(f"/api/v1/observations/{record['id']}/submit/")
    as_("manager_ru").post(f"/api/v1/observations/{record['id']}/verify/")
    inside = as_("manager_ru").get(f"/api/v1/observations/{record['id']}/").json()
    outside = as_("outsider").get(f"/api/v1/observations/{record['id']}/").json()
    assert (inside["latitude"], inside["location_precision"]) == (44.951234, "exact")
    assert outside["location_precision"] == "10km"
    assert "44.951234" not in str(as_("outsider").get("/api/v1/observations/").content)
    assert outside["coordinate_uncertainty_m"] > 5000


# --- lists: filters, pages, cost ------------------------------------------------------


def test_filters(as_, filed):
    filed(count=1)
    filed(species="Panthera tigris altaica", evidence="track", count=1)
    api = as_("ranger_ru")

    def ids(query):
        response = api.get(f"/api/v1/observations/?{query}")
        assert response.status_code == 200, response.json()
        return len(response.json()["results"])

    assert ids("species=Panthera+tigris+altaica") == 1
    assert ids("evidence=sighting") == 1
    assert ids("protected_area=RU-KHANKAISKY&country=RU&status=draft") == 2
    assert ids("bbox=132.4,44.9,132.5,45.0") == 2
    assert ids("bbox=120,40,121,41") == 0
    after = (YESTERDAY - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(f"observed_after={after}") == 2
    assert ids(f"observed_before={after}") == 0
    assert api.get("/api/v1/observations/?bbox=1,2,3").status_code == 400
    assert api.get("/api/v1/observations/?status=lost").status_code == 400


def test_cursor_pages_walk_every_record_once(as_, filed):
    made = {filed(count=n)["id"] for n in range(1, 8)}
    api, seen, url = as_("ranger_ru"), [], "/api/v1/observations/?limit=3"
    while url:
        page = api.get(url).json()
        seen += [r["id"] for r in page["results"]]
        url = page["next"]
    assert sorted(seen) == sorted(made)


def make_records(n, people, khankaisky):
    from observations.models import Species

    crane_species = Species.objects.get(scientific_name="Grus japonensis")
    Observation.objects.bulk_create(
        Observation(
            protected_area=khankaisky,
            species=crane_species,
            observed_at=YESTERDAY - dt.timedelta(minutes=i),
            latitude=44.95,
            longitude=132.45,
            count=1,
            evidence="sighting",
            status=RecordStatus.VERIFIED,
            created_by=people.ranger_ru,
        )
        for i in range(n)
    )


@pytest.mark.parametrize("n", [5, 60])
def test_a_list_page_costs_the_same_queries_whatever_its_size(
    as_, people, khankaisky, n, django_assert_max_num_queries
):
    make_records(n, people, khankaisky)
    api = as_("outsider")
    with django_assert_max_num_queries(4):  # token user, memberships, page, (no COUNT)
        response = api.get("/api/v1/observations/?limit=100")
    assert len(response.json()["results"]) == n


def test_a_detail_costs_a_fixed_number_of_queries(as_, filed, django_assert_max_num_queries):
    record = filed()
    api = as_("ranger_ru")
    with django_assert_max_num_queries(4):
        assert api.get(f"/api/v1/observations/{record['id']}/").status_code == 200


# --- survey events ----------------------------------------------------------------------


def route(**overrides):
    body = {
        "protected_area": "RU-KHANKAISKY",
        "kind": "transect",
        "started_at": (YESTERDAY - dt.timedelta(hours=5)).isoformat(),
        "ended_at": (YESTERDAY - dt.timedelta(hours=1)).isoformat(),
        "latitude": 44.9,
        "longitude": 132.4,
        "effort_km": "12.5",
        "team": "RU-CN joint team",
        "joint_team": True,
    }
    body.update(overrides)
    return body


def test_an_event_carries_the_effort_and_observations_hang_off_it(as_):
    api = as_("ranger_ru")
    event = api.post("/api/v1/events/", route(), format="json")
    assert event.status_code == 201, event.json()
    event_id = event.json()["id"]
    obs = api.post("/api/v1/observations/", crane(event=event_id), format="json")
    assert obs.status_code == 201 and obs.json()["event"] == event_id
    listed = api.get(f"/api/v1/observations/?event={event_id}").json()["results"]
    assert [r["id"] for r in listed] == [obs.json()["id"]]


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"ended_at": (YESTERDAY - dt.timedelta(hours=9)).isoformat()}, "ended_at"),
        ({"effort_km": "-1"}, "effort_km"),
        ({"kind": "picnic"}, "kind"),
        ({"protected_area": "RU-BASTAK"}, "protected_area"),
        ({"started_at": "2099-01-01T00:00:00Z", "ended_at": None}, "started_at"),
    ],
)
def test_a_bad_event_is_refused_naming_the_field(as_, overrides, field):
    response = as_("ranger_ru").post("/api/v1/events/", route(**overrides), format="json")
    assert response.status_code == 400
    body = response.json()
    assert field in body.get("errors", body)


def test_an_observation_cannot_hang_off_another_pas_event(as_, people, settings):
    admin = as_("admin")
    event = admin.post("/api/v1/events/", route(protected_area="RU-BASTAK"), format="json").json()
    response = as_("ranger_ru").post(
        "/api/v1/observations/", crane(event=event["id"]), format="json"
    )
    assert response.json()["errors"]["event"][0]["code"] in {"event_other_pa", "unknown_event"}


def test_events_are_idempotent_by_id_too(as_):
    api, event_id = as_("ranger_ru"), str(uuid.uuid4())
    assert api.post("/api/v1/events/", route(id=event_id), format="json").status_code == 201
    assert api.post("/api/v1/events/", route(id=event_id), format="json").status_code == 200
    assert (
        api.post("/api/v1/events/", route(id=event_id, team="other"), format="json").status_code
        == 409
    )
