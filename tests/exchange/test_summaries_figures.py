"""The figures of a summary, checked against the small history of summary_stories.py,
counted there by hand: counts per PA and country, the joint total with transboundary
individuals and resolved double counts counted once, the trend, detections per 100
trap-nights, nests, completeness and the programme's target."""

import json

import pytest

from exchange.summaries.context import Context
from exchange.summaries.figures import compute
from exchange.summaries.periods import parse_period
from exchange.summaries.scope import parse_scope

from .summary_stories import (
    CRANE,
    STORK,
    TIGER,
    make_cranes,
    make_storks,
    make_tigers,
    species,
)

pytestmark = pytest.mark.django_db


def figures(name, *, scope="joint", country="", pa="", **period):
    what = species(name)
    ctx = Context.make(
        species=what,
        period=parse_period(species=what, **period),
        scope=parse_scope(scope=scope, country=country, protected_area=pa),
    )
    return compute(ctx)


def by_code(rows, key="code"):
    return {row[key]: row for row in rows}


@pytest.fixture
def tigers(people):
    return make_tigers(people)


@pytest.fixture
def cranes(people):
    return make_cranes(people)


# --- tigers: known individuals, camera traps ------------------------------------------


def test_the_joint_tiger_count_counts_an_animal_seen_on_both_sides_once(tigers):
    f = figures(TIGER, year=2025)
    assert f["basis"] == "individuals"
    pas = by_code(f["pas"])
    assert pas["RU-BOLSHEKHEKHTSIRSKY"]["count"] == 2  # T-01, T-02
    assert pas["CN-DAJIAHE"]["count"] == 2  # AT-031, AT-032 (received from CN)
    assert {c["country"]: c["count"] for c in f["countries"]} == {"CN": 2, "RU": 2}
    assert f["total"] == 3  # T-01 is AT-031
    assert f["individuals"]["seen_on_both_sides"] == 1
    assert f["individuals"]["catalogue_entries"] == 4


def test_the_known_individuals_new_and_not_seen_again(tigers):
    known = figures(TIGER, year=2025)["individuals"]
    assert known["mna"] == 3
    assert known["new"] == 2  # T-02, AT-032; T-01 = AT-031 was seen in 2024
    assert known["not_seen_again"] == 1  # T-03
    assert known["previous_period"]["key"] == "2024"


def test_only_verified_records_of_the_period_and_species_count(tigers):
    pas = by_code(figures(TIGER, year=2025)["pas"])
    assert pas["RU-BOLSHEKHEKHTSIRSKY"]["records"] == 4  # not submitted, rejected, 2026
    assert pas["CN-DAJIAHE"]["records"] == 2


def test_the_effort_behind_the_counts(tigers):
    f = figures(TIGER, year=2025)
    assert f["survey_kinds"] == ["camera_trap", "snow_track"]
    pas = by_code(f["pas"])
    assert pas["RU-BOLSHEKHEKHTSIRSKY"]["effort"] == {
        "surveys": 3,
        "km": 12.0,
        "hours": None,
        "trap_nights": 100.0,
    }
    assert pas["CN-DAJIAHE"]["effort"]["trap_nights"] == 50.0


def test_detections_per_100_trap_nights_and_stations_with_detections(tigers):
    camera = figures(TIGER, year=2025)["camera"]
    assert (camera["stations"], camera["with_detections"]) == (3, 2)
    assert camera["share"] == pytest.approx(2 / 3, abs=1e-4)
    assert camera["trap_nights"] == 150
    assert camera["detections"] == 4  # T-01 twice within 10 minutes: one detection
    assert camera["per_100"] == pytest.approx(2.67, abs=0.005)
    pas = by_code(camera["pas"], "pa")
    assert (pas["RU-BOLSHEKHEKHTSIRSKY"]["per_100"], pas["CN-DAJIAHE"]["per_100"]) == (2.0, 4.0)
    assert pas["RU-BOLSHEKHEKHTSIRSKY"]["with_detections"] == 1  # S2 saw nothing


def test_the_tiger_trend_and_its_change(tigers):
    f = figures(TIGER, year=2025)
    assert [p["period"]["key"] for p in f["trend"]] == ["2021", "2022", "2023", "2024", "2025"]
    assert [p["total"] for p in f["trend"]] == [None, None, None, 2, 3]
    assert f["trend"][-1]["countries"] == {"RU": 2, "CN": 2}
    assert f["change"] == {"previous": 2, "current": 3, "difference": 1, "ratio": 0.5}


