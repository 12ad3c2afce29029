"""On a phone-sized screen, ranger_ru files a record through the form and finds it in
"my records"; manager_ru verifies it from the review queue. A rejected record goes back
to the ranger with its reason, and she fixes it and submits it again."""

import pytest

from observations.models import Observation

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def _no_map_tiles(settings):
    """No network in tests: the map comes without tiles, and still takes a tap."""
    settings.MAP_TILES_URL = ""


@pytest.fixture
def phone(page):
    """The page at a phone's width, with its GPS at the Khanka lake shore."""
    page.set_viewport_size(PHONE)
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 44.93, "longitude": 132.41, "accuracy": 25})
    return page


def log_out(page):
    page.click("header button:has-text('Log out')")
    page.wait_for_url("**/accounts/login/")


def file_a_crane(page):
    page.click("text=New record")
    page.wait_for_url("**/records/new/")
    page.select_option("#id_species", label="Red-crowned crane")
    page.select_option("#id_evidence", "sighting")
    page.fill("#id_observed_at", "2025-05-01T06:30")
    page.fill("#id_count", "3")
    page.click("#use-location")
    page.wait_for_function("document.getElementById('id_latitude').value !== ''")
    assert page.input_value("#id_latitude") == "44.930000"
    assert page.input_value("#id_coordinate_uncertainty_m") == "25"
    page.locator("#record-map").click()  # a tap on the map moves the point
    page.wait_for_function("document.getElementById('id_latitude').value !== '44.930000'")
    assert page.input_value("#id_coordinate_uncertainty_m") == ""
    page.click("button[value=submit]")
    page.wait_for_url("**/records/*/")
    assert page.get_by_text("Record submitted for review.").is_visible()


def test_a_ranger_files_a_record_and_the_manager_verifies_it(phone, log_in, people):
    """Filed on the phone, listed in "my records", verified from the queue."""
    page = phone
    log_in("ranger_ru")
    file_a_crane(page)
    record = Observation.objects.get()
    assert (record.status, record.count, record.created_by) == ("submitted", 3, people.ranger_ru)
    assert 44.8 < record.latitude < 45.1 and 132.2 < record.longitude < 132.7

    page.click("text=My records")
    row = page.locator("table.records tbody tr").first
    assert "Red-crowned crane" in row.inner_text()
    assert "submitted" in row.inner_text()
    assert "2025-05-01 06:30" in row.inner_text()
    log_out(page)

    log_in("manager_ru")
    page.click("text=Review queue")
    page.check(f"input[name=ids][value='{record.pk}']")
    page.click("text=Verify selected")
    page.wait_for_load_state()
    assert page.get_by_text("1 record verified.").is_visible()
    assert page.get_by_text("Nothing to review.").is_visible()
    record.refresh_from_db()
    assert record.status == "verified" and record.reviewed_by == people.manager_ru


def test_a_rejected_record_goes_back_to_its_ranger_who_fixes_it(phone, log_in, people):
    """The reason shows on "my records" and the record page; fixed, it is submitted again."""
    page = phone
    log_in("ranger_ru")
    file_a_crane(page)
    record = Observation.objects.get()
    log_out(page)

    log_in("manager_ru")
    page.goto(f"/en/records/{record.pk}/")
    page.fill("#id_reason", "Three adults, or two and a chick?")
    page.click("button[value=reject]")
    page.wait_for_load_state()
    assert page.get_by_text("Record rejected").is_visible()
    log_out(page)

    log_in("ranger_ru")
    page.click("text=My records")
    assert page.get_by_text("Three adults, or two and a chick?").is_visible()
    page.click("text=Fix it")
    page.wait_for_url("**/edit/")
    assert page.get_by_text("Three adults, or two and a chick?").is_visible()
    page.fill("#id_count", "2")
    page.fill("#id_notes", "Two adults and a chick.")
    page.click("button[value=submit]")
    page.wait_for_url(f"**/records/{record.pk}/")
    assert page.get_by_text("Record submitted for review.").is_visible()
    assert page.locator("ol.history > li").count() == 5
    record.refresh_from_db()
    assert (record.status, record.count, record.rejection_reason) == ("submitted", 2, "")
