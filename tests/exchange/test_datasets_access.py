"""Who may do what with shared datasets, role by role and endpoint by endpoint.

Every decision comes from observations.access (the roles) and
exchange.datasets.permissions (the invited reviewers). The people: the coordinators and the
admin manage datasets; ``reviewer`` (no PA) and ``outsider`` (a ranger of Bastak) are
invited to review "Khanka tigers and cranes"; ranger_ru and manager_ru (Khankaisky,
whose records are in it), ranger_cn, manager_cn and nobody are not invited: for them the
dataset does not exist (404). Anonymous callers are asked to log in.
"""

import uuid
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from exchange.datasets import definition, permissions
from exchange.models import DatasetReviewer
from observations.access import access_for
from observations.models import Membership, Observation, Species

from .dataset_stories import client, fresh, make_dataset, publish_version

pytestmark = pytest.mark.django_db

MANAGERS = ("coordinator_ru", "coordinator_cn", "admin")
REVIEWERS = ("reviewer", "outsider")
OTHERS = ("ranger_ru", "manager_ru", "ranger_cn", "manager_cn", "nobody")
EVERYONE = (*MANAGERS, *REVIEWERS, *OTHERS)


@pytest.fixture
def world(people, khankaisky, xingkaihu):
    dataset, records = make_dataset(people, khankaisky, xingkaihu)
    publish_version(people, dataset)
    publish_version(people, dataset, note="again")
    return dataset, records


def can(person, question, *args):
    access = access_for(fresh(person))
    if hasattr(permissions, question):  # a rule that needs the dataset's reviewers
        return getattr(permissions, question)(access, *args)
    attr = getattr(access, question)
    return attr(*args) if callable(attr) else attr


# --- the rules --------------------------------------------------------------------------


def test_coordinators_and_admins_manage_datasets_and_nobody_else(people, world):
    dataset, _records = world
    for who in EVERYONE:
        person = getattr(people, who)
        assert can(person, "can_manage_datasets") == (who in MANAGERS), who
        assert can(person, "can_manage_dataset", dataset) == (who in MANAGERS), who


def test_invited_reviewers_read_and_review_the_dataset_whatever_their_pa(people, world):
    dataset, _records = world
    for who in EVERYONE:
        person = getattr(people, who)
        expected = who in MANAGERS or who in REVIEWERS
        assert can(person, "can_view_dataset", dataset) == expected, who
        assert can(person, "can_review_dataset", dataset) == expected, who
        assert can(person, "can_remark_in_dataset", dataset) == expected, who
        visible = permissions.visible_datasets(access_for(fresh(person)))
        listed = set(visible.values_list("pk", flat=True))
        assert listed == ({dataset.pk} if expected else set()), who


def test_a_reviewer_of_one_dataset_does_not_see_another(people, world, seeds):
    dataset, _records = world
    coordinator = fresh(people.coordinator_ru)
    other = definition.dataset_create(
        access=access_for(coordinator), user=coordinator, values={"title": "Cranes only"}
    )
    assert can(people.outsider, "can_view_dataset", dataset)
    assert not can(people.outsider, "can_view_dataset", other)


def test_the_flag_inbox_is_for_pa_managers(people, seeds):
    for who in EVERYONE:
        expected = who in ("manager_ru", "manager_cn", "admin")
        assert can(getattr(people, who), "has_flag_inbox") == expected, who


def test_a_removed_reviewer_loses_the_dataset(people, world):
    dataset, _records = world
    coordinator = fresh(people.coordinator_ru)
    definition.reviewer_remove(
        access=access_for(coordinator), dataset=dataset, user_id=people.outsider.pk
    )
    assert not can(people.outsider, "can_view_dataset", dataset)
    assert client(people.outsider).get(f"/api/v1/datasets/{dataset.pk}/").status_code == 404


# --- the reviewer from another PA ----------------------------------------------------------


