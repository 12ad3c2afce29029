"""Sync between two real nodes over HTTP: the Russian node (here) pulls from the Chinese
node (another process), through a real Celery worker.

The story: ranger_cn files crane and tiger records at Xingkaihu and manager_cn verifies
them; the Russian node pulls what the agreement allows.
"""

import datetime as dt
import http.server
import threading
import uuid

import pytest
import requests
from celery.exceptions import CeleryError

from exchange.client import get_signed
from exchange.models import Node, SentPage, SyncState
from exchange.partners.tasks import sync_partner
from exchange.signing import SignatureError, sign_request
from exchange.sync import apply as sync
from observations.access import access_for
from observations.models import Observation

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]

YESTERDAY = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)

# Each story starts from the same Chinese node (tests/exchange/conftest.py): its demo data
# (load_demo_data --years 0) holds no record, only its catalogue's known animals, which
# cross with the first full pull: 8 tigers and 5 leopards.
CN_TIGERS, CN_LEOPARDS = 8, 5
CN_ANIMALS = CN_TIGERS + CN_LEOPARDS


def cn_record(cn, *, verify=True, **overrides) -> str:
    """ranger_cn files a record through the Chinese node's API; manager_cn verifies it."""
    body = {
        "id": str(uuid.uuid4()),
        "protected_area": "CN-XINGKAIHU",
        "species": "Grus japonensis",
        "observed_at": (YESTERDAY - dt.timedelta(minutes=len(overrides))).isoformat(),
        "latitude": 45.27,
        "longitude": 132.55,
        "count": 5,
        "evidence": "sighting",
        **overrides,
    }
    created = cn.api("ranger_cn", "POST", "/api/v1/observations/", json=body)
    assert created.status_code == 201, created.text
    if verify:
        cn.api("ranger_cn", "POST", f"/api/v1/observations/{body['id']}/submit/")
        verified = cn.api("manager_cn", "POST", f"/api/v1/observations/{body['id']}/verify/")
        assert verified.json()["status"] == "verified", verified.text
    return body["id"]


def pull(limit=None) -> dict:
    return sync_partner.delay("CN", limit).get(timeout=120)


def received(ids) -> set[str]:
    return {str(i) for i in Observation.objects.filter(pk__in=ids).values_list("pk", flat=True)}


def test_a_full_sync_brings_the_verified_records_and_nothing_else(two_nodes, people):
    verified = [cn_record(two_nodes, count=n) for n in (1, 2, 3)]
    draft = cn_record(two_nodes, verify=False)
    result = pull()
    assert received(verified) == set(verified)
    assert received([draft]) == set()
    assert result["upserts"] == 3 + CN_ANIMALS
    record = Observation.objects.get(pk=verified[0])
    assert (record.origin_node, record.source, record.status) == ("CN", "sync", "verified")
    assert record.created_by is None and record.observer_code.startswith("CN-")
    assert not access_for(people.admin).can_edit_record(record)  # read-only here
    state = SyncState.objects.get(partner__code="CN")
    assert state.last_success_at and state.last_error == "" and state.lag == 0


def test_an_incremental_sync_brings_only_what_is_new(two_nodes):
    cn_record(two_nodes)
    pull()
    checkpoint = SyncState.objects.get(partner__code="CN").checkpoint
    new = [cn_record(two_nodes, count=7), cn_record(two_nodes, count=8)]
    result = pull()
    assert received(new) == set(new)
    assert result["upserts"] == 2
    assert SyncState.objects.get(partner__code="CN").checkpoint > checkpoint


