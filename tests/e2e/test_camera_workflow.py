"""Anna (ranger_ru) empties KH-07's card in the browser: she drops a handful of photos on
the station's page, a real Celery worker processes them, she classifies the dawn burst as
a tiger with one key press, and finds the resulting observation among her records."""

import datetime as dt

import pytest

from observations.models import Media, Observation
from tests.observations.test_camera_kit import burst, make_deployment, wait_until_ingested

pytestmark = [pytest.mark.e2e, pytest.mark.celery]

DAWN = dt.datetime(2024, 1, 15, 6, 30, 0)


@pytest.fixture
def card(tmp_path):
    """A tiger's burst of three photos at dawn and a lone photo an hour later."""
    photos = burst(DAWN, [0, 2, 4], size=(800, 600)) + burst(
        DAWN + dt.timedelta(hours=1), [0], size=(800, 600), colour=(30, 90, 30)
    )
    paths = []
    for i, data in enumerate(photos, start=1):
        path = tmp_path / f"RCNX{i:04d}.JPG"
        path.write_bytes(data)
        paths.append(str(path))
    return paths


def test_a_ranger_uploads_classifies_a_tiger_and_finds_the_observation(
    celery_worker, page, log_in, people, khankaisky, card
):
    station = make_deployment(people.ranger_ru, khankaisky)
    log_in("ranger_ru")
    page.click("header >> text=Camera traps")
    page.click(f"a[href$='/camera/deployments/{station.pk}/']")
    page.wait_for_selector("#dropzone")

    page.set_input_files("#id_files", card)
    page.wait_for_selector("#upload-form[data-finished]", timeout=60_000)
    states = page.locator("#upload-list li").evaluate_all(
        "items => items.map(i => i.getAttribute('data-state'))"
    )
    assert states == ["done"] * 4, page.inner_text("#upload-list")
    assert "4 of 4 done, 0 failed" in page.inner_text("#upload-summary")

    ids = list(Media.objects.values_list("pk", flat=True))
    media = wait_until_ingested(ids, timeout=90)
    assert all(m.status == "ready" for m in media)

    page.reload()
    assert page.locator("#sequences li").count() == 2
    page.click("#classify-link")
    page.wait_for_selector("#classify-form")
    assert page.locator("#strip img").count() == 3
    page.keyboard.press("1")  # Amur tiger
    assert page.is_checked("input[name=species][data-key='1']")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Sequence classified.")
    page.keyboard.press("0")  # the lone photo: empty
    page.wait_for_selector("text=Every sequence of this deployment is classified.")

    obs = Observation.objects.get()
    assert (obs.species.scientific_name, obs.evidence, obs.source) == (
        "Panthera tigris altaica",
        "camera",
        "camera",
    )
    page.click("header >> text=My records")
    row = page.locator("table.records tbody tr").first
    assert "Amur tiger" in row.inner_text()
    page.goto(f"/en/records/{obs.pk}/")
    assert page.get_by_text("camera trap").first.is_visible()
    assert "Amur tiger" in page.inner_text("h1")
