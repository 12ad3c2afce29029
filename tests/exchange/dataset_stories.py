"""The shared dataset of the stories, and helpers to reach it through the API.

At Khanka Lake (export_stories.make_khanka): Khankaisky's own tiger (with its survey
route), crane pair and a crane record waiting for review; Xingkaihu's tiger and crane
flock received from the Chinese node. coordinator_ru defines "Khanka tigers and cranes"
over both PAs (verified and submitted records, received ones included) and invites two
reviewers: ``reviewer`` (no PA) and ``outsider`` (a ranger of Bastak, another PA).
"""

from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from exchange.datasets import definition, publish
from observations.access import access_for

from .export_stories import make_khanka

TITLE = "Khanka tigers and cranes"
QUERY = {
    "species": ["Panthera tigris altaica", "Grus japonensis"],
    "protected_areas": ["RU-KHANKAISKY", "CN-XINGKAIHU"],
    "status": ["verified", "submitted"],
}


def fresh(person):
    """The person as a new object: no access computed earlier is cached on it."""
    return get_user_model().objects.get(pk=person.pk)


def client(person):
    api = APIClient()
    api.force_authenticate(fresh(person))
    return api


def make_dataset(people, khankaisky, xingkaihu, **values):
    """The Khanka records and the dataset over them, with its two reviewers invited."""
    records = make_khanka(people, khankaisky, xingkaihu)
    coordinator = fresh(people.coordinator_ru)
    access = access_for(coordinator)
    dataset = definition.dataset_create(
        access=access,
        user=coordinator,
        values={
            "title": TITLE,
            "description_en": "Joint workshop on winter track census methods.",
            "description_ru": "Совместный семинар по методам зимнего маршрутного учёта.",
            "description_zh": "冬季样线调查方法联合研讨会。",
            "licence": "CC-BY-4.0",
            "query": QUERY,
            **values,
        },
    )
    for name in ("reviewer", "outsider"):
        definition.reviewer_invite(access=access, user=coordinator, dataset=dataset, username=name)
    return dataset, records


def publish_version(people, dataset, note=""):
    coordinator = fresh(people.coordinator_ru)
    return publish.version_publish(
        access=access_for(coordinator), user=coordinator, dataset=dataset, note=note
    )


def rows_url(dataset, number=1, query=""):
    return f"/api/v1/datasets/{dataset.pk}/versions/{number}/rows/{query}"
