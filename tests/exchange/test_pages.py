"""The coordinators' exchange pages: sync state, agreements, the log of pages sent."""

import pytest

from exchange.models import Agreement, Node, SentPage, SyncState
from observations.models import Species

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner(seeds):
    node = Node.objects.create(code="CN", base_url="http://127.0.0.1:9", public_key="x")
    SyncState.objects.create(
        partner=node,
        checkpoint=10,
        partner_head=25,
        records_received=7,
        last_error="ConnectionError: refused",
    )
    return node


@pytest.mark.parametrize("who", ["ranger_ru", "manager_ru", "reviewer", "outsider"])
def test_only_coordinators_see_the_exchange(client, people, partner, who):
    client.force_login(getattr(people, who))
    for url in ["/en/exchange/", "/en/exchange/CN/agreement/", "/en/exchange/CN/log/"]:
        assert client.get(url).status_code == 404, url
    assert client.post("/en/exchange/CN/sync/").status_code == 404


def test_the_sync_page_shows_each_partners_state(client, people, partner):
    client.force_login(people.coordinator_ru)
    page = client.get("/en/exchange/").content.decode()
    assert "ConnectionError: refused" in page  # last error
    assert ">15<" in page  # lag: 25 - 10
    assert "Sync now" in page


def test_sync_now_enqueues_the_partners_sync(client, people, partner, monkeypatch):
    import exchange.partners.views

    queued = []
    monkeypatch.setattr(
        exchange.partners.views.sync_partner, "delay", lambda code: queued.append(code)
    )
    client.force_login(people.coordinator_ru)
    response = client.post("/en/exchange/CN/sync/")
    assert response.status_code == 302 and queued == ["CN"]


def test_a_coordinator_saves_an_agreement_and_each_change_is_a_version(client, people, partner):
    client.force_login(people.coordinator_ru)
    tiger = Species.objects.get(scientific_name="Panthera tigris altaica")
    crane = Species.objects.get(scientific_name="Grus japonensis")
    form = {
        "species": [tiger.pk, crane.pk],
        "statuses": ["verified"],
        "embargo_days": "30",
        "media_level": "thumbnails",
        "licence": "CC-BY-4.0",
        "active": "on",
        **{f"precision_{sp.pk}": sp.sensitivity for sp in Species.objects.all()},
        f"precision_{tiger.pk}": "pa",
    }
    assert client.post("/en/exchange/CN/agreement/", form).status_code == 302
    agreement = Agreement.objects.get(partner=partner)
    assert agreement.version == 1 and agreement.embargo_days == 30
    assert agreement.precision == {"Panthera tigris altaica": "pa"}
    client.post("/en/exchange/CN/agreement/", {**form, "embargo_days": "0"})
    agreement.refresh_from_db()
    assert agreement.version == 2
    assert list(agreement.versions.values_list("version", flat=True)) == [2, 1]
    client.post("/en/exchange/CN/agreement/", {**form, "embargo_days": "0"})  # no change
    agreement.refresh_from_db()
    assert agreement.version == 2


def test_a_bad_agreement_form_says_what_is_wrong(client, people, partner):
    client.force_login(people.coordinator_ru)
    response = client.post("/en/exchange/CN/agreement/", {"embargo_days": "-3"})
    assert response.status_code == 200
    assert not Agreement.objects.exists()


def test_the_log_lists_pages_sent(client, people, partner):
    SentPage.objects.create(
        partner=partner,
        after=0,
        until=5,
        agreement_version=3,
        upserts=2,
        items=["upsert:observation:abc"],
    )
    client.force_login(people.coordinator_ru)
    page = client.get("/en/exchange/CN/log/").content.decode()
    assert "upsert:observation:abc" in page
