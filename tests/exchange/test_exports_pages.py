"""The export pages: coordinator_ru asks for a Darwin Core Archive of the cranes with the
form, follows the job page and downloads the file; a ranger does not see the pages."""

import pytest

from exchange.models import ExportJob

from .export_stories import make_khanka, wait_until_finished

pytestmark = pytest.mark.django_db


@pytest.fixture
def khanka(people, khankaisky, xingkaihu):
    return make_khanka(people, khankaisky, xingkaihu)


def test_the_exports_link_is_for_coordinators(client, people):
    client.force_login(people.coordinator_ru)
    assert 'href="/en/exchange/exports/"' in client.get("/en/").content.decode()
    client.force_login(people.ranger_ru)
    assert 'href="/en/exchange/exports/"' not in client.get("/en/").content.decode()
    assert client.get("/en/exchange/exports/").status_code == 404


def test_the_form_says_when_nothing_matches(client, people, khanka):
    client.force_login(people.coordinator_ru)
    response = client.post(
        "/en/exchange/exports/",
        {
            "format": "csv",
            "species": ["Ciconia nigra"],
            "status": ["verified"],
            "licence": "CC-BY-4.0",
        },
    )
    assert response.status_code == 400
    assert "nothing to export" in response.content.decode()
    assert not ExportJob.objects.exists()


@pytest.mark.celery
def test_a_coordinator_exports_with_the_form(celery_worker, client, people, khanka):
    client.force_login(people.coordinator_ru)
    assert client.get("/en/exchange/exports/").status_code == 200
    response = client.post(
        "/en/exchange/exports/",
        {
            "format": "dwca",
            "species": ["Grus japonensis"],
            "status": ["verified"],
            "licence": "CC0-1.0",
            "title": "Cranes of Khanka Lake",
        },
    )
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/en/exchange/exports/{job.pk}/"
    assert job.filters == {"species": ["Grus japonensis"], "status": ["verified"]}
    body, _ = wait_until_finished(client, f"/api/v1/exports/{job.pk}/")
    assert body["status"] == "done" and body["total_rows"] == 2
    page = client.get(f"/en/exchange/exports/{job.pk}/").content.decode()
    assert f'href="/api/v1/exports/{job.pk}/download/"' in page
    listing = client.get("/en/exchange/exports/").content.decode()
    assert f"/en/exchange/exports/{job.pk}/" in listing
    download = client.get(f"/api/v1/exports/{job.pk}/download/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