def test_a_sync_cut_off_mid_page_resumes_with_nothing_lost_or_doubled(two_nodes, monkeypatch):
    pull()  # caught up: the next pages hold only the five records below
    ids = [cn_record(two_nodes, count=n) for n in range(1, 6)]
    real_save, calls = sync._save, {"n": 0}

    def crash_on_the_second_page(model, records, fields):
        if model is Observation and records:
            calls["n"] += 1
            if calls["n"] == 2:
                raise RuntimeError("worker killed mid-page")
        return real_save(model, records, fields)

    monkeypatch.setattr(sync, "_save", crash_on_the_second_page)
    with pytest.raises((RuntimeError, CeleryError)):
        pull(limit=2)
    partial = received(ids)
    assert 0 < len(partial) < 5  # the first page landed whole, the second not at all
    state = SyncState.objects.get(partner__code="CN")
    assert state.running_since is None  # the claim was released

    monkeypatch.setattr(sync, "_save", real_save)
    pull(limit=2)
    assert received(ids) == set(ids)
    assert Observation.objects.filter(pk__in=ids).count() == 5


def test_the_same_page_delivered_twice_changes_nothing_the_second_time(two_nodes):
    ids = [cn_record(two_nodes, count=n) for n in (1, 2)]
    partner = Node.objects.get(code="CN")
    page = get_signed(partner, "/api/v1/exchange/feed/?after=0&limit=5000")
    first = sync.apply_page(partner, page)
    before = list(Observation.objects.order_by("pk").values())
    second = sync.apply_page(partner, page)
    assert (
        first.upserts == 2 + CN_ANIMALS
        and second.upserts == 0
        and second.skipped == len(page["items"])
    )
    assert list(Observation.objects.order_by("pk").values()) == before
    assert received(ids) == set(ids)


def test_pages_out_of_order_end_in_the_same_state(two_nodes):
    record = cn_record(two_nodes)
    partner = Node.objects.get(code="CN")
    head = get_signed(partner, "/api/v1/exchange/feed/?after=0&limit=5000")
    # Later the Chinese manager takes the record back: a tombstone follows in a newer page.
    two_nodes.api(
        "manager_cn", "POST", f"/api/v1/observations/{record}/reopen/", json={"reason": "recount"}
    )
    newer = get_signed(partner, f"/api/v1/exchange/feed/?after={head['until']}&limit=5000")
    assert any(i["action"] == "delete" and i["id"] == record for i in newer["items"])
    sync.apply_page(partner, newer)  # the newer page arrives first...
    sync.apply_page(partner, head)  # ...the older one late: it must not resurrect the record
    assert received([record]) == set()
    assert SyncState.objects.get(partner=partner).checkpoint == newer["until"]


class TamperingProxy(http.server.ThreadingHTTPServer):
    """A man in the middle on loopback: forwards to the partner, may change the answer."""

    def __init__(self, target: str, tamper: bool):
        self.target, self.tamper, self.seen = target, tamper, []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(handler):  # noqa: N802
                headers = {
                    k: v for k, v in handler.headers.items() if k.lower().startswith("x-amur")
                }
                upstream = requests.get(self.target + handler.path, headers=headers, timeout=30)
                body = upstream.content
                self.seen.append(body)
                if self.tamper:
                    body = body.replace(b'"count":5', b'"count":50')
                handler.send_response(upstream.status_code)
                for name, value in upstream.headers.items():
                    if name.lower().startswith("x-amur") or name.lower() == "content-type":
                        handler.send_header(name, value)
                handler.send_header("Content-Length", str(len(body)))
                handler.end_headers()
                handler.wfile.write(body)

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def through_proxy(two_nodes):
    proxies = []

    def route(tamper: bool) -> TamperingProxy:
        proxy = TamperingProxy(two_nodes.url, tamper)
        proxies.append(proxy)
        Node.objects.filter(code="CN").update(base_url=proxy.url)
        return proxy

    yield route
    for proxy in proxies:
        proxy.shutdown()


def test_a_tampered_page_is_refused_and_nothing_is_applied(two_nodes, through_proxy):
    record = cn_record(two_nodes)
    through_proxy(tamper=True)
    with pytest.raises((SignatureError, CeleryError)):
        pull()
    assert received([record]) == set()
    assert "signature" in SyncState.objects.get(partner__code="CN").last_error


