"""In a browser: outsider, a ranger of Bastak invited to review "Khanka tigers and cranes",
opens the dataset, looks at its map, filters it down to the tigers, and flags Khankaisky's
tiger as being in the wrong place. manager_ru, Khankaisky's manager, finds the flag in his
flags, reads it on the record's page and answers it; the dataset shows it closed."""

import pytest

from observations.models import Remark
from tests.exchange.dataset_stories import TITLE, make_dataset, publish_version

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _no_map_tiles(settings):
    """No network in tests: the map draws its places without tiles."""
    settings.MAP_TILES_URL = ""


@pytest.fixture
def khanka(people, khankaisky, xingkaihu):
    dataset, records = make_dataset(people, khankaisky, xingkaihu)
    publish_version(people, dataset, note="first cut")
    return dataset, records


def log_out(page):
    page.click("header button:has-text('Log out')")
    page.wait_for_url("**/accounts/login/")


def test_a_reviewer_filters_a_dataset_flags_a_record_and_the_manager_sees_it(
    page, log_in, people, khanka
):
    dataset, records = khanka
    tiger = records["ru_tiger"]

    log_in("outsider")
    page.click("header >> text=Shared datasets")
    page.click(f"text={TITLE}")
    page.wait_for_url(f"**/exchange/datasets/{dataset.pk}/")
    page.click("table.versions >> a >> text=1")
    page.wait_for_url(f"**/exchange/datasets/{dataset.pk}/v/1/")
    assert page.locator("#row-count").inner_text() == "5"
    assert page.locator("#checksum").inner_text() == dataset.versions.get().checksum
    page.wait_for_selector("#dataset-map[data-ready='1']")  # drawn, tiles or not
    assert page.locator("#dataset-map .leaflet-interactive").count() == 5
    assert page.locator("table.dataset-rows tbody tr").count() == 5

    page.select_option("#f-species", "Panthera tigris altaica")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**species=Panthera+tigris+altaica**")
    rows = page.locator("table.dataset-rows tbody tr")
    assert rows.count() == 2
    assert "Amur tiger" in rows.first.inner_text()
    assert page.locator("#dataset-map .leaflet-interactive").count() == 2

    page.click(f"tr[data-record='{tiger.pk}'] a")
    page.wait_for_url(f"**/v/1/records/{tiger.pk}/")
    assert "44.95, 132.45" in page.locator("#row-facts").inner_text()  # the 10 km cell
    page.select_option("#id_remark_kind", "flag")
    page.select_option("#id_remark_reason", "wrong_place")
    page.fill("#id_remark_text", "These tracks are on the Chinese shore")
    page.click("#remark-form button[type=submit]")
    page.wait_for_load_state()
    assert page.get_by_text("Your flag is sent to the record's protected area.").is_visible()
    assert page.locator("li.remark.flag.open").count() == 1
    log_out(page)

    log_in("manager_ru")
    page.click("header >> text=Flags")
    page.wait_for_url("**/exchange/datasets/flags/")
    row = page.locator("table.flags tbody tr").first
    assert "These tracks are on the Chinese shore" in row.inner_text()
    assert TITLE in row.inner_text()
    row.locator("a").click()
    page.wait_for_url(f"**/records/{tiger.pk}/**")
    flag = page.locator("li.remark.flag.open")
    assert "These tracks are on the Chinese shore" in flag.inner_text()
    assert "from the shared dataset" in flag.inner_text()
    flag.locator("textarea").fill("The route runs along our shore: the place is right.")
    flag.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("li.remark.flag.open").count() == 0

    # manager_ru was not invited: the dataset itself is not his to read.
    assert page.goto(f"/en/exchange/datasets/{dataset.pk}/").status == 404
    remark = Remark.objects.get(kind="flag")
    assert remark.answers.get().closes
    page.goto("/en/")
    log_out(page)

    log_in("outsider")
    page.goto(f"/en/exchange/datasets/{dataset.pk}/?flags=closed#flags")
    closed = page.locator("ul.flags li.remark.flag")
    assert closed.count() == 1
    assert "The route runs along our shore" in closed.inner_text()
