# ruff: noqa: F401, F811 - the fixtures come from test_camera_kit
"""Transboundary individuals: "RU T-12 is CN AT-033", proposed with its evidence photos,
counts as one animal only once a reviewer of each side has confirmed it.

Russia's leopard T-12 and China's AT-033 (received from the CN node) are the same cat:
Anna (ranger_ru) proposes it with KH-07's photo, Khankaisky's manager confirms for Russia
and Xingkaihu's manager for China.
"""

import pytest

from observations.camera.ingest import media_ingest
from observations.models import Individual, IndividualCode, IndividualMatch, Membership, Species

from .test_camera_kit import photo, ranger, station, upload

pytestmark = pytest.mark.django_db

LEOPARD = "Panthera pardus orientalis"


def individual(species_name, catalogue, code, origin="RU"):
    ind = Individual.objects.create(
        species=Species.objects.get(scientific_name=species_name), label=code, origin_node=origin
    )
    IndividualCode.objects.create(individual=ind, catalogue=catalogue, code=code)
    return ind


@pytest.fixture
def leopards(seeds):
    return individual(LEOPARD, "RU", "T-12"), individual(LEOPARD, "CN", "AT-033", origin="CN")


@pytest.fixture
def evidence(api, ranger, station):
    answer = upload(api, station, photo(seed=12))
    media_ingest(media_id=answer.json()["id"])
    return answer.json()["id"]


def propose(api, person, **body):
    api.force_authenticate(person)
    return api.post("/api/v1/individual-matches/", body, format="json")


def count(api):
    return api.get(f"/api/v1/individual-matches/count/?species={LEOPARD}").json()


def test_a_match_counts_once_both_sides_confirm(api, people, leopards, evidence):
    answer = propose(
        api, people.ranger_ru, code="RU T-12", same_as="CN AT-033", evidence=[evidence]
    )
    assert answer.status_code == 201, answer.json()
    match = answer.json()
    assert match["codes"] == ["CN AT-033", "RU T-12"] and match["status"] == "proposed"
    assert match["evidence"] == [evidence]
    assert count(api)["animals"] == 2

    confirm = f"/api/v1/individual-matches/{match['id']}/confirm/"
    api.force_authenticate(people.ranger_ru)  # a ranger proposes, does not confirm
    assert api.post(confirm).status_code == 403
    api.force_authenticate(people.manager_ru)
    first = api.post(confirm)
    assert first.status_code == 200 and first.json()["status"] == "proposed"
    assert first.json()["confirmed"]["RU"] is not None and first.json()["confirmed"]["CN"] is None
    assert count(api)["animals"] == 2  # one side is not enough
    api.force_authenticate(people.coordinator_ru)  # Russia has confirmed already
    assert api.post(confirm).status_code == 403

    api.force_authenticate(people.manager_cn)
    done = api.post(confirm)
    assert done.status_code == 200 and done.json()["status"] == "confirmed"
    totals = count(api)
    assert totals == {
        "species": LEOPARD,
        "individual_records": 2,
        "animals": 1,
        "by_catalogue": {"CN": 1, "RU": 1},
        "seen_on_both_sides": 1,
    }


def test_one_person_never_confirms_both_sides(api, people, leopards):
    Membership.objects.create(user=people.coordinator_ru, role="coordinator", country="CN")
    match = propose(api, people.ranger_ru, code="RU T-12", same_as="CN AT-033").json()
    confirm = f"/api/v1/individual-matches/{match['id']}/confirm/"
    api.force_authenticate(people.coordinator_ru)
    assert api.post(confirm).json()["code"] == "side_required"
    assert api.post(confirm, {"side": "RU"}, format="json").status_code == 200
    refused = api.post(confirm, {"side": "CN"}, format="json")
    assert refused.status_code == 403
    assert IndividualMatch.objects.get().status == "proposed"


def test_either_side_may_reject(api, people, leopards):
    match = propose(api, people.ranger_ru, code="RU T-12", same_as="CN AT-033").json()
    api.force_authenticate(people.coordinator_cn)
    url = f"/api/v1/individual-matches/{match['id']}/reject/"
    answer = api.post(url, {"reason": "Different rosette on the left flank."}, format="json")
    assert answer.status_code == 200 and answer.json()["status"] == "rejected"
    api.force_authenticate(people.manager_ru)
    closed = api.post(f"/api/v1/individual-matches/{match['id']}/confirm/")
    assert closed.status_code == 400 and closed.json()["code"] == "not_open"
    assert count(api)["animals"] == 2


@pytest.mark.parametrize(
    ("code", "same_as", "status", "error"),
    [
        ("RU T-12", "RU T-13", 400, "same_catalogue"),
        ("RU T-12", "CN T-01", 400, "other_species"),
        ("RU T-99", "CN AT-033", 400, "unknown_code"),
    ],
)
def test_a_wrong_proposal_is_refused(api, people, leopards, code, same_as, status, error):
    individual(LEOPARD, "RU", "T-13")
    individual("Panthera tigris altaica", "CN", "T-01", origin="CN")
    answer = propose(api, people.ranger_ru, code=code, same_as=same_as)
    assert answer.status_code == status and answer.json()["code"] == error


def test_a_pair_is_proposed_once(api, people, leopards):
    assert propose(api, people.ranger_ru, code="RU T-12", same_as="CN AT-033").status_code == 201
    again = propose(api, people.manager_ru, code="CN AT-033", same_as="RU T-12")
    assert again.status_code == 409 and again.json()["code"] == "already_proposed"


def test_the_reviewer_reads_but_does_not_propose(api, people, leopards):
    answer = propose(api, people.reviewer, code="RU T-12", same_as="CN AT-033")
    assert answer.status_code == 403


def test_the_page_confirms_side_by_side(client, people, leopards, evidence):
    client.force_login(people.ranger_ru)
    client.post(
        "/en/camera/matches/",
        {"action": "propose", "code": "RU T-12", "same_as": "CN AT-033", "evidence": evidence},
    )
    match = IndividualMatch.objects.get()
    assert list(match.evidence.values_list("pk", flat=True)) == [match.evidence.get().pk]
    for person, side in ((people.manager_ru, "RU"), (people.manager_cn, "CN")):
        client.force_login(person)
        page = client.get("/en/camera/matches/").content.decode()
        assert f"Confirm for {side}" in page
        client.post("/en/camera/matches/", {"action": "confirm", "match": match.pk, "side": side})
    match.refresh_from_db()
    assert match.status == "confirmed"
    page = client.get("/en/camera/matches/").content.decode()
    assert "Amur leopard" in page


@pytest.mark.parametrize("n", [1, 6])
def test_the_list_costs_a_fixed_number_of_queries(
    api, people, seeds, n, django_assert_max_num_queries
):
    for i in range(n):
        individual(LEOPARD, "RU", f"L-{i}")
        individual(LEOPARD, "CN", f"CL-{i}", origin="CN")
        propose(api, people.ranger_ru, code=f"RU L-{i}", same_as=f"CN CL-{i}")
    api.force_authenticate(people.manager_ru)
    with django_assert_max_num_queries(6):
        answer = api.get("/api/v1/individual-matches/")
    assert len(answer.json()) == n