def test_a_reviewer_from_another_pa_reads_the_dataset_and_not_a_record_outside_it(
    people, world, khankaisky
):
    """outsider (Bastak) reads every row, Khankaisky's submitted record too, as published;
    a Khankaisky record outside the dataset stays out of reach, through the dataset and
    through the records API alike."""
    dataset, records = world
    outside = Observation.objects.create(
        protected_area=khankaisky,
        species=Species.objects.get(scientific_name="Panthera pardus orientalis"),
        observed_at=records["ru_cranes"].observed_at,
        latitude=44.91,
        longitude=132.41,
        count=1,
        evidence="camera",
        status="submitted",
        created_by=people.ranger_ru,
    )
    api = client(people.outsider)
    base = f"/api/v1/datasets/{dataset.pk}/versions/2"
    rows = api.get(f"{base}/rows/").json()["results"]
    assert {r["record_id"] for r in rows} == {
        str(records[n].pk) for n in ("ru_tiger", "ru_cranes", "ru_waiting", "cn_tiger", "cn_cranes")
    }
    waiting = api.get(f"{base}/rows/{records['ru_waiting'].pk}/")
    assert waiting.status_code == 200 and waiting.json()["status"] == "submitted"
    tiger = api.get(f"{base}/rows/{records['ru_tiger'].pk}/").json()
    assert (tiger["latitude"], tiger["location_precision"]) == (44.95, "10km")

    for path in (f"{base}/rows/{outside.pk}/", f"{base}/rows/{uuid.uuid4()}/"):
        answer = api.get(path)
        assert answer.status_code == 404 and answer.json()["code"] == "not_in_version"
    flag = api.post(
        f"{base}/rows/{outside.pk}/remarks/",
        {"kind": "flag", "reason": "other", "text": "?"},
        format="json",
    )
    assert flag.status_code == 404
    # Outside the dataset, the node's own rules: a submitted record of another PA is unseen.
    assert api.get(f"/api/v1/observations/{outside.pk}/").status_code == 404
    assert api.get(f"/api/v1/observations/{records['ru_waiting'].pk}/").status_code == 404
    assert not any(
        r["record_id"] == str(outside.pk)
        for r in api.get(f"{base}/rows/?limit=1000").json()["results"]
    )
    page = APIClient()
    page.force_login(fresh(people.outsider))
    url = f"/en/exchange/datasets/{dataset.pk}/v/2/records/{outside.pk}/"
    assert page.get(url).status_code == 404


# --- every endpoint, every role ----------------------------------------------------------


@dataclass
class Endpoint:
    method: str
    path: str  # {d}: the dataset, {r}: a record of it, {u}: outsider's user id
    body: dict = field(default_factory=dict)
    manager: int = 200
    reviewer: int = 200  # invited reviewers; the others get 404 where the dataset is named
    others: int = 404
    reinvite: bool = False  # the call removes an invitation: put it back before each try


ENDPOINTS = [
    Endpoint("get", "/api/v1/datasets/", others=200),
    Endpoint("post", "/api/v1/datasets/", {"title": "Mine"}, 201, 403, 403),
    Endpoint("get", "/api/v1/datasets/{d}/"),
    Endpoint("patch", "/api/v1/datasets/{d}/", {"description_en": "x"}, 200, 403),
    Endpoint("post", "/api/v1/datasets/{d}/publish/", {}, 201, 403),
    Endpoint("get", "/api/v1/datasets/{d}/versions/"),
    Endpoint("get", "/api/v1/datasets/{d}/versions/1/"),
    Endpoint("get", "/api/v1/datasets/{d}/versions/1/rows/"),
    Endpoint("get", "/api/v1/datasets/{d}/versions/1/rows/{r}/"),
    Endpoint(
        "post",
        "/api/v1/datasets/{d}/versions/1/rows/{r}/remarks/",
        {"kind": "comment", "text": "seen"},
        201,
        201,
    ),
    Endpoint("get", "/api/v1/datasets/{d}/versions/1/summary/"),
    Endpoint("get", "/api/v1/datasets/{d}/versions/1/map/"),
    Endpoint("post", "/api/v1/datasets/{d}/versions/1/downloads/", {"format": "csv"}, 202, 202),
    Endpoint("get", "/api/v1/datasets/{d}/compare/?from=1&to=2"),
    Endpoint("get", "/api/v1/datasets/{d}/compare/csv/?from=1&to=2"),
    Endpoint("get", "/api/v1/datasets/{d}/flags/"),
    Endpoint("get", "/api/v1/datasets/{d}/comments/"),
    Endpoint("post", "/api/v1/datasets/{d}/comments/", {"text": "good"}, 201, 201),
    Endpoint("get", "/api/v1/datasets/{d}/reviewers/", reviewer=403),
    Endpoint("post", "/api/v1/datasets/{d}/reviewers/", {"username": "ranger_cn"}, 201, 403),
    Endpoint("delete", "/api/v1/datasets/{d}/reviewers/{u}/", {}, 204, 403, reinvite=True),
]


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e.method} {e.path}")
def test_every_role_against_every_endpoint(people, world, endpoint):
    dataset, records = world
    path = endpoint.path.format(d=dataset.pk, r=records["ru_tiger"].pk, u=people.outsider.pk)
    for who in (*OTHERS, *REVIEWERS, *MANAGERS):
        if endpoint.reinvite:
            DatasetReviewer.objects.get_or_create(dataset=dataset, user=people.outsider)
        expected = (
            endpoint.manager
            if who in MANAGERS
            else endpoint.reviewer
            if who in REVIEWERS
            else endpoint.others
        )
        call = getattr(client(getattr(people, who)), endpoint.method)
        answer = call(path, endpoint.body, format="json") if endpoint.body else call(path)
        assert answer.status_code == expected, (who, answer.status_code, answer.content[:300])
        if expected == 404:
            assert answer.json()["code"] == "unknown_dataset", who
    anonymous = getattr(APIClient(), endpoint.method)(path)
    assert anonymous.status_code == 401


