"""The change feed as one node serves it: which changes a partner sees, and how.

Here the Russian node serves the Chinese partner; ranger_ru files records at
Khankaisky and manager_ru verifies them.
"""

import datetime as dt

import pytest
from django.utils import timezone

from exchange.feed import feed_page
from exchange.models import Node, SentPage
from exchange.partners.agreements import agreement_save, release_embargoes
from observations.access import access_for
from observations.models import ChangeEntry, Species
from observations.records.services import (
    observation_create,
    record_delete,
    record_reopen,
    record_submit,
    record_verify,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(seeds):
    return Node.objects.create(code="CN", base_url="http://127.0.0.1:9", public_key="x")


@pytest.fixture
def agree(partner, people):
    def agree(**terms):
        values = {
            "species": list(Species.objects.filter(jointly_monitored=True)),
            "protected_areas": [],
            "statuses": ["verified"],
            "embargo_days": 0,
            "precision": {},
            "media_level": "none",
            "licence": "CC-BY-4.0",
            **terms,
        }
        return agreement_save(partner=partner, user=people.coordinator_ru, **values)

    return agree


@pytest.fixture
def filed(people, khankaisky):
    """ranger_ru files a record; verified unless asked otherwise."""

    def file(verify=True, days_ago=1, **values):
        ranger = access_for(people.ranger_ru)
        obs, _ = observation_create(
            access=ranger,
            user=people.ranger_ru,
            values={
                "protected_area": khankaisky,
                "species": "Grus japonensis",
                "observed_at": timezone.now() - dt.timedelta(days=days_ago),
                "latitude": 44.951234,
                "longitude": 132.451234,
                "count": 3,
                "evidence": "sighting",
                **values,
            },
        )
        if verify:
            record_submit(access=ranger, user=people.ranger_ru, record=obs)
            record_verify(access=access_for(people.manager_ru), user=people.manager_ru, record=obs)
        return obs

    return file


def sent(partner, after=0):
    page = feed_page(partner, after=after, limit=1000)
    return {i["id"]: i for i in page["items"]}, page


def test_every_change_is_numbered_in_its_own_transaction(filed):
    obs = filed()
    entries = list(ChangeEntry.objects.filter(record_id=obs.pk).values_list("seq", "action"))
    assert [a for _, a in entries] == ["upsert", "upsert", "upsert"]  # filed, submitted, verified
    assert [s for s, _ in entries] == sorted(s for s, _ in entries)


def test_only_verified_records_of_agreed_species_are_sent(partner, agree, filed):
    agree(species=list(Species.objects.filter(scientific_name="Grus japonensis")))
    verified, draft = filed(), filed(verify=False)
    other = filed(species="Antigone vipio")
    items, _ = sent(partner)
    assert str(verified.pk) in items
    assert str(draft.pk) not in items and str(other.pk) not in items


def test_nothing_is_sent_without_an_agreement(partner, filed):
    filed()
    items, page = sent(partner)
    assert items == {} and page["agreement_version"] == 0


def test_a_page_names_its_range_and_the_log_keeps_it(partner, agree, filed):
    agree()
    obs = filed()
    items, page = sent(partner)
    assert page["until"] >= page["after"] and page["head"] == page["until"]
    log = SentPage.objects.get()
    assert log.partner == partner and log.agreement_version == 1
    assert f"upsert:observation:{obs.pk}" in log.items


def test_precision_follows_the_agreement(partner, agree, filed):
    agree(precision={"Grus japonensis": "10km"})
    obs = filed()
    data = sent(partner)[0][str(obs.pk)]["data"]
    assert (data["latitude"], data["longitude"]) == (44.95, 132.45)
    assert data["location_precision"] == "10km" and data["coordinate_uncertainty_m"] > 5000


def test_pa_only_precision_sends_the_centroid(partner, agree, filed, khankaisky):
    agree(precision={"Grus japonensis": "pa"})
    obs = filed()
    data = sent(partner)[0][str(obs.pk)]["data"]
    assert (data["latitude"], data["longitude"]) == (
        khankaisky.centroid_lat,
        khankaisky.centroid_lon,
    )


def test_personal_data_stays_home_unless_agreed(partner, agree, filed, people):
    agree()
    obs = filed()
    data = sent(partner)[0][str(obs.pk)]["data"]
    assert data["observer_name"] is None and data["observer_code"] == obs.observer_code
    assert "ranger_ru" not in str(data)
    agreement_save(
        partner=partner,
        user=people.coordinator_ru,
        species=list(Species.objects.filter(jointly_monitored=True)),
        protected_areas=[],
        statuses=["verified"],
        embargo_days=0,
        precision={},
        media_level="none",
        licence="CC-BY-4.0",
        share_personal_data=True,
    )
    assert sent(partner)[0][str(obs.pk)]["data"]["observer_name"] == "ranger_ru"


def test_an_embargo_holds_records_back_until_it_ends(partner, agree, filed):
    agree(embargo_days=30)
    recent, old = filed(days_ago=10), filed(days_ago=40)
    items, page = sent(partner)
    assert str(old.pk) in items and str(recent.pk) not in items
    released = release_embargoes(now=timezone.now() + dt.timedelta(days=21))
    assert released >= 1
    later = feed_page(
        partner, after=page["until"], limit=100, now=timezone.now() + dt.timedelta(days=21)
    )
    assert str(recent.pk) in {i["id"] for i in later["items"]}


def test_a_pa_outside_the_agreement_is_not_sent(partner, agree, filed, bastak):
    agree(protected_areas=[bastak])
    obs = filed()
    assert str(obs.pk) not in sent(partner)[0]


def test_narrowing_the_agreement_sends_tombstones_for_what_the_partner_holds(
    partner, agree, filed, settings
):
    agree()
    crane, stork = filed(), filed(species="Ciconia boyciana")
    _, first = sent(partner)
    agreement = agree(species=list(Species.objects.filter(scientific_name="Ciconia boyciana")))
    assert agreement.version == 2
    # The reevaluation runs as a task on commit; run it here as the worker would.
    from exchange.partners.agreements import reevaluate

    reevaluate(
        agreement_id=agreement.pk,
        species_ids=list(
            Species.objects.filter(jointly_monitored=True).values_list("pk", flat=True)
        ),
    )
    items, page = sent(partner, after=first["until"])
    assert items[str(crane.pk)]["action"] == "delete"
    assert items[str(stork.pk)]["action"] == "upsert"
    assert page["agreement_version"] == 2


def test_a_reopened_record_is_withdrawn(partner, agree, filed, people):
    agree()
    obs = filed()
    _, first = sent(partner)
    record_reopen(
        access=access_for(people.manager_ru),
        user=people.manager_ru,
        record=obs,
        reason="count again",
    )
    items, _ = sent(partner, after=first["until"])
    assert items[str(obs.pk)]["action"] == "delete"


def test_a_deleted_draft_that_was_never_sent_says_nothing(partner, agree, filed, people):
    agree()
    draft = filed(verify=False)
    record_delete(access=access_for(people.ranger_ru), record=draft)
    assert str(draft.pk) not in sent(partner)[0]


def test_received_records_are_never_passed_on(partner, agree, filed):
    agree()
    obs = filed()
    type(obs).objects.filter(pk=obs.pk).update(origin_node="CN")
    assert str(obs.pk) not in sent(partner)[0]


def test_a_reevaluation_is_for_its_partner_only_and_goes_with_the_node(partner, agree, filed):
    agree()
    obs = filed()
    other = Node.objects.create(code="MN", base_url="http://127.0.0.1:9", public_key="y")
    _, first = sent(partner)
    from exchange.partners.agreements import reevaluate
    from observations.feed import OBSERVATION

    reevaluate(agreement_id=partner.agreement.pk, species_ids=[obs.species_id])
    targeted = ChangeEntry.objects.filter(action="reevaluate", kind=OBSERVATION)
    assert set(targeted.values_list("partner_code", flat=True)) == {"CN"}
    assert str(obs.pk) in sent(partner, after=first["until"])[0]
    # The other partner's page skips them: nothing after where it stood.
    assert feed_page(other, after=first["until"], limit=1000)["until"] == first["until"]
    partner.delete()
    assert not ChangeEntry.objects.filter(action="reevaluate").exists()
    assert ChangeEntry.objects.filter(record_id=obs.pk).exists()