def test_completeness_names_the_target_pas_that_did_not_report(tigers):
    done = figures(TIGER, year=2025)["completeness"]
    assert done["reported"] == ["CN-DAJIAHE", "RU-BOLSHEKHEKHTSIRSKY"]
    assert done["missing"] == ["RU-KHEKHTSIRSKY", "RU-KHINGANSKY", "RU-SREDNEUSSURIYSKY"]


def test_a_country_summary_counts_its_own_side_only(tigers):
    f = figures(TIGER, year=2025, scope="country", country="CN")
    assert f["total"] == 2
    assert [r["code"] for r in f["pas"]] == ["CN-DAJIAHE"]
    assert f["camera"]["per_100"] == 4.0


def test_the_programme_target_comes_from_the_strategic_plan(tigers):
    target = figures(TIGER, year=2025)["target"]
    assert (target["value"], target["year"]) == (640, 2026)
    assert target["scope"] == "global population"
    assert "Strategic Plan 2021-2026" in target["source"] and "Goal 3" in target["source"]


def test_no_place_finer_than_a_protected_area_is_in_the_figures(tigers):
    text = json.dumps(figures(TIGER, year=2025))
    for name in ("latitude", "longitude", "centroid"):
        assert name not in text
    bolshe = tigers["t01"].protected_area
    assert f"{bolshe.centroid_lat}" not in text


# --- cranes: a census with a resolved double count --------------------------------------


def test_the_joint_crane_total_counts_a_resolved_double_count_once(cranes):
    f = figures(CRANE, year=2025)
    assert f["basis"] == "census"
    assert f["census"]["campaign"]["id"] == str(cranes[2025].pk)
    pas = by_code(f["pas"])
    assert (pas["RU-KHANKAISKY"]["count"], pas["CN-XINGKAIHU"]["count"]) == (40, 30)
    assert pas["RU-BASTAK"]["count"] is None and not pas["RU-BASTAK"]["reported"]
    assert {c["country"]: c["count"] for c in f["countries"]} == {"CN": 30, "RU": 40}
    census = f["census"]
    assert (census["raw_sum"], census["duplicates_removed"], f["total"]) == (70, 12, 58)
    assert census["open_flags"] == 0


def test_the_census_effort_is_the_one_each_pa_reported(cranes):
    pas = by_code(figures(CRANE, year=2025)["pas"])
    assert pas["RU-KHANKAISKY"]["effort"] == {
        "surveys": 6,
        "km": None,
        "hours": 18.5,
        "trap_nights": None,
    }


def test_the_crane_trend_uses_each_year_s_census(cranes):
    f = figures(CRANE, year=2025)
    assert [p["total"] for p in f["trend"]][-2:] == [60, 58]  # 2024's flag is still open
    assert f["change"]["ratio"] == pytest.approx(-2 / 60, abs=1e-4)


def test_a_campaign_is_a_period_of_its_own(cranes):
    f = figures(CRANE, campaign=str(cranes[2024].pk))
    assert f["period"]["kind"] == "campaign"
    assert f["total"] == 60
    assert f["census"]["open_flags"] == 1 and not f["census"]["is_final"]


def test_crane_completeness_is_the_campaign_s_participants(cranes):
    done = figures(CRANE, year=2025)["completeness"]
    assert done["expected"] == ["CN-XINGKAIHU", "RU-BASTAK", "RU-KHANKAISKY"]
    assert done["missing"] == ["RU-BASTAK"]


def test_nests_are_the_largest_survey_and_pairs_where_recorded(cranes):
    breeding = figures(CRANE, year=2025)["breeding"]
    assert (breeding["nests"], breeding["pairs"]) == (5, 6)
    pas = by_code(breeding["pas"], "pa")
    assert pas["RU-KHANKAISKY"]["nests"] == 5 and pas["RU-KHANKAISKY"]["pairs"] is None
    assert pas["CN-XINGKAIHU"]["pairs"] == 6


# --- storks: peak counts, local years ---------------------------------------------------


def test_without_census_or_individuals_a_pa_counts_its_peak(people):
    make_storks(people)
    f = figures(STORK, year=2025, scope="country", country="RU")
    assert f["basis"] == "records"
    pas = by_code(f["pas"])
    assert pas["RU-KHANKAISKY"]["count"] == 9
    assert pas["RU-BASTAK"]["count"] == 4  # 00:30 on 1 January in Vladivostok is 2025 there
    assert f["total"] == 13
    assert [p["total"] for p in f["trend"]][-2:] == [7, 13]
    assert f["camera"] is None and f["individuals"] is None and f["breeding"] is None
    assert f["target"] is None  # the documents give no target for storks
