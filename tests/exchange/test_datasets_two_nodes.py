"""A flag on a shared dataset's record owned by the other node reaches it, through two
real nodes, and the answer comes back to the dataset.

The Russian node (here) receives Xingkaihu's crane flock from the Chinese node (another
process, over signed HTTP). coordinator_ru publishes "Khanka cranes" with it; outsider,
an invited reviewer from Bastak, flags the flock as a duplicate. The Chinese node pulls
the flag; manager_cn reads it with the dataset it came from and answers; the Russian node
pulls the answer, and the dataset shows the flag closed.
"""

import pytest

from exchange.datasets import definition
from exchange.models import Node
from exchange.partners.agreements import agreement_save
from observations.access import access_for
from observations.models import Observation, Remark, Species

from .dataset_stories import client, fresh, publish_version
from .test_two_nodes import cn_record, pull

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]


def test_a_flag_on_the_partners_record_reaches_it_and_the_answer_closes_it_here(two_nodes, people):
    agreement_save(  # what we send the Chinese node: our remarks on its records among it
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
    flock = cn_record(two_nodes, count=40)
    pull()
    assert Observation.objects.get(pk=flock).origin_node == "CN"

    coordinator = fresh(people.coordinator_ru)
    access = access_for(coordinator)
    dataset = definition.dataset_create(
        access=access,
        user=coordinator,
        values={
            "title": "Khanka cranes",
            "query": {"species": ["Grus japonensis"], "protected_areas": ["CN-XINGKAIHU"]},
        },
    )
    definition.reviewer_invite(
        access=access, user=coordinator, dataset=dataset, username="outsider"
    )
    version = publish_version(people, dataset)
    assert version.row_count == 1  # the flock alone

    reviewer = client(people.outsider)
    base = f"/api/v1/datasets/{dataset.pk}/versions/1/rows/{flock}/"
    made = reviewer.post(
        base + "remarks/",
        {"kind": "flag", "reason": "duplicate", "text": "Counted at Khanka the same evening"},
        format="json",
    )
    assert made.status_code == 201, made.json()
    flag_id = made.json()["id"]

    two_nodes.manage("sync_now", "RU")  # the Chinese node pulls our flag
    there = two_nodes.api("manager_cn", "GET", f"/api/v1/observations/{flock}/remarks/").json()
    [arrived] = [r for r in there if r["id"] == flag_id]
    assert (arrived["origin_node"], arrived["kind"], arrived["reason"]) == (
        "RU",
        "flag",
        "duplicate",
    )
    assert arrived["is_open"] is True
    assert (arrived["dataset_uuid"], arrived["dataset_title"], arrived["dataset_version"]) == (
        str(dataset.pk),
        "Khanka cranes",
        1,
    )
    answered = two_nodes.api(
        "manager_cn",
        "POST",
        f"/api/v1/remarks/{flag_id}/answer/",
        json={"text": "Yes: the same flock crossed the lake. We mark it.", "closes": True},
    )
    assert answered.status_code == 201, answered.text

    pull()  # we pull their answer
    answer = Remark.objects.get(parent_id=flag_id)
    assert answer.origin_node == "CN" and answer.closes
    flags = reviewer.get(f"/api/v1/datasets/{dataset.pk}/flags/").json()
    assert flags["counts"] == {"open": 0, "closed": 1, "total": 1}
    assert flags["flags"][0]["answers"][0]["origin_node"] == "CN"
    row = reviewer.get(base).json()
    assert row["flags"] == "closed"
    assert row["remarks"][0]["answers"][0]["text"].startswith("Yes: the same flock")
