"""Seed data comes from the source documents and loads idempotently."""

import pytest
from django.core.management import call_command

from observations.models import ProtectedArea, Species
from observations.seeds import load_seeds

pytestmark = pytest.mark.django_db

JOINT_SPECIES = {
    "Panthera tigris altaica",
    "Panthera pardus orientalis",
    "Ciconia boyciana",
    "Ciconia nigra",
    "Antigone vipio",
    "Grus japonensis",
}


def snapshot():
    pas = list(ProtectedArea.objects.order_by("code").values())
    species = list(Species.objects.order_by("scientific_name").values())
    targets = sorted(
        ProtectedArea.target_species.through.objects.values_list(
            "protectedarea__code", "species__scientific_name"
        )
    )
    return pas, species, targets


def test_load_seeds_twice_changes_nothing(no_seeds):
    first = load_seeds()
    assert first["protected_areas"].created == ProtectedArea.objects.count()
    before = snapshot()
    second = load_seeds()
    assert snapshot() == before
    assert second["protected_areas"].created == second["protected_areas"].updated == 0
    assert second["species"].created == second["species"].updated == 0


def test_the_command_reports_what_it_did(capsys):
    call_command("load_seeds")
    call_command("load_seeds")
    out = capsys.readouterr().out
    assert "0 created, 0 updated" in out.splitlines()[-1]


def test_every_border_pa_of_the_table_is_there(seeds):
    existing = ProtectedArea.objects.filter(status="existing")
    assert existing.filter(country="CN").count() == 14
    assert existing.filter(country="RU").count() == 12
    planned = ProtectedArea.objects.filter(status="planned")
    assert planned.count() == 3 and set(planned.values_list("country", flat=True)) == {"RU"}


def test_every_pa_has_its_names_in_three_languages_and_a_time_zone(seeds):
    for pa in ProtectedArea.objects.all():
        assert pa.name_en and pa.name_ru and pa.name_zh, pa.code
        assert pa.tz  # a valid IANA zone
    assert ProtectedArea.objects.get(code="RU-KHANKAISKY").name_ru.startswith("Ханкайский")


def test_the_khanka_lake_pair_points_both_ways(khankaisky, xingkaihu):
    assert khankaisky.transboundary_partner == xingkaihu
    assert xingkaihu.transboundary_partner == khankaisky
    for pa in ProtectedArea.objects.exclude(transboundary_partner=None):
        assert pa.transboundary_partner.transboundary_partner == pa


def test_the_six_joint_species_have_russian_and_chinese_names(seeds):
    joint = Species.objects.filter(jointly_monitored=True)
    assert set(joint.values_list("scientific_name", flat=True)) == JOINT_SPECIES
    for sp in joint:
        assert sp.name_ru and sp.name_zh and sp.iucn_category and sp.cites_appendix


def test_the_programme_targets_of_the_strategic_plan(seeds):
    tiger = Species.objects.get(scientific_name="Panthera tigris altaica")
    leopard = Species.objects.get(scientific_name="Panthera pardus orientalis")
    assert (tiger.target_value, tiger.target_year) == (640, 2026)
    assert (leopard.target_value, leopard.target_year) == (130, 2026)


def test_big_cats_are_shared_at_10_km_at_most(seeds):
    cats = Species.objects.filter(scientific_name__startswith="Panthera")
    assert set(cats.values_list("sensitivity", flat=True)) == {"10km"}


def test_uncertain_table_rows_carry_a_note(seeds):
    """The PDF table runs Sangjiang, Bachadao and Taipinggou together: say so, do not guess."""
    for code in ["CN-BACHADAO", "CN-TAIPINGGOU"]:
        assert ProtectedArea.objects.get(code=code).note
