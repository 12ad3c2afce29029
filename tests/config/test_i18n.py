"""Pages speak English, Russian and Simplified Chinese; the switcher moves between them."""

import pytest

pytestmark = pytest.mark.django_db


def test_each_language_has_its_url_prefix(client, seeds):
    assert "Protected areas" in client.get("/en/protected-areas/").content.decode()
    assert "Охраняемые территории" in client.get("/ru/protected-areas/").content.decode()
    assert "保护区" in client.get("/zh-hans/protected-areas/").content.decode()


def test_names_of_pas_follow_the_language(client, seeds):
    assert "Ханкайский" in client.get("/ru/protected-areas/RU-KHANKAISKY/").content.decode()
    assert "兴凯湖国家级自然保护区" in client.get("/zh-hans/protected-areas/").content.decode()


def test_the_switcher_keeps_the_page_and_changes_the_language(client, seeds):
    response = client.post(
        "/i18n/setlang/", {"language": "ru", "next": "/en/species/"}, follow=False
    )
    assert response.status_code == 302
    assert response["Location"] == "/ru/species/"
    page = client.get(response["Location"]).content.decode()
    assert "Виды" in page


def test_the_root_follows_the_browser_language(client, seeds):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert response.status_code == 302
    assert response["Location"].startswith("/zh-hans/")


def test_the_api_answers_in_the_language_asked(api, seeds):
    response = api.get("/api/v1/protected-areas/?country=XX", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    assert "不是" in str(response.json()) or "有效" in str(response.json())
