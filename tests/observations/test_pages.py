"""Server-rendered pages: the dashboard, protected areas and species."""

import pytest

from observations.demo import make_demo_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(people):
    return make_demo_data(years=1)


def test_the_dashboard_asks_for_a_login(client, seeds):
    response = client.get("/en/")
    assert response.status_code == 302
    assert "/en/accounts/login/" in response["Location"]


def test_a_ranger_logs_in_and_sees_the_dashboard(client, people, demo):
    response = client.post(
        "/en/accounts/login/", {"username": "ranger_ru", "password": "demo"}, follow=True
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Records per protected area" in page
    assert "Khankaisky" in page
    assert "synthetic" in page  # demo records are marked as such


def test_the_dashboard_costs_a_fixed_number_of_queries(
    client, people, demo, django_assert_max_num_queries
):
    client.force_login(people.coordinator_ru)
    with django_assert_max_num_queries(10):
        response = client.get("/en/")
    assert response.status_code == 200


def test_the_pa_list_groups_both_countries_and_marks_planned_pas(client, seeds):
    page = client.get("/en/protected-areas/").content.decode()
    assert "Xingkaihu" in page and "Khankaisky" in page
    assert "planned" in page


def test_the_pa_list_costs_a_fixed_number_of_queries(client, seeds, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        assert client.get("/en/protected-areas/").status_code == 200


def test_a_pa_page_shows_its_facts_and_its_partner(client, seeds):
    page = client.get("/en/protected-areas/RU-KHANKAISKY/").content.decode()
    assert "113032" in page.replace(",", "").replace(" ", "")
    assert "Xingkaihu" in page
    assert client.get("/en/protected-areas/NOPE/").status_code == 404


def test_the_species_pages(client, seeds):
    from observations.models import Species

    page = client.get("/en/species/").content.decode()
    assert "Panthera tigris altaica" in page
    tiger = Species.objects.get(scientific_name="Panthera tigris altaica")
    detail = client.get(f"/en/species/{tiger.pk}/").content.decode()
    assert "640" in detail  # the strategic plan's 2026 target
    assert client.get("/en/species/999999/").status_code == 404