def test_the_list_shows_each_person_only_the_datasets_they_may_read(people, world):
    dataset, _records = world
    for who in EVERYONE:
        results = client(getattr(people, who)).get("/api/v1/datasets/").json()["results"]
        expected = [str(dataset.pk)] if who in MANAGERS + REVIEWERS else []
        assert [d["id"] for d in results] == expected, who


# --- the pages --------------------------------------------------------------------------


PAGES = [
    # (path, managers, invited reviewers, others)
    ("/en/exchange/datasets/", 200, 200, 200),
    ("/en/exchange/datasets/new/", 200, 404, 404),
    ("/en/exchange/datasets/{d}/", 200, 200, 404),
    ("/en/exchange/datasets/{d}/edit/", 200, 404, 404),
    ("/en/exchange/datasets/{d}/v/1/", 200, 200, 404),
    ("/en/exchange/datasets/{d}/v/1/records/{r}/", 200, 200, 404),
    ("/en/exchange/datasets/{d}/compare/?from=1&to=2", 200, 200, 404),
    ("/en/exchange/datasets/{d}/compare/csv/?from=1&to=2", 200, 200, 404),
]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p[0])
def test_every_role_against_every_page(people, world, page):
    dataset, records = world
    path = page[0].format(d=dataset.pk, r=records["ru_tiger"].pk)
    for who in EVERYONE:
        expected = page[1] if who in MANAGERS else page[2] if who in REVIEWERS else page[3]
        browser = APIClient()
        browser.force_login(fresh(getattr(people, who)))
        assert browser.get(path).status_code == expected, who
    assert APIClient().get(path).status_code == 302  # to the login page


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/en/exchange/datasets/{d}/publish/", {"note": ""}),
        ("/en/exchange/datasets/{d}/comments/", {"text": "hi"}),
        ("/en/exchange/datasets/{d}/reviewers/", {"username": "ranger_cn"}),
        ("/en/exchange/datasets/{d}/v/1/records/{r}/remarks/", {"kind": "comment", "text": "x"}),
    ],
)
def test_page_actions_of_a_dataset_one_may_not_read_answer_404(people, world, path, field):
    dataset, records = world
    path = path.format(d=dataset.pk, r=records["ru_tiger"].pk)
    for who in OTHERS:
        browser = APIClient()
        browser.force_login(fresh(getattr(people, who)))
        assert browser.post(path, field).status_code == 404, who


def test_a_reviewer_cannot_publish_or_invite_from_the_pages(people, world):
    dataset, _records = world
    browser = APIClient()
    browser.force_login(fresh(people.reviewer))
    browser.post(f"/en/exchange/datasets/{dataset.pk}/publish/", {"note": "mine"})
    browser.post(f"/en/exchange/datasets/{dataset.pk}/reviewers/", {"username": "ranger_cn"})
    assert dataset.versions.count() == 2
    assert not DatasetReviewer.objects.filter(dataset=dataset, user=people.ranger_cn).exists()


def test_the_flag_inbox_page_is_for_pa_managers(people, seeds):
    for who in EVERYONE:
        browser = APIClient()
        browser.force_login(fresh(getattr(people, who)))
        expected = 200 if who in ("manager_ru", "manager_cn", "admin") else 404
        assert browser.get("/en/exchange/datasets/flags/").status_code == expected, who


def test_any_user_of_the_node_may_be_invited_but_nobody_unknown(people, world):
    dataset, _records = world
    api = client(people.coordinator_ru)
    stranger = get_user_model().objects.create_user("volunteer", password="x")
    assert not Membership.objects.filter(user=stranger).exists()
    answer = api.post(
        f"/api/v1/datasets/{dataset.pk}/reviewers/", {"username": "volunteer"}, format="json"
    )
    assert answer.status_code == 201
    assert client(stranger).get(f"/api/v1/datasets/{dataset.pk}/").status_code == 200
    unknown = api.post(
        f"/api/v1/datasets/{dataset.pk}/reviewers/", {"username": "ghost"}, format="json"
    )
    assert unknown.status_code == 400 and unknown.json()["code"] == "unknown_user"
    gone = api.delete(f"/api/v1/datasets/{dataset.pk}/reviewers/{people.ranger_cn.pk}/")
    assert gone.status_code == 404 and gone.json()["code"] == "not_invited"
