"""A person logs in and reads the dashboard in English, Russian and Chinese."""

import pytest

from observations.demo import make_demo_data

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_ranger_switches_the_dashboard_to_russian_and_chinese(page, log_in, people):
    make_demo_data(years=1)
    log_in("ranger_ru")
    assert page.locator("h1").inner_text() == "Dashboard"
    assert page.get_by_text("Khankaisky").first.is_visible()

    page.select_option("#language-select", "ru")
    page.wait_for_url("**/ru/")
    assert page.locator("h1").inner_text() == "Сводка"
    assert page.get_by_text("Ханкайский").first.is_visible()

    page.select_option("#language-select", "zh-hans")
    page.wait_for_url("**/zh-hans/")
    assert page.locator("h1").inner_text() == "概览"
    assert page.get_by_text("汉卡湖").first.is_visible()
