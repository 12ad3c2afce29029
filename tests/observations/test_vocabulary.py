"""Values stored in English or as codes are shown in the reader's language."""

import json
from pathlib import Path

import pytest
from django.utils import translation

from exchange.exports.labels import filters_shown, licence_label
from exchange.partners.terms import terms_shown
from observations import vocabulary
from observations.templatetags.labels import country_name, role_name
from observations.templatetags.zones import zone_name

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "protected_areas.json"


@pytest.mark.parametrize(
    ("column", "known"),
    [
        ("province_en", vocabulary.PROVINCES),
        ("level_en", vocabulary.LEVELS),
        ("habitat_en", vocabulary.HABITATS),
        ("targets_en", vocabulary.TARGETS),
    ],
)
def test_every_seed_value_has_its_translation(column, known):
    """A value added to the seeds without its label would show in English on every page."""
    values = {row.get(column) for row in json.loads(SEEDS.read_text(encoding="utf-8"))}
    assert values - {None, ""} <= set(known)


@pytest.mark.django_db
def test_a_pa_reads_in_russian_and_chinese(khankaisky):
    with translation.override("ru"):
        assert khankaisky.province_label == "Приморский край"
        assert khankaisky.targets_label.startswith("журавли")
    with translation.override("zh-hans"):
        assert khankaisky.province_label == "滨海边疆区"
    assert khankaisky.province_label == "Primorsky Province"
    khankaisky.province = "Somewhere typed in the admin"
    assert khankaisky.province_label == "Somewhere typed in the admin"


def test_a_time_zone_is_named_by_its_city_and_offset():
    assert zone_name("Asia/Vladivostok") == "Vladivostok, UTC+10"
    with translation.override("ru"):
        assert zone_name("Asia/Vladivostok") == "Владивосток, UTC+10"
    with translation.override("zh-hans"):
        assert zone_name("Asia/Shanghai") == "上海, UTC+8"
    assert zone_name("UTC") == "UTC"
    assert zone_name("Not/AZone") == "Not/AZone"


def test_codes_are_named():
    with translation.override("ru"):
        assert country_name("CN") == "Китай"
        assert role_name("pa_manager") != "pa_manager"
    assert country_name("XX") == "XX" and role_name("nobody") == "nobody"


@pytest.mark.django_db
def test_agreement_terms_and_export_filters_are_shown_by_name(seeds):
    terms = {
        "species": ["Grus japonensis", "Unknownia ignota"],
        "protected_areas": ["RU-KHANKAISKY"],
        "statuses": ["verified"],
        "precision": {"Panthera tigris altaica": "10km"},
        "media_level": "thumbnails",
    }
    with translation.override("ru"):
        shown = terms_shown(terms)
        filters = dict(filters_shown({"species": ["Grus japonensis"], "country": "CN"}))
        licence = licence_label("CC-BY-4.0")
    assert shown["species"] == ["японский журавль", "Unknownia ignota"]
    assert shown["protected_areas"][0].startswith("Ханкайский")
    assert shown["precision"] == {"амурский тигр": "сетка 10 км"}
    assert "verified" not in shown["statuses"] and shown["media_level"] != "thumbnails"
    assert filters == {"вид": "японский журавль", "страна": "Китай"}
    assert "Атрибуция" in licence