def test_exact_tiger_coordinates_never_cross_the_border_at_10_km(two_nodes, through_proxy):
    proxy = through_proxy(tamper=False)
    tiger = cn_record(
        two_nodes,
        species="Panthera tigris altaica",
        evidence="track",
        count=1,
        latitude=45.123456,
        longitude=132.654321,
    )
    pull()
    sent = b"".join(proxy.seen)
    assert tiger.encode() in sent
    for exact in [b"45.123456", b"132.654321", b"45.1234", b"132.6543", b"45.123", b"132.654"]:
        assert exact not in sent
    stored = Observation.objects.get(pk=tiger)
    assert (stored.latitude, stored.longitude) == (45.15, 132.65)  # the 0.1-degree cell's centre


def test_a_forged_signature_is_refused(two_nodes, live_server, settings):
    from exchange.signing import generate_private_key, private_key_to_text

    settings.NODE_CODE = "CN"  # pretend to be the Chinese node...
    settings.EXCHANGE_PRIVATE_KEY = private_key_to_text(
        generate_private_key()
    )  # ...with a wrong key
    path = "/api/v1/exchange/feed/?after=0&limit=10"
    response = requests.get(live_server.url + path, headers=sign_request("GET", path), timeout=10)
    assert response.status_code == 401
    assert response.json()["detail"] == "bad signature"


def test_a_replayed_request_is_refused(two_nodes, live_server, settings, node_keys):
    settings.NODE_CODE = "CN"
    settings.EXCHANGE_PRIVATE_KEY = node_keys["CN"].private
    path = "/api/v1/exchange/feed/?after=0&limit=10"
    headers = sign_request("GET", path)
    assert requests.get(live_server.url + path, headers=headers, timeout=10).status_code == 200
    again = requests.get(live_server.url + path, headers=headers, timeout=10)
    assert again.status_code == 401 and again.json()["detail"] == "replayed request"


def test_an_unsigned_request_is_refused(two_nodes, live_server):
    response = requests.get(live_server.url + "/api/v1/exchange/feed/?after=0", timeout=10)
    assert response.status_code == 401


def test_a_narrowed_agreement_withdraws_what_the_partner_holds(two_nodes):
    crane = cn_record(two_nodes)
    tiger = cn_record(two_nodes, species="Panthera tigris altaica", evidence="track", count=1)
    pull()
    assert received([crane, tiger]) == {crane, tiger}
    two_nodes.manage(
        "exchange_agreement",
        "RU",
        "--species",
        "Panthera tigris altaica",
        "--precision",
        "Panthera tigris altaica=10km",
    )
    try:
        result = pull()
        assert received([crane, tiger]) == {tiger}
        # The new terms are sent whole again: the tiger and the tigers stay, the crane and
        # the leopards are withdrawn.
        assert (result["upserts"], result["tombstones"]) == (1 + CN_TIGERS, 1 + CN_LEOPARDS)
        assert SyncState.objects.get(partner__code="CN").partner_agreement["species"] == [
            "Panthera tigris altaica"
        ]
    finally:
        two_nodes.manage("exchange_agreement", "RU", "--precision", "Panthera tigris altaica=10km")


def test_a_withdrawn_record_is_removed_and_comes_back_when_verified_again(two_nodes):
    record = cn_record(two_nodes)
    pull()
    two_nodes.api(
        "manager_cn", "POST", f"/api/v1/observations/{record}/reopen/", json={"reason": "recount"}
    )
    pull()
    assert received([record]) == set()
    two_nodes.api("manager_cn", "POST", f"/api/v1/observations/{record}/verify/")
    pull()
    assert received([record]) == {record}


