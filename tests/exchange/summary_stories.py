"""A small monitoring history, small enough to count by hand, for the summary stories.

This test process is the Russian node. Its own records (origin RU) are those of the
Russian PAs; the Chinese PAs' records were received from the Chinese node (origin CN,
source "sync"). Every record below is verified unless it says otherwise.

**Amur tiger, 2025** (known individuals; a catalogue code per country):

- Bolshekhekhtsirsky (RU): camera station S1 (set up 1 Feb, 40 trap-nights) photographed
  T-01 at 10:00 and again at 10:10 on 3 Feb (10 minutes apart: one independent detection)
  and T-02 on 5 Feb; station S2 (1 Mar, 60 trap-nights) photographed nothing; a snow-track
  route (12 km) found tracks (no individual). 4 records, 3 surveys, 12 km, 100 trap-nights;
- Dajiahe (CN, received): station S3 (10 Feb, 50 trap-nights) photographed AT-031 and
  AT-032. 2 records, 1 survey, 50 trap-nights;
- T-01 (RU) and AT-031 (CN) are one animal: a match confirmed by both sides;
- not counted: a submitted T-02 photo, a rejected one, a crane at S1, a 2026 photo.

By hand: Bolshekhekhtsirsky 2 animals (T-01, T-02), Dajiahe 2 (AT-031, AT-032); Russia 2,
China 2; jointly 3, not 4 (T-01 = AT-031, seen on both sides, counted once). Records 6.
Camera: 3 stations, 2 with detections (67 %); 150 trap-nights; independent detections
2 + 2 = 4; 4 / 150 x 100 = 2.67 per 100 trap-nights (S1+S2: 2 / 100 x 100 = 2.00, S3:
2 / 50 x 100 = 4.00).
**2024**: T-01 and T-03 photographed at a 2024 station of Bolshekhekhtsirsky: 2 animals.
So in 2025: new T-02 and AT-032 (2); T-03 not seen again (1); trend 2024 -> 2025: 2 -> 3,
+50 %. Completeness: the PAs whose targets name the tiger (seeds: Dajiahe, Khingansky,
Bolshekhekhtsirsky, Khekhtsirsky, Sredneussuriysky): 2 of 5 reported.

**Red-crowned crane** (census): the Khanka Lake crane counts of May 2025 and May 2024,
participants Khankaisky (RU), Xingkaihu (CN, received) and Bastak (RU).

- 2025: Khankaisky 40, Xingkaihu 30, Bastak did not report; the two partner reserves'
  counts are a possible double count, which the coordinator resolved: 12 birds counted
  from both banks. Joint total 40 + 30 - 12 = 58; Russia 40, China 30.
- 2024: Khankaisky 35, Xingkaihu 25, the flag left open: 60 (provisional).
- trend 2024 -> 2025: 60 -> 58, -3.3 %. Completeness: 2 of 3 participants reported.
- nests: Khankaisky's nest surveys of June 2025 found 3 + 2 = 5 and then 4 nests (the
  PA's figure: 5, the larger survey); Xingkaihu recorded 6 breeding pairs. Totals 5 and 6.

**Oriental stork in Russia, 2025** (no census, no individuals: peak counts):
Khankaisky 5 and 9 (peak 9); Bastak 4, counted at 00:30 on 1 January 2025 Vladivostok
time, which is still 31 December 2024 in UTC (in 2025 all the same). Total 9 + 4 = 13.
2024: Khankaisky 7 -> trend 7 -> 13.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone
from rest_framework.test import APIClient

from observations.access import access_for
from observations.census.services.reconciliation import flag_resolve, flags_refresh
from observations.models import (
    CensusCampaign,
    CensusCount,
    Individual,
    IndividualCode,
    IndividualMatch,
    ProtectedArea,
    Species,
)

from ..factories import ObservationFactory, SurveyEventFactory

UTC = dt.UTC
VLADIVOSTOK, SHANGHAI = ZoneInfo("Asia/Vladivostok"), ZoneInfo("Asia/Shanghai")
TIGER, CRANE, STORK = "Panthera tigris altaica", "Grus japonensis", "Ciconia boyciana"


def client(person):
    api = APIClient()
    api.force_authenticate(person)
    return api


def pa(code):
    return ProtectedArea.objects.get(code=code)


def species(name):
    return Species.objects.get(scientific_name=name)


def at(year, month, day, hour=12, minute=0, zone=UTC):
    return dt.datetime(year, month, day, hour, minute, tzinfo=zone)


def record(where, what, when, *, count=1, evidence="sighting", origin=None, **extra):
    origin = origin or where.country
    return ObservationFactory(  # verified, at the PA's centre, unless it says otherwise
        protected_area=where,
        species=what,
        observed_at=when,
        count=count,
        evidence=evidence,
        rejection_reason=extra.pop("rejection_reason", ""),
        origin_node=origin,
        source="sync" if origin != "RU" else "form",
        **extra,
    )


def survey(where, kind, started, *, origin=None, **effort):
    return SurveyEventFactory(  # verified, 30 days long, unless it says otherwise
        protected_area=where,
        kind=kind,
        started_at=started,
        origin_node=origin or where.country,
        **effort,
    )


def individual(what, catalogue, code):
    animal = Individual.objects.create(species=what, origin_node=catalogue, label=code)
    IndividualCode.objects.create(individual=animal, catalogue=catalogue, code=code)
    return animal


def make_tigers(people) -> dict:
    tiger, crane = species(TIGER), species(CRANE)
    bolshe, dajiahe = pa("RU-BOLSHEKHEKHTSIRSKY"), pa("CN-DAJIAHE")
    t01, t02, t03 = (individual(tiger, "RU", f"T-0{i}") for i in (1, 2, 3))
    at031, at032 = individual(tiger, "CN", "AT-031"), individual(tiger, "CN", "AT-032")
    IndividualMatch.objects.create(
        individual_a=at031,
        individual_b=t01,
        side_a="CN",
        side_b="RU",
        code_a="AT-031",
        code_b="T-01",
        status="confirmed",
        confirmed_a_by=people.manager_cn,
        confirmed_b_by=people.manager_ru,
    )
    s1 = survey(bolshe, "camera_trap", at(2025, 2, 1), effort_trap_nights=40)
    s2 = survey(bolshe, "camera_trap", at(2025, 3, 1), effort_trap_nights=60)
    route = survey(bolshe, "snow_track", at(2025, 1, 15), effort_km=12)
    s3 = survey(dajiahe, "camera_trap", at(2025, 2, 10), effort_trap_nights=50)
    old = survey(bolshe, "camera_trap", at(2024, 2, 1), effort_trap_nights=30)
    photo = {"evidence": "camera"}
    made = {
        "t01": record(bolshe, tiger, at(2025, 2, 3, 10, 0), event=s1, individual=t01, **photo),
        "t01_again": record(
            bolshe, tiger, at(2025, 2, 3, 10, 10), event=s1, individual=t01, **photo
        ),
        "t02": record(bolshe, tiger, at(2025, 2, 5), event=s1, individual=t02, **photo),
        "tracks": record(
            bolshe, tiger, at(2025, 1, 15, 5), event=route, evidence="track", unit="tracks"
        ),
        "at031": record(dajiahe, tiger, at(2025, 2, 12), event=s3, individual=at031, **photo),
        "at032": record(dajiahe, tiger, at(2025, 2, 20), event=s3, individual=at032, **photo),
        # 2024
        "t01_2024": record(bolshe, tiger, at(2024, 2, 2), event=old, individual=t01, **photo),
        "t03_2024": record(bolshe, tiger, at(2024, 2, 9), event=old, individual=t03, **photo),
        # not counted
        "submitted": record(
            bolshe,
            tiger,
            at(2025, 2, 6),
            event=s1,
            individual=t02,
            status="submitted",
            **photo,
        ),
        "rejected": record(
            bolshe,
            tiger,
            at(2025, 2, 7),
            event=s1,
            individual=t03,
            status="rejected",
            rejection_reason="a lynx",
            **photo,
        ),
        "crane_at_s1": record(bolshe, crane, at(2025, 2, 8), event=s1, **photo),
        "next_year": record(bolshe, tiger, at(2026, 2, 1), individual=t03, **photo),
    }
    made.update(s1=s1, s2=s2, s3=s3, route=route, match_ids=(t01.pk, at031.pk))
    return made


def _campaign(people, year, name):
    crane = species(CRANE)
    campaign = CensusCampaign.objects.create(
        name_en=f"Khanka Lake crane count {year}",
        name_ru=f"Учёт журавлей на озере Ханка {year}",
        name_zh=f"兴凯湖鹤类同步调查 {year}",
        species=crane,
        method="point_count",
        unit="individuals",
        starts_on=dt.date(year, 5, 10),
        ends_on=dt.date(year, 5, 12),
        submission_deadline=dt.date(year, 5, 26),
        created_by=people.coordinator_ru,
    )
    campaign.protected_areas.set([pa("RU-KHANKAISKY"), pa("CN-XINGKAIHU"), pa("RU-BASTAK")])
    return campaign


def _count(campaign, where, total, when, origin):
    return CensusCount.objects.create(
        campaign=campaign,
        protected_area=where,
        status="confirmed",
        counted_at=when,
        total=total,
        points=6,
        effort_hours="18.5",
        origin_node=origin,
    )


def make_cranes(people) -> dict:
    khanka, xingkai = pa("RU-KHANKAISKY"), pa("CN-XINGKAIHU")
    made = {}
    for year, (ru, cn), resolve in ((2024, (35, 25), False), (2025, (40, 30), True)):
        campaign = _campaign(people, year, "crane")
        _count(campaign, khanka, ru, at(year, 5, 11, 6, zone=VLADIVOSTOK), "RU")
        _count(campaign, xingkai, cn, at(year, 5, 11, 6, zone=SHANGHAI), "CN")
        flags = flags_refresh(campaign=campaign)
        assert len(flags) == 1, flags
        if resolve:
            flag_resolve(
                access=access_for(people.coordinator_ru),
                user=people.coordinator_ru,
                flag=flags[0],
                decision="same",
                duplicate_count=12,
                note="the same flocks on the lake, seen from both shores",
            )
        made[year] = campaign
    crane = species(CRANE)
    nests_1 = survey(khanka, "nest_survey", at(2025, 6, 2))
    nests_2 = survey(khanka, "nest_survey", at(2025, 6, 20))
    for event, counts in ((nests_1, (3, 2)), (nests_2, (4,))):
        for n in counts:
            record(
                khanka, crane, event.started_at, count=n, evidence="nest", unit="nests", event=event
            )
    record(xingkai, crane, at(2025, 6, 5), count=6, evidence="nest", unit="breeding_pairs")
    return made


def make_storks(people) -> dict:
    stork = species(STORK)
    khanka, bastak = pa("RU-KHANKAISKY"), pa("RU-BASTAK")
    return {
        "khanka_5": record(khanka, stork, at(2025, 5, 3), count=5),
        "khanka_9": record(khanka, stork, at(2025, 7, 9), count=9),
        "bastak_new_year": record(bastak, stork, at(2025, 1, 1, 0, 30, zone=VLADIVOSTOK), count=4),
        "khanka_2024": record(khanka, stork, at(2024, 6, 1), count=7),
        "khanka_2026": record(khanka, stork, at(2026, 1, 1, 0, 30, zone=VLADIVOSTOK), count=50),
    }


def today_after_2025():
    return max(timezone.now().date(), dt.date(2026, 1, 2))
