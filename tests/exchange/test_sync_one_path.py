"""One write path: a record received from a partner is stored through the records service's
bulk form, with a history row as the service writes one ("+" when new here, "~" when
changed) and, as ``record_changed`` does for a record of another node, no feed entry: a
received record is never passed on."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from exchange.models import Node, SyncState
from exchange.sync.apply import apply_page
from observations.feed import record_changed
from observations.models import ChangeEntry, Observation

pytestmark = pytest.mark.django_db

WHEN = (timezone.now() - dt.timedelta(days=40)).replace(microsecond=0)


@pytest.fixture
def partner(seeds, xingkaihu):
    node = Node.objects.create(code="CN", base_url="http://127.0.0.1:9", public_key="x")
    SyncState.objects.create(partner=node)
    return node


def page(record_id, seq: int, **data) -> dict:
    body = {
        "protected_area": "CN-XINGKAIHU",
        "species": "Grus japonensis",
        "observed_at": WHEN.isoformat(),
        "latitude": 45.3,
        "longitude": 132.6,
        "count": 3,
        "evidence": "sighting",
        "status": "verified",
        "observer_code": "CN-ABC",
        **data,
    }
    item = {"seq": seq, "kind": "observation", "id": str(record_id), "action": "upsert"}
    return {
        "protocol": "amur-exchange-feed/1",
        "node": "CN",
        "partner": "RU",
        "until": seq,
        "head": seq,
        "items": [{**item, "data": body}],
    }


def test_a_received_record_has_history_rows_and_no_feed_entry(partner):
    record_id = uuid.uuid4()
    result = apply_page(partner, page(record_id, 1))
    assert (result.upserts, result.rejected) == (1, [])
    apply_page(partner, page(record_id, 2, count=5))

    record = Observation.objects.get(pk=record_id)
    assert (record.origin_node, record.source, record.count) == ("CN", "sync", 5)
    history = Observation.history.filter(id=record_id).order_by("history_id")
    assert [(h.history_type, h.count, h.history_change_reason) for h in history] == [
        ("+", 3, "sync"),
        ("~", 5, "sync"),
    ]
    assert not ChangeEntry.objects.filter(record_id=record_id).exists()
    record_changed(record)  # the single-record service's rule says the same
    assert not ChangeEntry.objects.filter(record_id=record_id).exists()