def test_the_chinese_node_pulls_from_us_too_and_we_log_what_we_sent(two_nodes, people, khankaisky):
    from exchange.partners.agreements import agreement_save
    from observations.models import Species
    from observations.records.services import observation_create, record_submit, record_verify

    agreement_save(
        partner=Node.objects.get(code="CN"),
        user=people.coordinator_ru,
        species=list(Species.objects.filter(jointly_monitored=True)),
        protected_areas=[],
        statuses=["verified"],
        embargo_days=0,
        precision={},
        media_level="none",
        licence="CC-BY-4.0",
    )
    ranger, manager = access_for(people.ranger_ru), access_for(people.manager_ru)
    obs, _ = observation_create(
        access=ranger,
        user=people.ranger_ru,
        values={
            "protected_area": khankaisky,
            "species": "Antigone vipio",
            "observed_at": YESTERDAY,
            "latitude": 44.95,
            "longitude": 132.45,
            "count": 2,
            "evidence": "sighting",
        },
    )
    record_submit(access=ranger, user=people.ranger_ru, record=obs)
    record_verify(access=manager, user=people.manager_ru, record=obs)

    out = two_nodes.manage("sync_now", "RU")
    assert "records 1" in out
    there = two_nodes.api("coordinator_cn", "GET", f"/api/v1/observations/{obs.pk}/")
    assert there.status_code == 200 and there.json()["origin_node"] == "RU"
    log = SentPage.objects.filter(partner__code="CN").exclude(upserts=0).get()
    assert f"upsert:observation:{obs.pk}" in log.items and log.agreement_version == 1


def test_a_flag_on_a_received_record_reaches_its_owner_and_the_answer_comes_back(two_nodes, people):
    from exchange.partners.agreements import agreement_save
    from observations.models import Remark, Species
    from observations.remarks.services import open_flags, remark_create

    agreement_save(
        partner=Node.objects.get(code="CN"),
        user=people.coordinator_ru,
        species=list(Species.objects.filter(jointly_monitored=True)),
        protected_areas=[],
        statuses=["verified"],
        embargo_days=0,
        precision={},
        media_level="none",
        licence="CC-BY-4.0",
    )
    record = cn_record(two_nodes)
    pull()
    received_record = Observation.objects.get(pk=record)
    flag = remark_create(
        access=access_for(people.reviewer),
        user=people.reviewer,
        observation=received_record,
        kind="flag",
        reason="duplicate",
        text="Also counted at Khanka on our side",
    )

    two_nodes.manage("sync_now", "RU")  # the Chinese node pulls our flag...
    there = two_nodes.api("manager_cn", "GET", f"/api/v1/observations/{record}/remarks/").json()
    assert [(r["id"], r["is_open"], r["origin_node"]) for r in there] == [
        (str(flag.pk), True, "RU")
    ]
    answered = two_nodes.api(
        "manager_cn",
        "POST",
        f"/api/v1/remarks/{flag.pk}/answer/",
        json={"text": "Same flock: we will mark it", "closes": True},
    )
    assert answered.status_code == 201, answered.text

    pull()  # ...and we pull their answer
    assert not open_flags().filter(pk=flag.pk).exists()
    answer = Remark.objects.get(parent=flag)
    assert answer.origin_node == "CN" and answer.text == "Same flock: we will mark it"


def test_free_text_crosses_the_border_withheld_or_redacted_never_as_typed(two_nodes, through_proxy):
    """A Chinese ranger's note "ranger_cn saw it at 45.123456 132.654321" on a tiger: the
    agreement's default withholds notes beside a generalised place; once the Chinese
    coordinator chooses "redact", the coordinates and the ranger's name are taken out and
    the Russian node sees that something was."""
    proxy = through_proxy(tamper=False)
    note = "ranger_cn saw it at 45.123456 132.654321, 北纬45.1234 东经132.6543"
    withheld = cn_record(
        two_nodes, species="Panthera tigris altaica", evidence="track", count=1, notes=note
    )
    pull()
    assert Observation.objects.get(pk=withheld).notes == "[…]"  # there were notes: withheld
    two_nodes.manage(
        "exchange_agreement",
        "RU",
        "--precision",
        "Panthera tigris altaica=10km",
        "--free-text",
        "redact",
    )
    redacted = cn_record(
        two_nodes, species="Panthera tigris altaica", evidence="scat", count=1, notes=note
    )
    pull()
    shown = Observation.objects.get(pk=redacted).notes
    assert shown.startswith("[…] saw it at […]") and "ranger_cn" not in shown
    sent = b"".join(proxy.seen)
    for secret in [b"45.1234", b"132.6543", b"ranger_cn saw"]:
        assert secret not in sent
