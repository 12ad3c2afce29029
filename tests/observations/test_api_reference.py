"""The reference API: protected areas and species, token login, the OpenAPI schema."""

import pytest

pytestmark = pytest.mark.django_db


def test_protected_areas_list_the_border_network(api, seeds):
    body = api.get("/api/v1/protected-areas/").json()
    border = [pa for pa in body if pa["country"] in {"CN", "RU"} and pa["status"] == "existing"]
    assert len(border) >= 26
    for pa in body:
        assert pa["code"] and pa["name_en"] and pa["name_ru"] and pa["name_zh"]


def test_protected_areas_filter_by_country(api, seeds):
    body = api.get("/api/v1/protected-areas/?country=CN").json()
    assert body and {pa["country"] for pa in body} == {"CN"}
    assert api.get("/api/v1/protected-areas/?country=XX").status_code == 400


def test_one_protected_area_by_its_code(api, seeds):
    body = api.get("/api/v1/protected-areas/RU-KHANKAISKY/").json()
    assert body["transboundary_partner"] == "CN-XINGKAIHU"
    assert api.get("/api/v1/protected-areas/NOPE/").status_code == 404


def test_species_list_the_six_joint_species_with_russian_and_chinese_names(api, seeds):
    body = api.get("/api/v1/species/?jointly_monitored=true").json()
    assert len(body) == 6
    for sp in body:
        assert sp["scientific_name"] and sp["name_ru"] and sp["name_zh"]


def test_species_filter_by_country_gives_the_targets_of_its_pas(api, seeds):
    names = {sp["scientific_name"] for sp in api.get("/api/v1/species/?country=RU").json()}
    assert "Panthera tigris altaica" in names  # Khingansky, Bolshekhekhtsirsky...


def test_reference_lists_cost_a_fixed_number_of_queries(api, seeds, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        api.get("/api/v1/protected-areas/")
    with django_assert_max_num_queries(2):
        api.get("/api/v1/species/")


def test_a_token_for_a_username_and_password(api, people):
    response = api.post(
        "/api/v1/auth/token/", {"username": "ranger_ru", "password": "demo"}, format="json"
    )
    assert response.status_code == 200
    token = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/species/").status_code == 200


def test_a_wrong_password_gets_no_token_and_a_translated_error(api, people):
    response = api.post(
        "/api/v1/auth/token/",
        {"username": "ranger_ru", "password": "wrong"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert response.status_code == 400
    assert "Невозможно войти" in str(response.json())


def test_the_openapi_schema_and_its_docs_are_served(client, seeds):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/protected-areas/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"cdn.jsdelivr" not in docs.content  # served from the node itself
