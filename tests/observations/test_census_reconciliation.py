"""Reconciling a joint count: the same cranes or the same tiger counted from both banks.

Khankaisky (RU) and Xingkaihu (CN) face each other across Khanka Lake: their counts at the
same dawn are flagged as a possible double count; coordinator_ru looks at the evidence and
decides. Bastak (RU, 400 km north) is never a candidate. In the winter track census the
tiger known as RU "T-12" / CN "AT-033" leaves tracks on both sides: it is one tiger.
"""

import datetime as dt
from contextlib import nullcontext

import pytest

from observations.access import access_for
from observations.census import selectors
from observations.census.services import counts
from observations.census.services import reconciliation as reconcile
from observations.errors import DomainError, NotAllowed
from observations.models import (
    CensusCount,
    DoubleCountFlag,
    Individual,
    IndividualCode,
    Observation,
    ProtectedArea,
    Species,
)

from .census_stories import (
    TODAY,
    client,
    count_body,
    local_dawn,
    make_campaign,
    on_the_chinese_node,
)

pytestmark = pytest.mark.django_db


def submit(person, campaign, pa, **overrides):
    answer = client(person).post(
        f"/api/v1/census/campaigns/{campaign.pk}/counts/",
        count_body(pa, **overrides),
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    return CensusCount.objects.get(pk=answer.json()["id"])


@pytest.fixture
def crane_count(people, khankaisky, xingkaihu, settings):
    """Khankaisky counts 40 and Xingkaihu 25, each at 06:15 local time."""
    campaign = make_campaign(people.coordinator_ru)
    submit(people.ranger_ru, campaign, khankaisky, total=40)
    with on_the_chinese_node(settings):
        submit(people.ranger_cn, campaign, xingkaihu, total=25, count_min=20, count_max=30)
    return campaign


def test_partner_pas_counting_at_the_same_dawn_raise_a_flag(people, crane_count, bastak):
    """One nearby flag: at most the smaller flock, 25 cranes, was counted twice."""
    flags = list(DoubleCountFlag.objects.all())
    assert [(f.kind, f.suggested, f.is_open) for f in flags] == [("nearby", 25, True)]
    flag = flags[0]
    assert {flag.count_a.protected_area.code, flag.count_b.protected_area.code} == {
        "RU-KHANKAISKY",
        "CN-XINGKAIHU",
    }
    # 06:15 in Primorye (UTC+10) is two hours before 06:15 in Heilongjiang (UTC+8).
    assert flag.hours_apart == 2 and flag.distance_km < 60
    assert flag.pk == DoubleCountFlag.id_for(crane_count.pk, flag.key)  # the same on both nodes


def test_the_coordinator_resolves_the_flag_and_the_joint_total_counts_it_once(
    people, crane_count, bastak
):
    """Raw 40 + 25 + 10 = 75; 20 cranes were the same flock: the joint figure is 55."""
    # Bastak's count (far from the border lake) comes last; it raises no flag.
    answer = client(people.outsider).post(
        f"/api/v1/census/campaigns/{crane_count.pk}/counts/",
        count_body(bastak, total=10, count_min=None, count_max=None),
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    assert DoubleCountFlag.objects.count() == 1

    api = client(people.coordinator_ru)
    summary = api.get(f"/api/v1/census/campaigns/{crane_count.pk}/reconciliation/").json()
    assert (summary["raw_sum"], summary["reconciled_total"], summary["open_flags"]) == (75, 75, 1)
    flag_id = summary["flags"][0]["id"]

    answer = api.post(
        f"/api/v1/census/flags/{flag_id}/resolve/",
        {"decision": "same", "duplicate_count": 20, "note": "Same flock: photos match, 06:20"},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["removed"] == 20 and answer.json()["is_open"] is False

    summary = api.get(f"/api/v1/census/campaigns/{crane_count.pk}/reconciliation/").json()
    assert summary["per_country"] == [
        {"country": "CN", "total": 25, "counts": 1, "confirmed": 0},
        {"country": "RU", "total": 50, "counts": 2, "confirmed": 0},
    ]
    assert summary["raw_sum"] == 75
    assert summary["duplicates_removed"] == 20
    assert summary["reconciled_total"] == 55
    assert summary["open_flags"] == 0 and summary["missing"] == 0
    assert summary["is_final"] is False  # the counts are not confirmed yet


def test_a_flag_resolved_different_takes_nothing_off(people, crane_count):
    flag = DoubleCountFlag.objects.get()
    reconcile.flag_resolve(
        access=access_for(people.coordinator_ru),
        user=people.coordinator_ru,
        flag=flag,
        decision="different",
        note="Two flocks: one left north at 06:10, the other stayed.",
    )
    summary = selectors.reconciliation(campaign=crane_count)
    assert summary["reconciled_total"] == summary["raw_sum"] == 65


def test_a_resolution_needs_a_decision_a_note_and_a_sane_number(people, crane_count):
    flag = DoubleCountFlag.objects.get()
    api = client(people.coordinator_ru)
    url = f"/api/v1/census/flags/{flag.pk}/resolve/"
    no_note = api.post(url, {"decision": "same", "note": " "}, format="json")
    assert no_note.status_code == 400
    too_many = api.post(
        url, {"decision": "same", "duplicate_count": 26, "note": "x"}, format="json"
    )
    assert too_many.status_code == 400 and too_many.json()["code"] == "bad_duplicate_count"
    with pytest.raises(DomainError) as error:
        reconcile.flag_resolve(
            access=access_for(people.coordinator_ru),
            user=people.coordinator_ru,
            flag=flag,
            decision="maybe",
            note="?",
        )
    assert error.value.code == "bad_decision"
    for who in ("ranger_ru", "manager_ru", "reviewer"):
        refused = client(getattr(people, who)).post(
            url, {"decision": "same", "note": "mine"}, format="json"
        )
        assert refused.status_code == 403, who
    assert DoubleCountFlag.objects.get().is_open


def test_a_corrected_count_keeps_the_decision_while_its_basis_stands(people, crane_count):
    """Khankaisky corrects 40 to 30: the flag stays resolved; corrected to 0, it goes."""
    flag = DoubleCountFlag.objects.get()
    reconcile.flag_resolve(
        access=access_for(people.coordinator_ru),
        user=people.coordinator_ru,
        flag=flag,
        decision="same",
        note="same flock",
    )
    ru = CensusCount.objects.get(protected_area__code="RU-KHANKAISKY")
    api = client(people.ranger_ru)
    api.patch(f"/api/v1/census/counts/{ru.pk}/", {"total": 30, "count_min": 28}, format="json")
    flag.refresh_from_db()
    assert flag.decision == "same" and flag.suggested == 25
    answer = api.patch(
        f"/api/v1/census/counts/{ru.pk}/",
        {"total": 0, "count_min": 0, "count_max": 0},
        format="json",
    )
    assert answer.status_code == 200, answer.json()
    assert not DoubleCountFlag.objects.exists()


def test_counts_far_apart_in_time_raise_no_flag(people, khankaisky, xingkaihu, settings):
    """A snow-track census over a week with a 24-hour window: counts 3 days apart are not
    candidates."""
    campaign = make_campaign(
        people.coordinator_ru,
        method="nest_count",
        daily_start=None,
        daily_end=None,
        starts_on=(TODAY - dt.timedelta(days=6)).isoformat(),
        duplicate_window_hours=24,
        protected_areas=["RU-KHANKAISKY", "CN-XINGKAIHU"],
    )
    submit(people.ranger_ru, campaign, khankaisky, counted_at=local_dawn(khankaisky, 5).isoformat())
    with on_the_chinese_node(settings):
        submit(
            people.ranger_cn, campaign, xingkaihu, counted_at=local_dawn(xingkaihu, 2).isoformat()
        )
    assert not DoubleCountFlag.objects.exists()


def test_the_distance_across_the_border_is_configurable(people, settings):
    """Heixiazi (CN) and Bolshekhekhtsirsky (RU) are not partners but lie ~33 km apart:
    a candidate with a 40 km distance, not with the default 30 km."""
    heixiazi = ProtectedArea.objects.get(code="CN-HEIXIAZI")
    bolshe = ProtectedArea.objects.get(code="RU-BOLSHEKHEKHTSIRSKY")
    flags = {}
    for distance in (30, 40):
        campaign = make_campaign(
            people.coordinator_ru,
            name_en=f"Storks within {distance} km",
            species="Ciconia boyciana",
            duplicate_distance_km=distance,
            protected_areas=[heixiazi.code, bolshe.code],
        )
        for pa in (heixiazi, bolshe):
            with on_the_chinese_node(settings) if pa.country == "CN" else nullcontext():
                counts.count_submit(
                    access=access_for(people.admin),
                    user=people.admin,
                    campaign=campaign,
                    values={
                        "protected_area": pa.code,
                        "counted_at": local_dawn(pa),
                        "total": 6,
                        "points": 3,
                        "effort_hours": 5,
                    },
                )
        flags[distance] = campaign.flags.count()
    assert flags == {30: 0, 40: 1}


@pytest.fixture
def t12(people):
    """The tiger known as RU T-12 and CN AT-033."""
    tiger = Individual.objects.create(
        species=Species.objects.get(scientific_name="Panthera tigris altaica"), label="Khanka male"
    )
    IndividualCode.objects.create(individual=tiger, catalogue="RU", code="T-12")
    IndividualCode.objects.create(individual=tiger, catalogue="CN", code="AT-033")
    return tiger


def tiger_track(pa, person, *, individual=None, origin="RU", days_ago=2):
    return Observation.objects.create(
        protected_area=pa,
        species=Species.objects.get(scientific_name="Panthera tigris altaica"),
        observed_at=local_dawn(pa, days_ago=days_ago, hour=10),
        latitude=pa.centroid_lat,
        longitude=pa.centroid_lon,
        count=1,
        unit="tracks",
        evidence="track",
        individual=individual,
        status="verified",
        created_by=person,
        origin_node=origin,
    )


def test_the_same_known_tiger_on_both_sides_is_counted_once(
    people, khankaisky, xingkaihu, t12, settings
):
    """Khankaisky: T-12 and an unknown tiger (2); Xingkaihu: AT-033, the same animal (1).
    One individual flag; no nearby flag, since the only tiger Xingkaihu saw is T-12."""
    campaign = make_campaign(
        people.coordinator_ru,
        name_en="Winter track census",
        species="Panthera tigris altaica",
        method="snow_track",
        daily_start=None,
        daily_end=None,
        starts_on=(TODAY - dt.timedelta(days=5)).isoformat(),
        protected_areas=["RU-KHANKAISKY", "CN-XINGKAIHU"],
    )
    tracks = [
        tiger_track(khankaisky, people.ranger_ru, individual=t12),
        tiger_track(khankaisky, people.ranger_ru),
    ]
    effort = {"points": None, "effort_hours": None, "routes": 12, "effort_km": "148.5"}
    submit(
        people.ranger_ru,
        campaign,
        khankaisky,
        total=2,
        count_min=2,
        count_max=3,
        observations=[str(t.pk) for t in tracks],
        **effort,
    )
    with on_the_chinese_node(settings):
        cn_track = tiger_track(xingkaihu, people.ranger_cn, individual=t12, origin="CN", days_ago=3)
        submit(
            people.ranger_cn,
            campaign,
            xingkaihu,
            total=1,
            count_min=1,
            count_max=1,
            observations=[str(cn_track.pk)],
            **effort,
        )
    flags = list(campaign.flags.all())
    assert [(f.kind, f.individual_id, f.suggested) for f in flags] == [("individual", t12.pk, 1)]
    api = client(people.coordinator_ru)
    listed = api.get(f"/api/v1/census/campaigns/{campaign.pk}/reconciliation/").json()
    assert listed["flags"][0]["individual"]["codes"] == ["CN AT-033", "RU T-12"]
    api.post(
        f"/api/v1/census/flags/{flags[0].pk}/resolve/",
        {"decision": "same", "note": "Stripe pattern matches (camera CT-7 vs AT-033 catalogue)."},
        format="json",
    )
    summary = api.post(f"/api/v1/census/campaigns/{campaign.pk}/reconcile/").json()
    assert (summary["raw_sum"], summary["duplicates_removed"], summary["reconciled_total"]) == (
        3,
        1,
        2,
    )


def test_only_the_campaigns_coordinators_ask_for_a_new_check(people, crane_count):
    url = f"/api/v1/census/campaigns/{crane_count.pk}/reconcile/"
    assert client(people.ranger_ru).post(url).status_code == 403
    with pytest.raises(NotAllowed):
        reconcile.campaign_reconcile(access=access_for(people.reviewer), campaign=crane_count)
    assert client(people.coordinator_cn).post(url).status_code == 200
