"""Comments and flags on records, and the PA manager's answers.

reviewer and outsider (a ranger of Bastak) read a verified crane record of
Khankaisky; manager_ru answers their flags.
"""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from observations.access import access_for
from observations.models import ChangeEntry, Observation, Remark, Species
from observations.remarks.services import flag_answer, open_flags, remark_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(people, khankaisky):
    def make(status="verified"):
        return Observation.objects.create(
            protected_area=khankaisky,
            species=Species.objects.get(scientific_name="Grus japonensis"),
            observed_at=timezone.now() - dt.timedelta(days=2),
            latitude=44.95,
            longitude=132.45,
            count=3,
            evidence="sighting",
            status=status,
            created_by=people.ranger_ru,
        )

    return make


def api(person):
    client = APIClient()
    client.force_authenticate(person)
    return client


def test_a_reviewer_flags_a_record_and_the_manager_closes_the_flag(people, record):
    obs = record()
    response = api(people.reviewer).post(
        f"/api/v1/observations/{obs.pk}/remarks/",
        {"kind": "flag", "reason": "wrong_species", "text": "Looks like a white-naped crane"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["is_open"] is True
    flag = Remark.objects.get()
    assert flag.author_role == "reviewer" and "reviewer" not in flag.author_code
    assert list(open_flags()) == [flag]
    answer = api(people.manager_ru).post(
        f"/api/v1/remarks/{flag.pk}/answer/",
        {"text": "Checked the photo: corrected."},
        format="json",
    )
    assert answer.status_code == 201
    assert list(open_flags()) == []
    listed = api(people.reviewer).get(f"/api/v1/observations/{obs.pk}/remarks/").json()
    assert [r["is_open"] for r in listed if r["kind"] == "flag"] == [False]


def test_every_remark_is_in_the_change_feed(people, record):
    obs = record()
    remark = remark_create(
        access=access_for(people.outsider),
        user=people.outsider,
        observation=obs,
        kind="comment",
        text="Seen them too",
    )
    assert ChangeEntry.objects.filter(kind="remark", record_id=remark.pk).exists()


def test_a_flag_needs_a_reason_and_a_remark_needs_text(people, record):
    obs = record()
    client = api(people.reviewer)
    url = f"/api/v1/observations/{obs.pk}/remarks/"
    assert client.post(url, {"kind": "flag", "text": "wrong"}, format="json").status_code == 400
    assert client.post(url, {"kind": "comment", "text": "  "}, format="json").status_code == 400
    assert not Remark.objects.exists()


def test_nobody_remarks_on_a_record_they_cannot_read(people, record):
    draft = record(status="draft")
    response = api(people.reviewer).post(
        f"/api/v1/observations/{draft.pk}/remarks/",
        {"kind": "comment", "text": "hi"},
        format="json",
    )
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["reviewer", "outsider", "ranger_ru", "coordinator_ru"])
def test_only_the_pa_manager_answers_a_flag(people, record, who):
    obs = record()
    flag = remark_create(
        access=access_for(people.reviewer),
        user=people.reviewer,
        observation=obs,
        kind="flag",
        reason="duplicate",
        text="Twice?",
    )
    response = api(getattr(people, who)).post(
        f"/api/v1/remarks/{flag.pk}/answer/", {"text": "no"}, format="json"
    )
    assert response.status_code in (403, 404)
    assert list(open_flags()) == [flag]


def test_the_record_page_shows_remarks_and_lets_readers_flag(client, people, record):
    obs = record()
    client.force_login(people.reviewer)
    response = client.post(
        f"/en/records/{obs.pk}/remarks/",
        {"kind": "flag", "reason": "wrong_place", "text": "This is in the lake"},
    )
    assert response.status_code == 302
    client.force_login(people.manager_ru)
    page = client.get(f"/en/records/{obs.pk}/").content.decode()
    assert "This is in the lake" in page and "Send the answer" in page
    flag = Remark.objects.get()
    client.post(
        f"/en/records/{obs.pk}/remarks/{flag.pk}/answer/", {"text": "Moved", "closes": "on"}
    )
    assert not open_flags().exists()


def test_a_manager_reopens_a_verified_record_with_a_reason(client, people, record):
    obs = record()
    client.force_login(people.manager_ru)
    client.post(f"/en/records/{obs.pk}/reopen/", {"reason": ""})
    obs.refresh_from_db()
    assert obs.status == "verified"
    client.post(f"/en/records/{obs.pk}/reopen/", {"reason": "Flag: wrong place"})
    obs.refresh_from_db()
    assert obs.status == "submitted"


def test_answering_a_comment_is_refused(people, record):
    obs = record()
    comment = remark_create(
        access=access_for(people.reviewer),
        user=people.reviewer,
        observation=obs,
        kind="comment",
        text="Nice",
    )
    from observations.errors import DomainError

    with pytest.raises(DomainError):
        flag_answer(
            access=access_for(people.manager_ru),
            user=people.manager_ru,
            flag=comment,
            text="thanks",
        )
